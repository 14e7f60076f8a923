// A Job's lines as the log service keeps them: every logstore its pods write to, searched by
// the job's name, so the lines are there after the pods (and their containers) are gone.
import { Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { LogSearch } from './LogSearch.js';
import { logstoresOfJob } from './log-service.js';

export function JobCollectedLogs({ job }: { job: Job }) {
  const { t } = useI18n();
  const stores = logstoresOfJob(job);
  const [store, setStore] = useState(stores[0]);
  if (!store) return <Typography.Text type="secondary">{t('detail.collectedNone')}</Typography.Text>;
  const namespace = job.metadata.namespace ?? '';
  const name = job.metadata.name ?? '';
  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('detail.collectedHelp')}</Typography.Text>
        {stores.length > 1 && <Segmented aria-label={t('logsearch.logstore')} value={store} onChange={(v) => setStore(String(v))} options={stores} />}
        <Link to={`/logstores/${encodeURIComponent(store)}?namespace=${encodeURIComponent(namespace)}&job=${encodeURIComponent(name)}`}>{t('detail.collectedOpen', { logstore: store })}</Link>
      </Space>
      <LogSearch key={store} logstore={store} fixed={{ namespace, job: name }} initial={{ range: { kind: 'quick', range: 'all' } }} height={420} />
    </div>
  );
}
