// Job detail (docs/product.md#job-detail): summary and conditions, the failure card, pods live, events, logs, YAML.
import { Card, Descriptions, Table, Tabs, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Job, JobCondition } from '../../../../api/batch.js';
import type { Event, Pod } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { jobCompletionsText, jobCompletionTime, jobDurationText, jobFailureSummary, jobStatusText } from '../../lib/k8s/job-status.js';
import { EventTableRenderer } from '../events/EventTable.js';
import { PodTableRenderer } from '../pods/PodTable.js';
import { JobStatusTag } from '../common/StatusTag.js';
import { TimeText } from '../common/TimeText.js';
import { FailureCard } from './FailureCard.js';

export type JobDetailTab = 'pods' | 'events' | 'logs' | 'collected' | 'yaml';

export interface JobDetailsRendererProps {
  job: Job;
  pods: Pod[] | undefined;
  events: Event[] | undefined;
  now: number;
  tab: JobDetailTab;
  onTabChange(tab: JobDetailTab): void;
  /** Last lines of the failing container, for the failure card. */
  failureLog?: { lines?: string[]; error?: string };
  onPodLogs?(pod: string): void;
  /** Slots filled by the shell (they talk to the API). */
  logs: ReactNode;
  yaml: ReactNode;
  /** The log service's lines of this job (a tab, when its pods name logstores). */
  hasCollectedLogs?: boolean;
  collectedLogs?: ReactNode;
}

const dash = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : String(v));

export function JobDetailsRenderer({ job, pods, events, now, tab, onTabChange, failureLog, onPodLogs, logs, yaml, hasCollectedLogs, collectedLogs }: JobDetailsRendererProps) {
  const { t } = useI18n();
  const summary = jobFailureSummary(job, pods ?? []);
  const st = job.status ?? {};
  const images = [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers].map((c) => c.image ?? '');
  // Runs of a CronJob point back to it.
  const cronJob = job.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'CronJob')?.name;
  return (
    <>
      {summary && (
        <FailureCard summary={summary} namespace={job.metadata.namespace ?? ''} logLines={failureLog?.lines} logError={failureLog?.error} onShowLogs={summary.pod ? () => onPodLogs?.(summary.pod as string) : undefined} />
      )}
      <Card title={t('detail.summary')} size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t('jobs.col.status')}>
            <JobStatusTag status={jobStatusText(job)} />
          </Descriptions.Item>
          <Descriptions.Item label={t('common.namespace')}>{job.metadata.namespace}</Descriptions.Item>
          {/* succeeded/spec.completions, as kubectl's COMPLETIONS column (the spec value is its right side). */}
          <Descriptions.Item label={t('jobs.col.completions')}>
            <span data-testid="detail-completions">{jobCompletionsText(job)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.pods')}>
            <span data-testid="pod-counts">{t('detail.podCounts', { active: st.active ?? 0, ready: st.ready ?? 0, succeeded: st.succeeded ?? 0, failed: st.failed ?? 0 })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('settings.parallelism')}>{dash(job.spec.parallelism)}</Descriptions.Item>
          <Descriptions.Item label={t('settings.backoffLimit')}>{dash(job.spec.backoffLimit)}</Descriptions.Item>
          <Descriptions.Item label={t('settings.activeDeadlineSeconds')}>{dash(job.spec.activeDeadlineSeconds)}</Descriptions.Item>
          <Descriptions.Item label={t('settings.restartPolicy')}>{dash(job.spec.template.spec.restartPolicy)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.completionMode')}>{dash(job.spec.completionMode)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.suspend')}>{job.spec.suspend ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('jobs.col.created')}>
            <TimeText value={job.metadata.creationTimestamp} />
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.startTime')}>
            <TimeText value={st.startTime} />
          </Descriptions.Item>
          <Descriptions.Item label={t('jobs.col.completionTime')}>
            <span data-testid="detail-completion-time">
              <TimeText value={jobCompletionTime(job, pods)} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('jobs.col.duration')}>{dash(jobDurationText(job, now))}</Descriptions.Item>
          {cronJob && (
            <Descriptions.Item label={t('pods.owner')}>
              <Link to={`/cronjobs?namespace=${encodeURIComponent(job.metadata.namespace ?? '')}`}>{`CronJob/${cronJob}`}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('detail.images')}>
            {images.map((i) => (
              <Tag key={i}>{i}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.labels')} span={3}>
            {Object.entries(job.metadata.labels ?? {}).map(([k, v]) => (
              <Tag key={k}>
                {k}={v}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('detail.conditions')} size="small" style={{ marginBottom: 16 }}>
        <Table<JobCondition>
          size="small"
          pagination={false}
          rowKey={(c) => c.type}
          dataSource={st.conditions ?? []}
          locale={{ emptyText: t('detail.noConditions') }}
          columns={[
            { title: t('detail.cond.type'), key: 'type', render: (_, c) => c.type },
            { title: t('detail.cond.status'), key: 'status', render: (_, c) => c.status },
            { title: t('detail.cond.reason'), key: 'reason', render: (_, c) => c.reason },
            { title: t('detail.cond.message'), key: 'message', render: (_, c) => <Typography.Text>{c.message}</Typography.Text> },
            { title: t('detail.cond.lastTransition'), key: 'time', render: (_, c) => <TimeText value={c.lastTransitionTime} /> },
          ]}
        />
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => onTabChange(k as JobDetailTab)}
        items={[
          { key: 'pods', label: `${t('detail.tab.pods')} (${pods?.length ?? 0})`, children: <PodTableRenderer pods={pods} now={now} onLogs={onPodLogs} /> },
          { key: 'events', label: t('detail.tab.events'), children: <EventTableRenderer events={events} /> },
          { key: 'logs', label: t('detail.tab.logs'), children: logs },
          ...(hasCollectedLogs ? [{ key: 'collected', label: t('detail.tab.collected'), children: collectedLogs }] : []),
          { key: 'yaml', label: 'YAML', children: yaml },
        ]}
      />
    </>
  );
}
