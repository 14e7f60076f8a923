import '../../test/setup-dom.js';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../../api/batch.js';
import { newJobForm, type JobForm } from '../../lib/job-form/model.js';
import { KubeClient } from '../../lib/k8s/client.js';
import { FakeFetch, jsonResponse, statusResponse, type FakeRequest } from '../../lib/k8s/fake-fetch.js';
import { renderConsole } from '../../test/render.js';
import { JobWizard } from './JobWizard.js';

type DryRunScript = (req: FakeRequest) => Response | undefined;

function setup(initial: JobForm, dryRun: DryRunScript) {
  const fake = new FakeFetch();
  const list = (kind: string, items: unknown[] = []) => jsonResponse({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
  fake.on((r) => {
    if (r.url.searchParams.get('watch')) return undefined;
    const p = r.url.pathname;
    if (r.method === 'GET' && p === '/api/v1/namespaces') return list('NamespaceList', [{ metadata: { name: 'default' } }]);
    if (r.method === 'GET' && p === '/api/v1/nodes') return list('NodeList', [{ metadata: { name: 'local' }, status: { images: [{ names: ['busybox:1.36', 'busybox:latest'], sizeBytes: 1_200_000 }] } }]);
    if (r.method === 'GET') return list('List');
    if (r.method === 'POST' && p.endsWith('/jobs') && r.url.searchParams.get('dryRun') === 'All') return dryRun(r) ?? jsonResponse(r.body, 201);
    if (r.method === 'POST' && p.endsWith('/jobs')) {
      const job = r.body as Job;
      return jsonResponse({ ...job, metadata: { ...job.metadata, uid: 'new-uid', resourceVersion: '9' } }, 201);
    }
    return undefined;
  });
  const client = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'csrf-test' });
  const onCreated = vi.fn();
  const view = renderConsole(<JobWizard initial={initial} clusters={[{ name: 'local', baseUrl: '' }]} clientFor={() => client} onCreated={onCreated} onCancel={() => undefined} />, { fake });
  return { fake, onCreated, view };
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const dryRuns = (fake: FakeFetch) => fake.requests.filter((r) => r.method === 'POST' && r.url.searchParams.get('dryRun') === 'All');
const invalid = (field: string, message: string) => statusResponse(422, 'Invalid', `Job.batch "x" is invalid: ${field}: ${message}`, [{ field, reason: 'FieldValueInvalid', message }]);

describe('JobWizard', () => {
  it('walks the wizard’s three steps, checks each with a server dry run, and creates the Job', async () => {
    let call = 0;
    const { fake, onCreated } = setup(newJobForm(), () => {
      call++;
      if (call === 1) return invalid('metadata.name', 'Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters');
      if (call === 2) return invalid('spec.template.spec.containers[0].image', 'Required value');
      return undefined;
    });

    // Step 1: basic information. The server refuses the name; the error shows on the field.
    fireEvent.change(input('f-name'), { target: { value: 'Bad_Name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getByTestId('error-f-name').textContent).toContain('a lowercase RFC 1123 subdomain'));
    expect(input('f-name')).toBeTruthy();

    // Editing the field clears its error; the next check's container error belongs to step 2 and is not shown yet.
    fireEvent.change(input('f-name'), { target: { value: 'busybox' } });
    expect(screen.queryByTestId('error-f-name')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-containers-0-image')).toBeTruthy());
    expect(screen.queryByTestId('error-f-containers-0-image')).toBeNull();

    // Step 2: a typed "name:tag" moves its tag to the tag field.
    fireEvent.change(input('f-containers-0-image'), { target: { value: 'busybox:1.36' } });
    fireEvent.blur(input('f-containers-0-image'));
    expect(input('f-containers-0-image').value).toBe('busybox');
    expect(input('f-containers-0-tag').value).toBe('1.36');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-completions')).toBeTruthy());

    // Step 3: a template fills completions and parallelism.
    fireEvent.click(screen.getByTestId('template-parallelFixedCompletions'));
    expect(input('f-completions').value).toBe('4');
    expect(input('f-parallelism').value).toBe('2');
    fireEvent.change(input('f-completions'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));

    expect(dryRuns(fake)).toHaveLength(4);
    const create = fake.requests.find((r) => r.method === 'POST' && r.url.pathname === '/apis/batch/v1/namespaces/default/jobs' && !r.url.searchParams.get('dryRun'));
    expect(create?.url.searchParams.get('fieldValidation')).toBe('Strict');
    expect(create?.headers['X-CSRF-Token']).toBe('csrf-test');
    const job = create?.body as Job;
    expect(job.metadata).toEqual({ name: 'busybox', namespace: 'default', labels: { app: 'busybox' } });
    expect([job.spec.completions, job.spec.parallelism, job.spec.backoffLimit]).toEqual([2, 2, 6]);
    expect(job.spec.template.spec.containers[0].image).toBe('busybox:1.36');
    const result = onCreated.mock.calls[0][0];
    expect(result.cluster).toBe('local');
    expect(result.objects).toEqual([{ kind: 'Job', apiVersion: 'batch/v1', namespace: 'default', name: 'busybox' }]);
  });

  it('goes back to the step of a field the server refused on Create and shows the error there', async () => {
    const initial = newJobForm();
    initial.name = 'probe';
    initial.containers[0].image = 'busybox';
    initial.containers[0].livenessProbe = { ...initial.containers[0].livenessProbe, enabled: true, type: 'exec', command: 'true', successThreshold: 2 };
    let call = 0;
    const { onCreated } = setup(initial, () => {
      call++;
      return call === 3 ? invalid('spec.template.spec.containers[0].livenessProbe.successThreshold', 'Invalid value: 2: must be 1') : undefined;
    });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-containers-0-image')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-completions')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(screen.getByTestId('error-f-containers-0-livenessProbe-successThreshold').textContent).toBe('Invalid value: 2: must be 1'));
    expect(onCreated).not.toHaveBeenCalled();
    // The container tab and the health-check section carry the count.
    expect(document.querySelector('.ant-tabs .ant-badge-count')?.textContent).toBe('1');
  });

  it('shows errors no field answers for at the top on Create', async () => {
    const initial = { ...newJobForm(), name: 'x' };
    initial.containers[0].image = 'busybox';
    let call = 0;
    setup(initial, () => (++call === 3 ? invalid('spec.selector', 'Required value') : undefined));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-containers-0-image')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-completions')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('spec.selector: Required value'));
  });

  it('keeps the YAML and the form in step, both ways', async () => {
    setup({ ...newJobForm(), name: 'yaml' }, () => undefined);
    fireEvent.click(screen.getByRole('switch', { name: 'YAML' }));
    const editor = (await screen.findByLabelText('Job YAML')) as HTMLTextAreaElement;
    expect(editor.value).toContain('name: yaml');
    // Form → YAML
    fireEvent.change(input('f-name'), { target: { value: 'renamed' } });
    await waitFor(() => expect(editor.value).toContain('name: renamed'));
    // YAML → form (a field the form does not show survives too)
    const edited = editor.value.replace('completions: 1', 'completions: 7').replace('backoffLimit: 6', 'backoffLimit: 6\n  ttlSecondsAfterFinished: 60');
    await act(async () => {
      fireEvent.change(editor, { target: { value: edited } });
    });
    expect(input('f-name').value).toBe('renamed');
    fireEvent.click(screen.getByText('Job settings'));
    await waitFor(() => expect(input('f-completions').value).toBe('7'));
    expect(editor.value).toContain('ttlSecondsAfterFinished: 60');
    // Invalid YAML is reported and not applied.
    fireEvent.change(editor, { target: { value: 'spec: [' } });
    expect(screen.getByTestId('yaml-error')).toBeTruthy();
    expect(input('f-completions').value).toBe('7');
  });
});

describe('JobWizard on another cluster (deploy cluster, docs/product.md#wizard-basic-info)', () => {
  it('reads namespaces and images from the chosen deploy cluster, marks an unreachable one, and creates the Job there', async () => {
    const fake = new FakeFetch();
    const list = (kind: string, items: unknown[] = []) => jsonResponse({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    fake.on((r) => {
      if (r.url.searchParams.get('watch')) return undefined;
      const p = r.url.pathname;
      const root = p.startsWith('/clusters/prod/') ? 'prod' : p.startsWith('/clusters/') ? 'other' : 'local';
      const path = root === 'prod' ? p.slice('/clusters/prod'.length) : p;
      if (r.method === 'GET' && path === '/api/v1/namespaces') return list('NamespaceList', [{ metadata: { name: 'default' } }, { metadata: { name: root === 'prod' ? 'batch-prod' : 'local-only' } }]);
      if (r.method === 'GET' && path === '/api/v1/nodes') return list('NodeList', [{ metadata: { name: 'n' }, status: { images: [{ names: [root === 'prod' ? 'registry.prod/team/app:v3' : 'busybox:1.36'] }] } }]);
      if (r.method === 'GET') return list('List');
      if (r.method === 'POST' && path.endsWith('/jobs')) return jsonResponse({ ...(r.body as Job), metadata: { ...(r.body as Job).metadata, uid: 'u' } }, 201);
      return undefined;
    });
    const clients = new Map<string, KubeClient>();
    const clientFor = (name: string) => {
      if (!clients.has(name)) clients.set(name, new KubeClient({ baseUrl: name === 'local' ? '' : `/clusters/${name}`, fetch: fake.fetch, csrfToken: () => 'csrf-test' }));
      return clients.get(name)!;
    };
    const onCreated = vi.fn();
    const clusters = [
      { name: 'local', baseUrl: '', local: true, reachable: true },
      { name: 'prod', baseUrl: '/clusters/prod', reachable: true, server: 'https://10.0.0.1:6443' },
      { name: 'lab', baseUrl: '/clusters/lab', reachable: false, message: 'cluster "lab" is unreachable: ETIMEDOUT: no answer in 3 s' },
    ];
    renderConsole(<JobWizard initial={newJobForm()} clusters={clusters} clientFor={clientFor} onCreated={onCreated} onCancel={() => undefined} />, { fake });

    // Every cluster is offered; the unreachable one is marked, with the reason on hover.
    const select = document.getElementById('f-cluster')!;
    fireEvent.mouseDown(select);
    await waitFor(() => expect([...document.querySelectorAll('.ant-select-item-option [data-cluster]')].map((e) => e.getAttribute('data-cluster'))).toEqual(['local', 'prod', 'lab']));
    const lab = document.querySelector('.ant-select-item-option [data-cluster="lab"]')!;
    expect(lab.getAttribute('title')).toBe('cluster "lab" is unreachable: ETIMEDOUT: no answer in 3 s');
    expect(lab.textContent).toBe('labUnreachable');
    fireEvent.click(lab.closest('.ant-select-item-option')!);
    expect((await screen.findByTestId('deploy-cluster-unreachable')).textContent).toBe('lab is unreachable: cluster "lab" is unreachable: ETIMEDOUT: no answer in 3 s');

    // prod: its namespaces, its images.
    fireEvent.mouseDown(select);
    fireEvent.click(document.querySelector('.ant-select-item-option:has([data-cluster="prod"])')!);
    await waitFor(() => expect(screen.queryByTestId('deploy-cluster-unreachable')).toBeNull());
    await waitFor(() => expect(fake.requests.some((r) => r.url.pathname === '/clusters/prod/api/v1/namespaces')).toBe(true));
    fireEvent.mouseDown(document.getElementById('f-namespace')!);
    await waitFor(() => expect(document.querySelector('.ant-select-item-option[title="batch-prod"]')).toBeTruthy());
    expect(document.querySelector('.ant-select-item-option[title="local-only"]')).toBeNull();
    fireEvent.click(document.querySelector('.ant-select-item-option[title="batch-prod"]')!);
    expect(fake.requests.some((r) => r.url.pathname === '/clusters/prod/api/v1/nodes')).toBe(true);

    fireEvent.change(input('f-name'), { target: { value: 'nightly' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-containers-0-image')).toBeTruthy());
    fireEvent.change(input('f-containers-0-image'), { target: { value: 'registry.prod/team/app:v3' } });
    fireEvent.blur(input('f-containers-0-image'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(input('f-completions')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));

    // Every check and the create went to prod, through /clusters/prod.
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const p of posts) expect(p.url.pathname).toBe('/clusters/prod/apis/batch/v1/namespaces/batch-prod/jobs');
    expect(posts.at(-1)?.url.searchParams.get('dryRun')).toBeNull();
    expect(onCreated.mock.calls[0][0]).toMatchObject({ cluster: 'prod', job: { metadata: { name: 'nightly', namespace: 'batch-prod' } } });
  });
});
