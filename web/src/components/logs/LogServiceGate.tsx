// The log service's screens on a cluster that may not have one: the screen itself when the
// cluster serves logs.jobyard.io/v1, otherwise a note saying where logstores live.
import { Alert, Button, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useOptionalClusters } from '../../app/cluster.js';
import { useI18n } from '../../i18n/i18n.js';
import { LOCAL_CLUSTER_NAME } from '../../lib/k8s/clusters.js';
import { ErrorAlert } from '../common/ErrorAlert.js';
import { useLogService } from './use-log-service.js';

/** `header` is shown above the note when the screen itself is not (it has its own). */
export function LogServiceGate({ children, header }: { children: ReactNode; header?: ReactNode }) {
  const { t } = useI18n();
  const service = useLogService();
  const clusters = useOptionalClusters();
  const cluster = clusters?.current.name ?? LOCAL_CLUSTER_NAME;
  if (service.state === 'served') return <>{children}</>;
  if (service.state === 'checking') return <>{header}<Spin /></>;
  if (service.state === 'error') return <>{header}<ErrorAlert error={service.error} title={t('logstores.checkFailed', { cluster })} /></>;
  return (
    <>
      {header}
      <Alert
        type="info"
        showIcon
        role="note"
        data-testid="no-log-service"
        title={t('logstores.notServed', { cluster })}
        description={t('logstores.notServedHelp', { local: LOCAL_CLUSTER_NAME })}
        action={
          clusters && cluster !== LOCAL_CLUSTER_NAME ? (
            <Button size="small" onClick={() => clusters.select(LOCAL_CLUSTER_NAME)}>
              {t('logstores.useLocal', { local: LOCAL_CLUSTER_NAME })}
            </Button>
          ) : undefined
        }
      />
    </>
  );
}
