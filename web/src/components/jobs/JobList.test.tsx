import '../../test/setup-dom.js';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { condition, newJob } from '../../lib/k8s/fixtures.js';
import { renderConsole } from '../../test/render.js';
import { JobListRenderer, visibleJobs, type JobListFilters } from './JobList.js';

const NOW = Date.parse('2026-01-01T00:05:00Z');
const noFilters: JobListFilters = { namespace: '', status: '', label: '' };

const running = newJob({ name: 'running', completions: 4, parallelism: 2, succeeded: 1, active: 2, startTime: '2026-01-01T00:00:00Z', creationTimestamp: '2026-01-01T00:00:00Z' });
const complete = newJob({
  name: 'done',
  completions: 2,
  parallelism: 2,
  succeeded: 2,
  startTime: '2026-01-01T00:00:00Z',
  completionTime: '2026-01-01T00:01:30Z',
  conditions: [condition('SuccessCriteriaMet', 'CompletionsReached'), condition('Complete', 'CompletionsReached')],
  creationTimestamp: '2025-12-31T23:59:00Z',
});
const completing = newJob({
  name: 'completing',
  completions: 1,
  succeeded: 1,
  terminating: 1,
  startTime: '2026-01-01T00:00:00Z',
  completionTime: '2026-01-01T00:01:00Z',
  conditions: [condition('Complete')],
  creationTimestamp: '2025-12-31T23:58:00Z',
});
const failed = newJob({
  name: 'broken',
  failed: 7,
  startTime: '2026-01-01T00:00:00Z',
  conditions: [condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', '2026-01-01T00:02:00Z')],
  creationTimestamp: '2025-12-31T23:57:00Z',
});

function row(name: string): HTMLElement {
  return screen.getByRole('link', { name }).closest('tr') as HTMLElement;
}

describe('JobListRenderer (docs/product.md#job-list-completion-time)', () => {
  it('shows name, namespace, status, completions with progress, duration and creation time', () => {
    renderConsole(<JobListRenderer jobs={[running]} now={NOW} namespaces={['default']} filters={noFilters} onFiltersChange={() => undefined} />);
    const r = row('running');
    expect(r.querySelector('a')?.getAttribute('href')).toBe('/jobs/default/running');
    expect(within(r).getByText('default')).toBeTruthy();
    expect(within(r).getByText('Running')).toBeTruthy();
    expect(within(r).getByTestId('completions').textContent).toBe('1/4');
    expect(within(r).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(within(r).getByTestId('duration').textContent).toBe('5m');
    expect(within(r).getByText(/2026/)).toBeTruthy();
  });

  it('shows the completion time only once every pod has finished', () => {
    renderConsole(<JobListRenderer jobs={[running, complete, completing]} now={NOW} namespaces={[]} filters={noFilters} onFiltersChange={() => undefined} />);
    expect(within(row('done')).getByTestId('completion-time').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-01T00:01:30Z');
    expect(within(row('done')).getByTestId('duration').textContent).toBe('90s');
    expect(within(row('running')).getByTestId('completion-time').textContent).toBe('—');
    expect(within(row('completing')).getByTestId('completion-time').textContent).toBe('—');
  });

  it('shows the failure reason under a failed job’s status', () => {
    renderConsole(<JobListRenderer jobs={[failed]} now={NOW} namespaces={[]} filters={noFilters} onFiltersChange={() => undefined} />);
    const r = row('broken');
    expect(within(r).getByText('Failed')).toBeTruthy();
    expect(within(r).getByTestId('failure-reason').textContent).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(within(r).getByTestId('duration').textContent).toBe('2m');
  });

  it('filters by status and lists newest first', () => {
    expect(visibleJobs([failed, complete, running], '').map((j) => j.metadata.name)).toEqual(['running', 'done', 'broken']);
    expect(visibleJobs([failed, complete, running], 'Failed').map((j) => j.metadata.name)).toEqual(['broken']);
    renderConsole(<JobListRenderer jobs={[failed, complete, running]} now={NOW} namespaces={[]} filters={{ ...noFilters, status: 'Complete' }} onFiltersChange={() => undefined} />);
    expect(screen.queryByRole('link', { name: 'running' })).toBeNull();
    expect(screen.getByRole('link', { name: 'done' })).toBeTruthy();
  });

  it('passes a typed label selector up', () => {
    const onChange = vi.fn();
    renderConsole(<JobListRenderer jobs={[]} now={NOW} namespaces={[]} filters={noFilters} onFiltersChange={onChange} />);
    const input = screen.getByLabelText('Label selector');
    // Input.Search searches on Enter.
    fireEvent.change(input, { target: { value: ' app=busybox ' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(onChange).toHaveBeenCalledWith({ namespace: '', status: '', label: 'app=busybox' });
  });

  it('speaks Chinese', () => {
    renderConsole(<JobListRenderer jobs={[complete]} now={NOW} namespaces={[]} filters={noFilters} onFiltersChange={() => undefined} />, { lang: 'zh' });
    expect(screen.getByText('完成时间')).toBeTruthy();
    expect(screen.getByText('已完成')).toBeTruthy();
  });

  it('shows an error beside the data instead of a blank page', () => {
    renderConsole(<JobListRenderer jobs={[complete]} error={new Error('watch broke')} now={NOW} namespaces={[]} filters={noFilters} onFiltersChange={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('watch broke');
    expect(screen.getByRole('link', { name: 'done' })).toBeTruthy();
  });
});
