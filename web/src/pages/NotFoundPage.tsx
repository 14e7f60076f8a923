import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/i18n.js';

export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.pageNotFound')}
      extra={
        <Link to="/jobs">
          <Button type="primary">{t('common.backToList')}</Button>
        </Link>
      }
    />
  );
}
