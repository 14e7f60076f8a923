// An API failure shown beside the data (never a blank page).
import { Alert } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { ApiError } from '../../lib/k8s/api-error.js';

export function ErrorAlert({ error, title }: { error: Error | undefined; title?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError && error.code ? ` (${error.code}${error.reason ? ` ${error.reason}` : ''})` : '';
  return <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={title ?? t('common.requestFailed')} description={`${error.message}${code}`} />;
}
