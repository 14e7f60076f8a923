// One logstore: its retention and counts, and the search over its lines.
import { Tag } from 'antd';
import { useParams, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n/i18n.js';
import { useKubeObject } from '../../lib/k8s/hooks.js';
import { ErrorAlert } from '../common/ErrorAlert.js';
import { PageHeader } from '../common/PageHeader.js';
import { LogSearch } from './LogSearch.js';
import { LogServiceGate } from './LogServiceGate.js';
import { humanBytes } from '../../../../machinery/human-readable.js';
import { logstoresResource } from './log-service.js';

export default function LogstorePage() {
  const { name = '' } = useParams();
  const { t } = useI18n();
  return (
    <LogServiceGate header={<PageHeader title={name} back="/logstores" backLabel={t('common.backToList')} />}>
      <Logstore name={name} />
    </LogServiceGate>
  );
}

function Logstore({ name }: { name: string }) {
  const [params] = useSearchParams();
  const { t } = useI18n();
  const ls = useKubeObject(logstoresResource, undefined, name);
  const o = ls.object;
  // Links from elsewhere may preset filters (?job=...&namespace=...).
  const initial = { job: params.get('job') ?? '', namespace: params.get('namespace') ?? '', pod: params.get('pod') ?? '' };
  return (
    <>
      <PageHeader
        title={name}
        back="/logstores"
        backLabel={t('common.backToList')}
        tags={
          o && (
            <>
              <Tag>{t('logstores.days', { days: o.spec?.retentionDays ?? 0 })}</Tag>
              <Tag>{o.spec?.maxSize}</Tag>
              <Tag color="blue">{t('logstores.linesSize', { lines: (o.status?.lines ?? 0).toLocaleString(), size: humanBytes(o.status?.sizeBytes ?? 0) })}</Tag>
            </>
          )
        }
      />
      <ErrorAlert error={ls.error} />
      <LogSearch key={name} logstore={name} initial={initial} height={520} />
    </>
  );
}
