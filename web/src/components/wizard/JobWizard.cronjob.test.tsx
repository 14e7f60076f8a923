import '../../test/setup-dom.js';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CronJob } from '../../../../api/batch.js';
import { newJobForm, type JobForm } from '../../lib/job-form/model.js';
import { KubeClient } from '../../lib/k8s/client.js';
import { FakeFetch, jsonResponse, statusResponse, type FakeRequest } from '../../lib/k8s/fake-fetch.js';
import { renderConsole } from '../../test/render.js';
import { JobWizard } from './JobWizard.js';

type DryRunScript = (req: FakeRequest) => Response | undefined;

function setup(initial: JobForm, dryRun: DryRunScript, lang: 'en' | 'zh' = 'en') {
  const fake = new FakeFetch();
  const list = (kind: string, items: unknown[] = []) => jsonResponse({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
  fake.on((r) => {
    if (r.url.searchParams.get('watch')) return undefined;
    const p = r.url.pathname;
    if (r.method === 'GET' && p === '/api/v1/namespaces') return list('NamespaceList', [{ metadata: { name: 'default' } }]);
    if (r.method === 'GET') return list('List');
    if (r.method === 'POST' && r.url.searchParams.get('dryRun') === 'All') return dryRun(r) ?? jsonResponse(r.body, 201);
    if (r.method === 'POST' && p.endsWith('/cronjobs')) {
      const cj = r.body as CronJob;
      return jsonResponse({ ...cj, metadata: { ...cj.metadata, uid: 'cj-uid', resourceVersion: '9' } }, 201);
    }
    return undefined;
  });
  const client = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'csrf-test' });
  const onCreated = vi.fn();
  renderConsole(<JobWizard initial={initial} clusters={[{ name: 'local', baseUrl: '' }]} clientFor={() => client} onCreated={onCreated} onCancel={() => undefined} />, { fake, lang });
  return { fake, onCreated };
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const posts = (fake: FakeFetch) => fake.requests.filter((r) => r.method === 'POST');
const invalid = (causes: [string, string][]) =>
  statusResponse(
    422,
    'Invalid',
    `CronJob.batch "nightly" is invalid: ${causes.map(([f, m]) => `${f}: ${m}`).join(', ')}`,
    causes.map(([field, message]) => ({ field, reason: 'FieldValueInvalid', message })),
  );

describe('JobWizard with the type CronJob', () => {
  it('asks for the schedule settings in step 1, checks each step against …/cronjobs, and creates the CronJob', async () => {
    let call = 0;
    const { fake, onCreated } = setup(newJobForm(), () => {
      call++;
      if (call === 1) return invalid([['spec.schedule', 'Required value'], ['spec.jobTemplate.spec.template.spec.containers[0].image', 'Required value']]);
      if (call === 4) return invalid([['spec.jobTemplate.spec.backoffLimit', 'Invalid value: -1: must be greater than or equal to 0']]);
      return undefined;
    });

    // Step 1: only Job until CronJob is chosen; then the schedule settings, history limits pre-filled 3 and 1.
    expect(input('f-cron-schedule')).toBeNull();
    fireEvent.click(screen.getByText('CronJob'));
    expect(input('f-cron-schedule')).toBeTruthy();
    expect([input('f-cron-successfulJobsHistoryLimit').value, input('f-cron-failedJobsHistoryLimit').value]).toEqual(['3', '1']);
    expect(input('f-cron-startingDeadlineSeconds').value).toBe('');
    expect(screen.getByText(/at most 52 characters/)).toBeTruthy();
    expect(input('f-name').maxLength).toBe(52);

    // No schedule: the server's error shows on the field; the container error waits for step 2.
    fireEvent.change(input('f-name'), { target: { value: 'nightly' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getByTestId('error-f-cron-schedule').textContent).toBe('Required value'));
    expect(screen.queryByTestId('error-f-containers-0-image')).toBeNull();
    expect(posts(fake)[0].url.pathname).toBe('/apis/batch/v1/namespaces/default/cronjobs');

    // An example fills the schedule (and clears its error).
    fireEvent.click(document.querySelector('[data-schedule="0 2 * * *"]')!);
    expect(input('f-cron-schedule').value).toBe('0 2 * * *');
    expect(screen.queryByTestId('error-f-cron-schedule')).toBeNull();
    fireEvent.change(input('f-cron-timeZone'), { target: { value: 'Asia/Shanghai' } });
    fireEvent.click(screen.getByText('Forbid'));
    expect(screen.getByText('A run is skipped while an earlier one is still active.')).toBeTruthy();
    fireEvent.change(input('f-cron-startingDeadlineSeconds'), { target: { value: '120' } });
    fireEvent.change(input('f-cron-failedJobsHistoryLimit'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    // Step 2 and 3 are the Job's, as for a Job.
    await waitFor(() => expect(input('f-containers-0-image')).toBeTruthy());
    fireEvent.change(input('f-containers-0-image'), { target: { value: 'busybox' } });
    fireEvent.blur(input('f-containers-0-image'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-completions')).toBeTruthy());
    expect(screen.getByTestId('cron-settings-note').textContent).toContain('each Job the CronJob starts');
    fireEvent.change(input('f-completions'), { target: { value: '2' } });

    // Create: the server refuses a job setting under spec.jobTemplate.spec; it shows on its field in step 3.
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(screen.getByTestId('error-f-backoffLimit').textContent).toBe('Invalid value: -1: must be greater than or equal to 0'));
    expect(onCreated).not.toHaveBeenCalled();
    fireEvent.change(input('f-backoffLimit'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));

    // Every request went to …/cronjobs, never to …/jobs.
    for (const p of posts(fake)) expect(p.url.pathname).toBe('/apis/batch/v1/namespaces/default/cronjobs');
    const create = posts(fake).at(-1)!;
    expect(create.url.searchParams.get('dryRun')).toBeNull();
    expect(create.url.searchParams.get('fieldValidation')).toBe('Strict');
    expect(create.headers['X-CSRF-Token']).toBe('csrf-test');
    const cj = create.body as CronJob;
    expect(cj).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'default', labels: { app: 'nightly' } } });
    const { jobTemplate, ...settings } = cj.spec;
    expect(settings).toEqual({ schedule: '0 2 * * *', timeZone: 'Asia/Shanghai', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 2 });
    expect(jobTemplate.metadata).toEqual({ labels: { app: 'nightly' } });
    expect(jobTemplate.spec).toMatchObject({ completions: 2, parallelism: 1, backoffLimit: 4 });
    expect(jobTemplate.spec?.template.spec.containers[0].image).toBe('busybox:latest');
    const result = onCreated.mock.calls[0][0];
    expect(result.job).toBeUndefined();
    expect(result.cronJob.metadata.uid).toBe('cj-uid');
    expect(result.objects).toEqual([{ kind: 'CronJob', apiVersion: 'batch/v1', namespace: 'default', name: 'nightly' }]);
  });

  it('shows the CronJob in the YAML view and reads a CronJob or a Job back from it', async () => {
    const initial = { ...newJobForm(), name: 'yaml' };
    setup(initial, () => undefined);
    fireEvent.click(screen.getByRole('switch', { name: 'YAML' }));
    expect(((await screen.findByLabelText('Job YAML')) as HTMLTextAreaElement).value).toContain('kind: Job');

    fireEvent.click(screen.getByText('CronJob'));
    fireEvent.change(input('f-cron-schedule'), { target: { value: '*/15 * * * *' } });
    const editor = (await screen.findByLabelText('CronJob YAML')) as HTMLTextAreaElement;
    await waitFor(() => expect(editor.value).toContain('schedule: "*/15 * * * *"'));
    expect(editor.value).toContain('kind: CronJob');
    expect(editor.value).toContain('jobTemplate:');
    expect(editor.value).toContain('successfulJobsHistoryLimit: 3');

    // YAML → form: the schedule and a field the form does not show (suspend) survive.
    await act(async () => {
      fireEvent.change(editor, { target: { value: editor.value.replace('schedule: "*/15 * * * *"', 'schedule: 0 0 1 1 *\n  suspend: true') } });
    });
    expect(input('f-cron-schedule').value).toBe('0 0 1 1 *');
    expect(editor.value).toContain('suspend: true');
    fireEvent.change(input('f-cron-timeZone'), { target: { value: 'UTC' } });
    await waitFor(() => expect(editor.value).toContain('timeZone: UTC'));
    expect(editor.value).toContain('suspend: true');

    // A Job pasted in switches the type back to Job.
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: plain\n  namespace: default\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox\n';
    await act(async () => {
      fireEvent.change(editor, { target: { value: job } });
    });
    expect(input('f-name').value).toBe('plain');
    expect(input('f-cron-schedule')).toBeNull();
    expect(await screen.findByLabelText('Job YAML')).toBeTruthy();
  });

  it('reads in Chinese with 定时任务 and the Cron expression wording', () => {
    setup(newJobForm(), () => undefined, 'zh');
    fireEvent.click(screen.getByText('定时任务'));
    expect(screen.getByText('调度策略（Cron 表达式）')).toBeTruthy();
    for (const label of ['时区', '并发策略', '启动截止时间', '成功任务保留数', '失败任务保留数']) expect(screen.getByText(label)).toBeTruthy();
  });
});
