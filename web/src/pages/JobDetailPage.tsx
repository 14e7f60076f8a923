import { App, Button, Result, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Job } from '../../../api/batch.js';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { JobStatusTag } from '../components/common/StatusTag.js';
import { YamlView } from '../components/common/YamlView.js';
import { JobActions, type JobActionHandlers } from '../components/jobs/JobActions.js';
import { JobDetailsRenderer, type JobDetailTab } from '../components/jobs/JobDetails.js';
import { LogPanel } from '../components/logs/LogPanel.js';
import { JobCollectedLogs } from '../components/logs/JobCollectedLogs.js';
import { logstoresOfJob } from '../components/logs/log-service.js';
import { useLogService } from '../components/logs/use-log-service.js';
import { useI18n } from '../i18n/i18n.js';
import { jobForRerun } from '../lib/job-form/clone.js';
import { errorMessage } from '../lib/k8s/api-error.js';
import { useKubeClient, useKubeList, useKubeObject, useNow } from '../lib/k8s/hooks.js';
import { jobFailureSummary, jobPodSelector, jobStatusText } from '../lib/k8s/job-status.js';
import { resources } from '../lib/k8s/resources.js';

const FAILURE_LOG_LINES = 20;

export default function JobDetailPage() {
  const { namespace = '', name = '' } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useKubeClient();
  const now = useNow(1000);
  const job = useKubeObject(resources.jobs, namespace, name);
  const j = job.object;
  const pods = useKubeList(resources.pods, { namespace, labelSelector: j ? jobPodSelector(j) : undefined, enabled: !!j });
  const allEvents = useKubeList(resources.events, { namespace, enabled: !!j });
  // Collected logs come from the log service of the cluster that ran the pods; a cluster
  // without one (a Kubernetes cluster) has no such tab.
  const logService = useLogService();
  const [tab, setTab] = useState<JobDetailTab>('pods');
  const [logPod, setLogPod] = useState<string>();

  const events = useMemo(() => {
    if (!allEvents.items || !j) return undefined;
    const uids = new Set([j.metadata.uid, ...(pods.items ?? []).map((p) => p.metadata.uid)]);
    const podNames = new Set((pods.items ?? []).map((p) => p.metadata.name));
    return allEvents.items.filter(
      (e) => (e.involvedObject.uid && uids.has(e.involvedObject.uid)) || (e.involvedObject.kind === 'Job' && e.involvedObject.name === name) || (e.involvedObject.kind === 'Pod' && podNames.has(e.involvedObject.name)),
    );
  }, [allEvents.items, pods.items, j, name]);

  // The failing container's last lines, for the failure card.
  const summary = j ? jobFailureSummary(j, pods.items ?? []) : undefined;
  const failPod = summary?.pod;
  const failContainer = summary?.container?.container ?? summary?.waiting?.container;
  const failPrevious = summary?.container?.previous ?? false;
  const [failureLog, setFailureLog] = useState<{ lines?: string[]; error?: string }>();
  useEffect(() => {
    setFailureLog(undefined);
    if (!failPod || !failContainer) return undefined;
    const abort = new AbortController();
    void (async () => {
      const lines: string[] = [];
      try {
        for await (const l of client.logs(namespace, failPod, { container: failContainer, tailLines: FAILURE_LOG_LINES, previous: failPrevious, signal: abort.signal })) lines.push(l);
        if (!abort.signal.aborted) setFailureLog({ lines });
      } catch (err) {
        if (!abort.signal.aborted) setFailureLog({ error: errorMessage(err) });
      }
    })();
    return () => abort.abort();
  }, [client, namespace, failPod, failContainer, failPrevious]);

  if (job.error && !j) return <ErrorAlert error={job.error} />;
  if (!job.loaded) return <Spin />;
  if (!j) {
    return (
      <Result
        status="404"
        title={t('detail.notFound', { name })}
        extra={
          <Link to="/jobs">
            <Button type="primary">{t('common.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const act = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      message.success(ok);
    } catch (err) {
      message.error(errorMessage(err));
      throw err;
    }
  };
  const handlers: JobActionHandlers = {
    onClone: () => navigate(`/jobs/create?from=${encodeURIComponent(`${namespace}/${name}`)}`),
    onRerun: () =>
      act(async () => {
        const created = await client.create(resources.jobs, jobForRerun(j as Job));
        navigate(`/jobs/${namespace}/${created.metadata.name}`);
      }, t('actions.rerunDone')).catch(() => undefined),
    onSuspend: (suspend) => act(() => client.patch(resources.jobs, namespace, name, { spec: { suspend } }), suspend ? t('actions.suspendDone') : t('actions.resumeDone')).catch(() => undefined),
    onParallelism: (parallelism) => act(() => client.patch(resources.jobs, namespace, name, { spec: { parallelism } }), t('actions.parallelismDone')),
    onDelete: (propagationPolicy) =>
      act(async () => {
        await client.delete(resources.jobs, namespace, name, { propagationPolicy });
        navigate('/jobs');
      }, t('actions.deleteDone')),
  };

  return (
    <>
      <PageHeader title={name} back="/jobs" backLabel={t('common.backToList')} tags={<JobStatusTag status={jobStatusText(j)} />} extra={<JobActions job={j} handlers={handlers} />} />
      <ErrorAlert error={job.error ?? pods.error} />
      <JobDetailsRenderer
        job={j}
        pods={pods.items}
        events={events}
        now={now}
        tab={tab}
        onTabChange={setTab}
        failureLog={failureLog}
        onPodLogs={(pod) => {
          setLogPod(pod);
          setTab('logs');
        }}
        logs={tab === 'logs' ? <LogPanel key={logPod ?? 'all'} pods={pods.items ?? []} initialPod={logPod} /> : null}
        yaml={tab === 'yaml' ? <YamlView object={j} /> : null}
        hasCollectedLogs={logService.state === 'served' && logstoresOfJob(j).length > 0}
        collectedLogs={tab === 'collected' && logService.state === 'served' ? <JobCollectedLogs job={j} /> : null}
      />
    </>
  );
}
