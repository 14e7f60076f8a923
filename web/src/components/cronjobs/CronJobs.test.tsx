import '../../test/setup-dom.js';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from '../../../../api/batch.js';
import { FakeFetch, jsonResponse, statusResponse, type FakeRequest, type WatchStream } from '../../lib/k8s/fake-fetch.js';
import { condition, newJob } from '../../lib/k8s/fixtures.js';
import CronJobListPage from '../../pages/CronJobListPage.js';
import { renderConsole, renderWithClusters } from '../../test/render.js';
import { Shell } from '../layout/Shell.js';
import { CronJobTable } from './CronJobTable.js';

const NOW = Date.parse('2026-01-02T03:00:00Z');

function newCronJob(name: string, o: { namespace?: string; suspend?: boolean; timeZone?: string; status?: CronJob['status']; creationTimestamp?: string } = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, resourceVersion: '10', creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z' },
    spec: {
      schedule: '0 2 * * *',
      ...(o.timeZone ? { timeZone: o.timeZone } : {}),
      concurrencyPolicy: 'Allow',
      suspend: o.suspend ?? false,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { containers: [{ name: 'container-0', image: 'busybox:latest', command: ['sh', '-c', 'echo hi'] }], restartPolicy: 'Never' } } },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    ...(o.status ? { status: o.status } : {}),
  };
}

function jobOf(cj: CronJob, name: string, o: Parameters<typeof newJob>[0] = {}, annotations: Record<string, string> = {}): Job {
  const j = newJob({ name, namespace: cj.metadata.namespace, ...o });
  j.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  j.metadata.annotations = annotations;
  return j;
}

const rowOf = (key: string) => document.querySelector<HTMLElement>(`tr[data-row-key="${key}"]`);
const noop = async () => undefined;

