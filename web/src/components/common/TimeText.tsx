// A timestamp in the user's locale; the exact RFC 3339 time on hover.
import { Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { formatTimestamp } from '../../lib/k8s/duration.js';

export function TimeText({ value, empty = '—' }: { value: string | undefined | null; empty?: string }) {
  const { locale } = useI18n();
  if (!value) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <time dateTime={value} title={value}>
      {formatTimestamp(value, locale)}
    </time>
  );
}
