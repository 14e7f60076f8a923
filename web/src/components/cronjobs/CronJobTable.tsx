// CronJobs as kubectl shows them (schedule, time zone, suspend, active, last schedule, age) plus
// the last successful time; a row opens onto the CronJob's Jobs, newest first.
import { DeleteOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { CronJob, Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { humanDuration } from '../../../../machinery/human-readable.js';
import { timeOf } from '../../lib/k8s/duration.js';
import { jobCompletionsText, jobCompletionTime, jobDurationText, jobFailure, jobStatusText } from '../../lib/k8s/job-status.js';
import { JobStatusTag } from '../common/StatusTag.js';
import { TimeText } from '../common/TimeText.js';
import { activeCount, CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, isManualRun, jobsOfCronJob } from './cronjob-logic.js';

export interface CronJobActions {
  onSuspend(cj: CronJob, suspend: boolean): Promise<void>;
  onRunNow(cj: CronJob): Promise<void>;
  onDelete(cj: CronJob): Promise<void>;
}

export interface CronJobTableProps extends CronJobActions {
  cronJobs: CronJob[] | undefined;
  /** The Jobs of the shown namespace(s); each row picks its own by the controlling ownerReference. */
  jobs: Job[] | undefined;
  now: number;
}

export const cronJobKey = (cj: CronJob): string => `${cj.metadata.namespace ?? ''}/${cj.metadata.name ?? ''}`;

/** A time with its age beside it ("3m ago"); the exact time on hover of the TimeText. */
function TimeWithAge({ value, now, testId }: { value: string | undefined; now: number; testId: string }) {
  const { t } = useI18n();
  const at = timeOf(value);
  return (
    <Space orientation="vertical" size={0} data-testid={testId}>
      <TimeText value={value} />
      {at !== undefined && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`${testId}-age`}>
          {t('cronjobs.ago', { age: humanDuration(now - at) })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The Jobs of one CronJob: status, completions, when it was scheduled (or "manual"), times. */
export function CronJobJobsTable({ cronJob, jobs, now }: { cronJob: CronJob; jobs: Job[] | undefined; now: number }) {
  const { t } = useI18n();
  const own = jobs ? jobsOfCronJob(cronJob, jobs) : undefined;
  const columns: ColumnsType<Job> = [
    { title: t('jobs.col.name'), key: 'name', render: (_, j) => <Link to={`/jobs/${j.metadata.namespace}/${j.metadata.name}`}>{j.metadata.name}</Link> },
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
    { title: t('jobs.col.completions'), key: 'completions', render: (_, j) => <span data-testid="completions">{jobCompletionsText(j)}</span> },
    {
      title: t('cronjobs.col.scheduled'),
      key: 'scheduled',
      render: (_, j) =>
        isManualRun(j) ? (
          <Tag data-testid="manual-run">{t('cronjobs.manual')}</Tag>
        ) : (
          <span data-testid="scheduled-time">
            <TimeText value={j.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]} />
          </span>
        ),
    },
    { title: t('jobs.col.duration'), key: 'duration', render: (_, j) => <span data-testid="duration">{jobDurationText(j, now)}</span> },
    { title: t('jobs.col.completionTime'), key: 'completionTime', render: (_, j) => <span data-testid="completion-time"><TimeText value={jobCompletionTime(j)} /></span> },
  ];
  return (
    <div data-testid="cronjob-jobs">
    <Table<Job>
      rowKey={(j) => j.metadata.uid ?? j.metadata.name ?? ''}
      size="small"
      pagination={false}
      loading={own === undefined}
      dataSource={own ?? []}
      columns={columns}
      locale={{ emptyText: t('cronjobs.jobsEmpty') }}
    />
    </div>
  );
}

function RowActions({ cj, onRunNow, onDelete }: { cj: CronJob; onRunNow(cj: CronJob): Promise<void>; onDelete(cj: CronJob): Promise<void> }) {
  const { t } = useI18n();
  const [running, setRunning] = useState(false);
  const name = cj.metadata.name ?? '';
  return (
    <Space>
      <Button
        size="small"
        icon={<PlayCircleOutlined />}
        loading={running}
        onClick={() => {
          setRunning(true);
          void onRunNow(cj).finally(() => setRunning(false));
        }}
      >
        {t('cronjobs.runNow')}
      </Button>
      <Popconfirm title={t('cronjobs.deleteConfirm', { name })} description={t('cronjobs.deleteHelp')} okText={t('actions.delete')} okButtonProps={{ danger: true }} onConfirm={() => onDelete(cj)}>
        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('cronjobs.deleteAria', { name })} />
      </Popconfirm>
    </Space>
  );
}

function SuspendSwitch({ cj, onSuspend }: { cj: CronJob; onSuspend(cj: CronJob, suspend: boolean): Promise<void> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  return (
    <Switch
      size="small"
      checked={cj.spec.suspend === true}
      loading={busy}
      aria-label={t('cronjobs.suspendAria', { name: cj.metadata.name ?? '' })}
      onChange={(suspend) => {
        setBusy(true);
        void onSuspend(cj, suspend).finally(() => setBusy(false));
      }}
    />
  );
}

export function CronJobTable({ cronJobs, jobs, now, onSuspend, onRunNow, onDelete }: CronJobTableProps) {
  const { t } = useI18n();
  const columns: ColumnsType<CronJob> = [
    { title: t('common.name'), key: 'name', render: (_, cj) => <Typography.Text strong data-testid="cronjob-name">{cj.metadata.name}</Typography.Text> },
    { title: t('common.namespace'), key: 'namespace', render: (_, cj) => cj.metadata.namespace },
    {
      title: t('cronjobs.col.schedule'),
      key: 'schedule',
      render: (_, cj) => (
        <Space size={4} wrap>
          <Typography.Text code data-testid="schedule">
            {cj.spec.schedule}
          </Typography.Text>
          {cj.spec.timeZone && (
            <Tooltip title={t('cronjobs.timeZone')}>
              <Tag data-testid="time-zone">{cj.spec.timeZone}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('cronjobs.col.suspend'), key: 'suspend', render: (_, cj) => <SuspendSwitch cj={cj} onSuspend={onSuspend} /> },
    {
      title: t('cronjobs.col.active'),
      key: 'active',
      render: (_, cj) => (
        <span data-testid="active" title={(cj.status?.active ?? []).map((a) => a.name).join(', ') || undefined}>
          {activeCount(cj)}
        </span>
      ),
    },
    { title: t('cronjobs.col.lastSchedule'), key: 'lastSchedule', render: (_, cj) => <TimeWithAge value={cj.status?.lastScheduleTime} now={now} testId="last-schedule" /> },
    { title: t('cronjobs.col.lastSuccessful'), key: 'lastSuccessful', render: (_, cj) => <TimeWithAge value={cj.status?.lastSuccessfulTime} now={now} testId="last-successful" /> },
    {
      title: t('cronjobs.col.age'),
      key: 'age',
      render: (_, cj) => {
        const c = timeOf(cj.metadata.creationTimestamp);
        return (
          <span data-testid="age" title={cj.metadata.creationTimestamp}>
            {c === undefined ? '' : humanDuration(now - c)}
          </span>
        );
      },
    },
    { title: '', key: 'actions', render: (_, cj) => <RowActions cj={cj} onRunNow={onRunNow} onDelete={onDelete} /> },
  ];
  const sorted = (cronJobs ?? []).slice().sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return (
    <Table<CronJob>
      rowKey={cronJobKey}
      columns={columns}
      dataSource={sorted}
      loading={cronJobs === undefined}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      size="middle"
      locale={{ emptyText: t('cronjobs.empty') }}
      expandable={{ expandedRowRender: (cj) => <CronJobJobsTable cronJob={cj} jobs={jobs} now={now} /> }}
    />
  );
}