describe('CronJobTable', () => {
  it('shows schedule with time zone, suspend, active, last schedule and last successful with their age, and age', () => {
    const cj = newCronJob('nightly', {
      timeZone: 'Asia/Shanghai',
      suspend: true,
      creationTimestamp: '2026-01-01T03:00:00Z',
      status: { active: [{ kind: 'Job', name: 'nightly-29457720', namespace: 'default' }], lastScheduleTime: '2026-01-02T02:00:00Z', lastSuccessfulTime: '2026-01-02T02:55:00Z' },
    });
    renderConsole(<CronJobTable cronJobs={[cj, newCronJob('plain')]} jobs={[]} now={NOW} onSuspend={noop} onRunNow={noop} onDelete={noop} />);
    const r = within(rowOf('default/nightly')!);
    expect(r.getByTestId('cronjob-name').textContent).toBe('nightly');
    expect(r.getByTestId('schedule').textContent).toBe('0 2 * * *');
    expect(r.getByTestId('time-zone').textContent).toBe('Asia/Shanghai');
    expect(r.getByRole('switch', { name: 'Suspend nightly' }).getAttribute('aria-checked')).toBe('true');
    expect(r.getByTestId('active').textContent).toBe('1');
    expect(r.getByTestId('active').getAttribute('title')).toBe('nightly-29457720');
    expect(r.getByTestId('last-schedule').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-02T02:00:00Z');
    expect(r.getByTestId('last-schedule-age').textContent).toBe('60m ago');
    expect(r.getByTestId('last-successful').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-02T02:55:00Z');
    expect(r.getByTestId('last-successful-age').textContent).toBe('5m ago');
    expect(r.getByTestId('age').textContent).toBe('24h');

    const plain = within(rowOf('default/plain')!);
    expect(plain.queryByTestId('time-zone')).toBeNull();
    expect(plain.getByRole('switch', { name: 'Suspend plain' }).getAttribute('aria-checked')).toBe('false');
    expect(plain.getByTestId('active').textContent).toBe('0');
    expect(plain.getByTestId('last-schedule').textContent).toBe('—');
    expect(plain.queryByTestId('last-schedule-age')).toBeNull();
  });

  it('opens a row onto the CronJob’s own Jobs, newest first, with status and links', () => {
    const cj = newCronJob('nightly');
    const other = newCronJob('other');
    const jobs = [
      jobOf(cj, 'nightly-29456280', { creationTimestamp: '2026-01-01T02:00:00Z', succeeded: 1, completionTime: '2026-01-01T02:00:20Z', startTime: '2026-01-01T02:00:00Z', conditions: [condition('Complete')] }, { 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T02:00:00Z' }),
      jobOf(cj, 'nightly-29457720', { creationTimestamp: '2026-01-02T02:00:00Z', failed: 2, startTime: '2026-01-02T02:00:00Z', conditions: [condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] }, { 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-02T02:00:00Z' }),
      jobOf(cj, 'nightly-manual-x2b4c', { creationTimestamp: '2026-01-02T02:30:00Z', active: 1, startTime: '2026-01-02T02:30:00Z' }, { 'cronjob.kubernetes.io/instantiate': 'manual' }),
      jobOf(other, 'other-29457720', { creationTimestamp: '2026-01-02T02:00:00Z' }),
      newJob({ name: 'unowned' }),
    ];
    renderConsole(<CronJobTable cronJobs={[cj]} jobs={jobs} now={NOW} onSuspend={noop} onRunNow={noop} onDelete={noop} />);
    fireEvent.click(rowOf('default/nightly')!.querySelector('.ant-table-row-expand-icon')!);
    const table = screen.getByTestId('cronjob-jobs');
    const links = within(table).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['nightly-manual-x2b4c', '/jobs/default/nightly-manual-x2b4c'],
      ['nightly-29457720', '/jobs/default/nightly-29457720'],
      ['nightly-29456280', '/jobs/default/nightly-29456280'],
    ]);
    const row = (name: string) => within(within(table).getByRole('link', { name }).closest('tr')!);
    expect(row('nightly-manual-x2b4c').getByText('Running')).toBeTruthy();
    expect(row('nightly-manual-x2b4c').getByTestId('manual-run').textContent).toBe('manual');
    expect(row('nightly-29457720').getByText('Failed')).toBeTruthy();
    expect(row('nightly-29457720').getByTestId('failure-reason').textContent).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(row('nightly-29457720').getByTestId('scheduled-time').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-02T02:00:00Z');
    expect(row('nightly-29456280').getByText('Complete')).toBeTruthy();
    expect(row('nightly-29456280').getByTestId('completions').textContent).toBe('1/1');
    expect(row('nightly-29456280').getByTestId('completion-time').querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-01T02:00:20Z');
    expect(row('nightly-29456280').getByTestId('duration').textContent).toBe('20s');
  });

  it('speaks Chinese', () => {
    renderConsole(<CronJobTable cronJobs={[newCronJob('nightly', { status: { lastScheduleTime: '2026-01-02T02:00:00Z' } })]} jobs={[]} now={NOW} onSuspend={noop} onRunNow={noop} onDelete={noop} />, { lang: 'zh' });
    expect(screen.getByText('调度计划')).toBeTruthy();
    expect(screen.getByText('上次调度')).toBeTruthy();
    expect(screen.getByRole('button', { name: /立即运行/ })).toBeTruthy();
    expect(screen.getByTestId('last-schedule-age').textContent).toBe('60m前');
  });
});

/** A fake API server with CronJobs, Jobs and namespaces; watches stay open for the test to push events. */
function cronJobServer(cronJobs: CronJob[], jobs: Job[] = [], o: { refuseJobs?: string } = {}) {
  const fake = new FakeFetch();
  const posted: Job[] = [];
  fake.on((r: FakeRequest) => {
    const p = r.url.pathname;
    if (r.url.searchParams.get('watch') === '1') return undefined;
    if (r.method === 'GET' && p === '/api/v1/namespaces') return jsonResponse({ kind: 'NamespaceList', metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'default' } }, { metadata: { name: 'team-a' } }] });
    if (r.method === 'GET' && /^\/apis\/batch\/v1(\/namespaces\/[^/]+)?\/cronjobs$/.test(p)) return jsonResponse({ kind: 'CronJobList', metadata: { resourceVersion: '10' }, items: cronJobs });
    if (r.method === 'GET' && /^\/apis\/batch\/v1(\/namespaces\/[^/]+)?\/jobs$/.test(p)) return jsonResponse({ kind: 'JobList', metadata: { resourceVersion: '10' }, items: jobs });
    const patch = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/cronjobs\/([^/]+)$/.exec(p);
    if (r.method === 'PATCH' && patch) {
      const cj = cronJobs.find((c) => c.metadata.name === patch[2]);
      if (!cj) return statusResponse(404, 'NotFound', `cronjobs.batch "${patch[2]}" not found`);
      return jsonResponse({ ...cj, spec: { ...cj.spec, ...(r.body as { spec: object }).spec } });
    }
    if (r.method === 'DELETE' && patch) return jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    if (r.method === 'POST' && /^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs$/.test(p)) {
      if (o.refuseJobs) return statusResponse(403, 'Forbidden', o.refuseJobs);
      const j = r.body as Job;
      posted.push(j);
      return jsonResponse({ ...j, metadata: { ...j.metadata, uid: 'new-uid', creationTimestamp: '2026-01-02T03:00:00Z' } }, 201);
    }
    if (r.method === 'POST' && /^\/apis\/batch\/v1\/namespaces\/[^/]+\/cronjobs$/.test(p)) {
      const cj = r.body as CronJob;
      if (cj.spec.schedule === '61 * * * *') {
        return statusResponse(422, 'Invalid', `CronJob.batch "${cj.metadata.name}" is invalid: spec.schedule: Invalid value: "61 * * * *": unparseable schedule: minute 61 is out of range 0-59`, [
          { reason: 'FieldValueInvalid', field: 'spec.schedule', message: 'Invalid value: "61 * * * *": unparseable schedule: minute 61 is out of range 0-59' },
        ]);
      }
      return jsonResponse({ ...cj, metadata: { ...cj.metadata, uid: 'made-uid' } }, 201);
    }
    return undefined;
  });
  const watchOf = (resource: string): WatchStream | undefined => fake.watches.find((w) => w.request.url.pathname.endsWith(`/${resource}`) && !w.closed);
  return { fake, posted, watchOf };
}

describe('CronJobs page', () => {
  it('lists CronJobs live: a watch event updates the row, a deleted one goes away', async () => {
    const cj = newCronJob('nightly');
    const { fake, watchOf } = cronJobServer([cj]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    await waitFor(() => expect(rowOf('default/nightly')).not.toBeNull());
    expect(fake.requests.some((r) => r.url.pathname === '/apis/batch/v1/cronjobs' && r.url.searchParams.get('watch') === null)).toBe(true);
    await fake.until(() => watchOf('cronjobs') !== undefined, 'the cronjobs watch');
    expect(watchOf('cronjobs')!.request.url.searchParams.get('resourceVersion')).toBe('10');
    act(() => watchOf('cronjobs')!.send({ type: 'MODIFIED', object: { ...cj, metadata: { ...cj.metadata, resourceVersion: '11' }, spec: { ...cj.spec, suspend: true }, status: { active: [{ kind: 'Job', name: 'nightly-1', namespace: 'default' }] } } }));
    await waitFor(() => expect(within(rowOf('default/nightly')!).getByRole('switch').getAttribute('aria-checked')).toBe('true'));
    expect(within(rowOf('default/nightly')!).getByTestId('active').textContent).toBe('1');
    act(() => watchOf('cronjobs')!.send({ type: 'DELETED', object: { ...cj, metadata: { ...cj.metadata, resourceVersion: '12' } } }));
    await waitFor(() => expect(rowOf('default/nightly')).toBeNull());
    expect(screen.getByText('No CronJobs')).toBeTruthy();
  });

  it('sends the full form to the create wizard with type CronJob chosen', async () => {
    const { fake } = cronJobServer([]);
    function Wizard() {
      const location = useLocation();
      return <output data-testid="wizard">{`${location.pathname}${location.search}`}</output>;
    }
    renderConsole(
      <Routes>
        <Route path="/cronjobs" element={<CronJobListPage />} />
        <Route path="/jobs/create" element={<Wizard />} />
      </Routes>,
      { fake, route: '/cronjobs' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Create with the wizard' }));
    expect((await screen.findByTestId('wizard')).textContent).toBe('/jobs/create?type=CronJob');
  });

  it('lists one namespace when one is chosen', async () => {
    const { fake } = cronJobServer([newCronJob('nightly', { namespace: 'team-a' })]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs?namespace=team-a' });
    await waitFor(() => expect(rowOf('team-a/nightly')).not.toBeNull());
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.url.searchParams.get('watch') === null).map((r) => r.url.pathname);
    expect(lists).toContain('/apis/batch/v1/namespaces/team-a/cronjobs');
    expect(lists).toContain('/apis/batch/v1/namespaces/team-a/jobs');
    expect(lists).not.toContain('/apis/batch/v1/cronjobs');
  });

  it('suspends with a JSON merge patch of spec.suspend', async () => {
    const { fake } = cronJobServer([newCronJob('nightly')]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    await waitFor(() => expect(rowOf('default/nightly')).not.toBeNull());
    fireEvent.click(within(rowOf('default/nightly')!).getByRole('switch', { name: 'Suspend nightly' }));
    await fake.until(() => fake.requests.some((r) => r.method === 'PATCH'), 'the patch');
    const patch = fake.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.url.pathname).toBe('/apis/batch/v1/namespaces/default/cronjobs/nightly');
    expect(patch.headers['Content-Type']).toBe('application/merge-patch+json');
    expect(patch.headers['X-CSRF-Token']).toBe('csrf-test');
    expect(patch.body).toEqual({ spec: { suspend: true } });
    expect(await screen.findByText('CronJob nightly suspended: no new Jobs are scheduled')).toBeTruthy();
  });

  it('runs a CronJob now: posts its Job as kubectl create job --from does, and links to it', async () => {
    const cj = newCronJob('nightly');
    const { fake, posted } = cronJobServer([cj]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    await waitFor(() => expect(rowOf('default/nightly')).not.toBeNull());
    fireEvent.click(within(rowOf('default/nightly')!).getByRole('button', { name: /Run now/ }));
    await fake.until(() => posted.length === 1, 'the Job POST');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe('/apis/batch/v1/namespaces/default/jobs');
    const job = posted[0]!;
    expect(job.metadata.name).toMatch(/^nightly-manual-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(job.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.labels).toEqual({ app: 'nightly' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'uid-nightly', controller: true }]);
    expect(job.spec).toEqual(cj.spec.jobTemplate.spec);
    const done = await screen.findByTestId('run-now-done');
    expect(done.textContent).toContain('CronJob nightly is running now as Job');
    const link = within(done).getByRole('link', { name: job.metadata.name! });
    expect(link.getAttribute('href')).toBe(`/jobs/default/${job.metadata.name}`);
  });

  it('shows the server’s refusal of Run now', async () => {
    const { fake } = cronJobServer([newCronJob('nightly')], [], { refuseJobs: 'jobs.batch is forbidden: quota exceeded' });
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    await waitFor(() => expect(rowOf('default/nightly')).not.toBeNull());
    fireEvent.click(within(rowOf('default/nightly')!).getByRole('button', { name: /Run now/ }));
    expect(await screen.findByText('jobs.batch is forbidden: quota exceeded')).toBeTruthy();
  });

  it('deletes after a confirmation, with propagationPolicy Background', async () => {
    const { fake } = cronJobServer([newCronJob('nightly')]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    await waitFor(() => expect(rowOf('default/nightly')).not.toBeNull());
    fireEvent.click(within(rowOf('default/nightly')!).getByRole('button', { name: 'Delete nightly' }));
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(await screen.findByText('Delete CronJob nightly?')).toBeTruthy();
    expect(screen.getByText('Its Jobs and their pods are deleted with it.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await fake.until(() => fake.requests.some((r) => r.method === 'DELETE'), 'the DELETE');
    const del = fake.requests.find((r) => r.method === 'DELETE')!;
    expect(del.url.pathname).toBe('/apis/batch/v1/namespaces/default/cronjobs/nightly');
    expect(del.body).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    expect(await screen.findByText('CronJob nightly deleted')).toBeTruthy();
  });
});

describe('Create CronJob', () => {
  const fill = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });

  it('posts the CronJob with fieldValidation=Strict in the page’s namespace, and closes', async () => {
    const { fake } = cronJobServer([]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs?namespace=team-a' });
    fireEvent.click(await screen.findByRole('button', { name: /Create CronJob/ }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByTestId('schedule-help').textContent).toContain('minute hour day-of-month month day-of-week');
    const create = dialog.getByRole('button', { name: 'Create' });
    expect(create.hasAttribute('disabled')).toBe(true);
    fill('cj-name', 'report');
    // An example fills the schedule.
    fireEvent.click(dialog.getByTitle('every day at 02:00'));
    expect((document.getElementById('cj-schedule') as HTMLInputElement).value).toBe('0 2 * * *');
    fill('cj-timezone', 'Asia/Shanghai');
    fireEvent.click(dialog.getByRole('radio', { name: 'Forbid' }));
    expect(dialog.getByText('A run is skipped while an earlier one is active.')).toBeTruthy();
    fill('cj-image', 'busybox:latest');
    fill('cj-command', 'echo hello');
    fireEvent.click(dialog.getByRole('radio', { name: 'OnFailure' }));
    fireEvent.click(create);
    await fake.until(() => fake.requests.some((r) => r.method === 'POST'), 'the POST');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe('/apis/batch/v1/namespaces/team-a/cronjobs');
    expect(post.url.searchParams.get('fieldValidation')).toBe('Strict');
    expect(post.url.searchParams.get('dryRun')).toBeNull();
    expect(post.body).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'team-a' },
      spec: {
        schedule: '0 2 * * *',
        timeZone: 'Asia/Shanghai',
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'container-0', image: 'busybox:latest', command: ['sh', '-c', 'echo hello'] }], restartPolicy: 'OnFailure' } } } },
      },
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('CronJob report created')).toBeTruthy();
  });

  it('shows the server’s 422 with its field path and stays open', async () => {
    const { fake } = cronJobServer([]);
    renderConsole(<CronJobListPage />, { fake, route: '/cronjobs' });
    fireEvent.click(await screen.findByRole('button', { name: /Create CronJob/ }));
    const dialog = within(await screen.findByRole('dialog'));
    fill('cj-name', 'bad');
    fill('cj-schedule', '61 * * * *');
    fill('cj-image', 'busybox:latest');
    fireEvent.click(dialog.getByRole('button', { name: 'Create' }));
    const alert = await dialog.findByTestId('cronjob-create-error');
    expect(alert.textContent).toContain('The server refused the CronJob');
    expect(alert.textContent).toContain('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *"');
    // The cause is shown at the schedule field too.
    const scheduleItem = document.getElementById('cj-schedule')!.closest('.ant-form-item')!;
    expect(scheduleItem.classList.contains('ant-form-item-has-error')).toBe(true);
    expect(scheduleItem.textContent).toContain('spec.schedule: Invalid value: "61 * * * *": unparseable schedule: minute 61 is out of range 0-59');
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect((document.getElementById('cj-name') as HTMLInputElement).value).toBe('bad');
    // Defaults the namespace to `default` when the page shows all namespaces.
    expect(fake.requests.find((r) => r.method === 'POST')!.url.pathname).toBe('/apis/batch/v1/namespaces/default/cronjobs');
  });
});

describe('navigation', () => {
  it('offers CronJobs right after Jobs (定时任务 in Chinese)', async () => {
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/clusters' ? jsonResponse({ kind: 'ClusterList', items: [{ metadata: { name: 'local' }, spec: { server: 'https://127.0.0.1:6443', local: true } }] }) : undefined));
    renderWithClusters(
      <Shell>
        <div />
      </Shell>,
      { fake, lang: 'zh', route: '/cronjobs' },
    );
    const link = await screen.findByRole('link', { name: '定时任务' });
    expect(link.getAttribute('href')).toBe('/cronjobs');
    const items = [...document.querySelectorAll('.ant-menu-item')];
    expect(items.map((i) => i.querySelector('a')?.getAttribute('href')).slice(0, 3)).toEqual(['/jobs', '/cronjobs', '/pods']);
    expect(link.closest('.ant-menu-item')!.classList.contains('ant-menu-item-selected')).toBe(true);
  });
});
