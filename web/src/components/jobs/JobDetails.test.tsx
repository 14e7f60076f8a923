import '../../test/setup-dom.js';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { condition, containerStatus, newEvent, newJob, newPod, running, terminated, waiting } from '../../lib/k8s/fixtures.js';
import { renderConsole } from '../../test/render.js';
import { JobDetailsRenderer, type JobDetailsRendererProps } from './JobDetails.js';

const NOW = Date.parse('2026-01-01T00:05:00Z');

function renderDetails(p: Partial<JobDetailsRendererProps> & Pick<JobDetailsRendererProps, 'job'>, lang: 'en' | 'zh' = 'en') {
  return renderConsole(<JobDetailsRenderer pods={[]} events={[]} now={NOW} tab="pods" onTabChange={() => undefined} logs={null} yaml={null} {...p} />, { lang });
}

describe('JobDetailsRenderer (docs/product.md#job-detail)', () => {
  it('puts a failure card on top of a failed job: reason, failing pod, exit code, last log lines', () => {
    const job = newJob({ name: 'oom', failed: 2, startTime: '2026-01-01T00:00:00Z', conditions: [condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] });
    const pod = newPod({ job, name: 'oom-x1', phase: 'Failed', containerStatuses: [containerStatus('container-0', terminated(137, 'OOMKilled'))] });
    renderDetails({ job, pods: [pod], failureLog: { lines: ['allocating 512Mi', 'Killed'] } });
    const card = screen.getByTestId('failure-card');
    expect(card.textContent).toContain('The job failed: BackoffLimitExceeded');
    expect(card.textContent).toContain('Job has reached the specified backoff limit');
    expect(within(card).getByRole('link', { name: 'oom-x1' }).getAttribute('href')).toBe('/pods/default/oom-x1');
    expect(within(card).getByTestId('exit-code').textContent).toBe('137');
    expect(card.textContent).toContain('OOMKilled');
    expect(card.textContent).toContain('raise the memory limit');
    expect(within(card).getByTestId('failure-log').textContent).toBe('allocating 512Mi\nKilled');
  });

  it('warns about a pod stuck pulling its image while the job runs', () => {
    const job = newJob({ active: 1, startTime: '2026-01-01T00:00:00Z' });
    const pod = newPod({ job, phase: 'Pending', containerStatuses: [containerStatus('container-0', waiting('ErrImagePull', 'pull access denied for nope'))] });
    renderDetails({ job, pods: [pod] });
    const card = screen.getByTestId('failure-card');
    expect(card.textContent).toContain('A pod cannot make progress: ErrImagePull');
    expect(card.textContent).toContain('pull access denied for nope');
  });

  it('links a CronJob’s run back to the CronJobs page, and a plain Job to nothing', () => {
    const job = newJob({ name: 'nightly-29626620', active: 1, startTime: '2026-01-01T00:00:00Z' });
    job.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }];
    const { unmount } = renderDetails({ job });
    expect(screen.getByRole('link', { name: 'CronJob/nightly' }).getAttribute('href')).toBe('/cronjobs?namespace=default');
    unmount();
    renderDetails({ job: newJob({ active: 1, startTime: '2026-01-01T00:00:00Z' }) });
    expect(screen.queryByRole('link', { name: /^CronJob\// })).toBeNull();
  });

  it('has no failure card for a healthy job', () => {
    const job = newJob({ active: 1, startTime: '2026-01-01T00:00:00Z' });
    renderDetails({ job, pods: [newPod({ job, phase: 'Running', containerStatuses: [containerStatus('container-0', running(), { ready: true })] })] });
    expect(screen.queryByTestId('failure-card')).toBeNull();
  });

  it('shows the summary, pod counts and the conditions', () => {
    const job = newJob({
      completions: 2,
      parallelism: 2,
      succeeded: 2,
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:00:40Z',
      conditions: [condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'), condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods')],
    });
    const pods = ['a', 'b'].map((n) => newPod({ job, name: `busybox-${n}`, phase: 'Succeeded', containerStatuses: [containerStatus('container-0', terminated(0))] }));
    renderDetails({ job, pods });
    expect(screen.getByTestId('detail-completions').textContent).toBe('2/2');
    expect(screen.getByTestId('pod-counts').textContent).toBe('0 active (0 ready), 2 succeeded, 0 failed');
    expect(screen.getByTestId('detail-completion-time').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-01T00:00:40Z');
    expect(screen.getAllByText('CompletionsReached')).toHaveLength(2);
    expect(screen.getByText('SuccessCriteriaMet')).toBeTruthy();
  });

  it('withholds the completion time while one of the pods has not finished', () => {
    const job = newJob({ succeeded: 1, completionTime: '2026-01-01T00:00:40Z', conditions: [condition('Complete')] });
    renderDetails({ job, pods: [newPod({ job, phase: 'Running' })] });
    expect(screen.getByTestId('detail-completion-time').textContent).toBe('—');
  });

  it('lists the pods with kubectl’s status words and exit codes', () => {
    const job = newJob({ active: 1, failed: 1 });
    const pods = [
      newPod({ job, name: 'p-ok', phase: 'Succeeded', creationTimestamp: '2026-01-01T00:00:01Z', containerStatuses: [containerStatus('container-0', terminated(0))] }),
      newPod({ job, name: 'p-err', phase: 'Failed', creationTimestamp: '2026-01-01T00:00:02Z', containerStatuses: [containerStatus('container-0', terminated(3))] }),
      newPod({ job, name: 'p-run', phase: 'Running', creationTimestamp: '2026-01-01T00:00:03Z', containerStatuses: [containerStatus('container-0', running(), { ready: true })] }),
    ];
    renderDetails({ job, pods });
    const rows = screen.getAllByRole('row').filter((r) => r.querySelector('a[href^="/pods/"]'));
    expect(rows.map((r) => [r.querySelector('a')?.textContent, r.querySelector('[data-status]')?.getAttribute('data-status')])).toEqual([
      ['p-ok', 'Completed'],
      ['p-err', 'Error'],
      ['p-run', 'Running'],
    ]);
    expect(within(rows[1]).getByText('3')).toBeTruthy();
  });

  it('shows events when that tab is open', () => {
    const job = newJob();
    renderDetails({ job, tab: 'events', events: [newEvent({ reason: 'SuccessfulCreate', message: 'Created pod: busybox-abcde' })] });
    expect(screen.getByText('Created pod: busybox-abcde')).toBeTruthy();
  });

  it('speaks Chinese', () => {
    renderDetails({ job: newJob({ conditions: [condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline')] }) }, 'zh');
    expect(screen.getByTestId('failure-card').textContent).toContain('任务失败: DeadlineExceeded');
    expect(screen.getByText('状况')).toBeTruthy();
  });
});
