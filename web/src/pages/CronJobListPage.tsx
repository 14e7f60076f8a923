// CronJobs (batch/v1), live: suspend, run now (as kubectl create job --from=cronjob/NAME), delete,
// each one's Jobs, and a small create form.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { CronJob } from '../../../api/batch.js';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { NamespaceSelect, useNamespaceParam } from '../components/common/NamespaceSelect.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { CreateCronJobModal } from '../components/cronjobs/CreateCronJobModal.js';
import { CronJobTable } from '../components/cronjobs/CronJobTable.js';
import { jobFromCronJob } from '../components/cronjobs/cronjob-logic.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/k8s/api-error.js';
import { useKubeClient, useKubeList, useNow } from '../lib/k8s/hooks.js';
import { resources } from '../lib/k8s/resources.js';

/** How long the "Run now" message (with its link to the new Job) stays. */
const RUN_NOW_MESSAGE_SECONDS = 10;

export default function CronJobListPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useKubeClient();
  const [params, setParams] = useSearchParams();
  const [namespace, setNamespace] = useNamespaceParam(params, setParams);
  const cronJobs = useKubeList(resources.cronjobs, { namespace: namespace || undefined });
  const jobs = useKubeList(resources.jobs, { namespace: namespace || undefined });
  const now = useNow(1000);
  const [open, setOpen] = useState(false);

  const report = (err: unknown) => {
    message.error(errorMessage(err));
  };
  const onSuspend = async (cj: CronJob, suspend: boolean) => {
    const name = cj.metadata.name ?? '';
    try {
      await client.patch(resources.cronjobs, cj.metadata.namespace, name, { spec: { suspend } }, 'merge');
      message.success(t(suspend ? 'cronjobs.suspended' : 'cronjobs.resumed', { name }));
    } catch (err) {
      report(err);
    }
  };
  const onRunNow = async (cj: CronJob) => {
    try {
      const created = await client.create(resources.jobs, jobFromCronJob(cj));
      const ns = created.metadata.namespace ?? cj.metadata.namespace ?? '';
      const jobName = created.metadata.name ?? '';
      const href = `/jobs/${ns}/${jobName}`;
      // The message renders outside the router (antd's App holder), so the link navigates by hand.
      message.success({
        key: `run-now-${jobName}`,
        duration: RUN_NOW_MESSAGE_SECONDS,
        content: (
          <span data-testid="run-now-done">
            {t('cronjobs.runNowDone', { cronjob: cj.metadata.name ?? '' })}{' '}
            <a
              href={href}
              onClick={(e) => {
                e.preventDefault();
                navigate(href);
              }}
            >
              {jobName}
            </a>
          </span>
        ),
      });
    } catch (err) {
      report(err);
    }
  };
  const onDelete = async (cj: CronJob) => {
    const name = cj.metadata.name ?? '';
    try {
      // Background, as kubectl delete: the garbage collector deletes its Jobs (and their pods).
      await client.delete(resources.cronjobs, cj.metadata.namespace, name, { propagationPolicy: 'Background' });
      message.success(t('cronjobs.deleted', { name }));
    } catch (err) {
      report(err);
    }
  };

  return (
    <>
      <PageHeader
        title={t('cronjobs.title')}
        extra={
          <Space>
            {/* The full form (every container and job setting) is the create wizard's. */}
            <Button onClick={() => navigate('/jobs/create?type=CronJob')}>{t('cronjobs.createInWizard')}</Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
              {t('cronjobs.create')}
            </Button>
          </Space>
        }
      />
      <Space style={{ marginBottom: 16 }}>
        <NamespaceSelect value={namespace} onChange={setNamespace} />
      </Space>
      <ErrorAlert error={cronJobs.error ?? jobs.error} />
      <CronJobTable cronJobs={cronJobs.items} jobs={jobs.items} now={now} onSuspend={onSuspend} onRunNow={onRunNow} onDelete={onDelete} />
      <CreateCronJobModal
        open={open}
        namespace={namespace}
        client={client}
        onClose={() => setOpen(false)}
        onCreated={(name) => message.success(t('cronjobs.created', { name }))}
      />
    </>
  );
}
