// Status words as coloured tags: a Job's (kubectl STATUS) and a pod's.
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { JobStatusText } from '../../lib/k8s/job-status.js';
import { STUCK_WAITING_REASONS } from '../../lib/k8s/pod-status.js';

const JOB_COLORS: Record<JobStatusText, string> = {
  Complete: 'success',
  Failed: 'error',
  Terminating: 'default',
  Suspended: 'warning',
  FailureTarget: 'error',
  SuccessCriteriaMet: 'processing',
  Running: 'processing',
};

export function JobStatusTag({ status }: { status: JobStatusText }) {
  const { t } = useI18n();
  return (
    <Tag color={JOB_COLORS[status]} data-status={status}>
      {t(`jobStatus.${status}` as MessageKey)}
    </Tag>
  );
}

/** The colour of a pod STATUS word. */
export function podStatusColor(text: string): string {
  if (text === 'Completed' || text === 'Succeeded') return 'success';
  if (text === 'Running') return 'processing';
  if (text === 'Terminating' || text === 'Unknown') return 'default';
  if (text === 'Error' || text === 'Failed' || text === 'OOMKilled' || text.startsWith('ExitCode:') || text.startsWith('Signal:') || text.startsWith('Init:Error') || text.startsWith('Init:ExitCode')) return 'error';
  if (STUCK_WAITING_REASONS.has(text) || STUCK_WAITING_REASONS.has(text.replace(/^Init:/, ''))) return 'error';
  return 'warning';
}

export function PodStatusTag({ text }: { text: string }) {
  return (
    <Tag color={podStatusColor(text)} data-status={text}>
      {text}
    </Tag>
  );
}
