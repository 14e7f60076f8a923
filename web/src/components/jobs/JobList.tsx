// The Job list (docs/product.md#job-list-completion-time): status with the failure reason, completions x/y with progress, duration,
// creation time and the completion time once every pod has finished. Live through a watch.
import { Input, Progress, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import type { Job } from '../../../../api/batch.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { jobCompletionsText, jobCompletionTime, jobDurationText, jobFailure, jobProgressPercent, jobStatusText, type JobStatusText } from '../../lib/k8s/job-status.js';
import { timeOf } from '../../lib/k8s/duration.js';
import { ErrorAlert } from '../common/ErrorAlert.js';
import { JobStatusTag } from '../common/StatusTag.js';
import { TimeText } from '../common/TimeText.js';

export interface JobListFilters {
  /** '' = all namespaces. */
  namespace: string;
  /** '' = any status. */
  status: JobStatusText | '';
  /** A label selector ("app=web,tier!=db"). */
  label: string;
}

export const JOB_STATUS_FILTERS: JobStatusText[] = ['Running', 'Complete', 'Failed', 'Suspended', 'FailureTarget', 'SuccessCriteriaMet', 'Terminating'];

export interface JobListRendererProps {
  jobs: Job[] | undefined;
  error?: Error;
  now: number;
  namespaces: string[];
  filters: JobListFilters;
  onFiltersChange(f: JobListFilters): void;
}

/** Filters by status and sorts newest first (the list's order). */
export function visibleJobs(jobs: readonly Job[], status: JobStatusText | ''): Job[] {
  return jobs
    .filter((j) => !status || jobStatusText(j) === status)
    .sort((a, b) => (timeOf(b.metadata.creationTimestamp) ?? 0) - (timeOf(a.metadata.creationTimestamp) ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

export function JobListRenderer({ jobs, error, now, namespaces, filters, onFiltersChange }: JobListRendererProps) {
  const { t } = useI18n();
  const columns: ColumnsType<Job> = [
    {
      title: t('jobs.col.name'),
      key: 'name',
      render: (_, j) => <Link to={`/jobs/${j.metadata.namespace}/${j.metadata.name}`}>{j.metadata.name}</Link>,
    },
    { title: t('common.namespace'), key: 'namespace', render: (_, j) => j.metadata.namespace },
    {
      title: t('jobs.col.status'),
      key: 'status',
      render: (_, j) => {
        const failure = jobFailure(j);
        return (
          <Space orientation="vertical" size={0}>
            <JobStatusTag status={jobStatusText(j)} />
            {failure && (
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="failure-reason" title={failure.message}>
                {failure.reason}
                {failure.message ? `: ${failure.message}` : ''}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      title: t('jobs.col.completions'),
      key: 'completions',
      width: 180,
      render: (_, j) => {
        const s = jobStatusText(j);
        return (
          <div data-testid="completions">
            <span>{jobCompletionsText(j)}</span>
            <Progress
              percent={jobProgressPercent(j)}
              size="small"
              showInfo={false}
              status={s === 'Failed' || s === 'FailureTarget' ? 'exception' : s === 'Complete' ? 'success' : 'active'}
              aria-label={t('jobs.col.completions')}
            />
          </div>
        );
      },
    },
    { title: t('jobs.col.duration'), key: 'duration', render: (_, j) => <span data-testid="duration">{jobDurationText(j, now)}</span> },
    { title: t('jobs.col.created'), key: 'created', render: (_, j) => <TimeText value={j.metadata.creationTimestamp} /> },
    { title: t('jobs.col.completionTime'), key: 'completionTime', render: (_, j) => <span data-testid="completion-time"><TimeText value={jobCompletionTime(j)} /></span> },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('common.namespace')}
          style={{ minWidth: 180 }}
          value={filters.namespace}
          onChange={(namespace) => onFiltersChange({ ...filters, namespace })}
          options={[{ value: '', label: t('common.allNamespaces') }, ...namespaces.map((n) => ({ value: n, label: n }))]}
        />
        <Select
          aria-label={t('jobs.col.status')}
          style={{ minWidth: 160 }}
          value={filters.status}
          onChange={(status) => onFiltersChange({ ...filters, status })}
          options={[{ value: '', label: t('jobs.anyStatus') }, ...JOB_STATUS_FILTERS.map((s) => ({ value: s, label: t(`jobStatus.${s}` as MessageKey) }))]}
        />
        <Input.Search
          aria-label={t('jobs.labelFilter')}
          placeholder={t('jobs.labelFilterPlaceholder')}
          allowClear
          defaultValue={filters.label}
          onSearch={(label) => onFiltersChange({ ...filters, label: label.trim() })}
          style={{ width: 280 }}
        />
      </Space>
      <ErrorAlert error={error} />
      <Table<Job>
        rowKey={(j) => j.metadata.uid ?? `${j.metadata.namespace}/${j.metadata.name}`}
        columns={columns}
        dataSource={jobs ? visibleJobs(jobs, filters.status) : []}
        loading={jobs === undefined && !error}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('jobs.empty') }}
        size="middle"
      />
    </>
  );
}
