import '../../test/setup-dom.js';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../api/clusters.js';
import { useLocation, useNavigate } from 'react-router-dom';
import { useClusters } from '../../app/cluster.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';
import { FakeFetch, jsonResponse, statusResponse, type FakeRequest } from '../../lib/k8s/fake-fetch.js';
import ClustersPage from '../../pages/ClustersPage.js';
import { renderWithClusters } from '../../test/render.js';
import { Shell } from '../layout/Shell.js';

const PROBED = '2026-11-02T10:00:00Z';
const cluster = (name: string, spec: Cluster['spec'], status: Cluster['status'], creationTimestamp?: string): Cluster => ({
  apiVersion: 'clusters.jobyard.io/v1',
  kind: 'Cluster',
  metadata: { name, ...(creationTimestamp ? { creationTimestamp } : {}) },
  spec,
  status,
});
const LOCAL = cluster('local', { server: 'https://127.0.0.1:6443', local: true }, { reachable: true, version: 'v1.32.0-jobyard', lastProbeTime: PROBED });
const LAB = cluster('lab', { server: 'https://10.9.9.9:6443', context: 'lab-admin', namespace: 'batch' }, { reachable: false, message: 'cluster "lab" is unreachable: ECONNREFUSED: connect ECONNREFUSED 10.9.9.9:6443', lastProbeTime: PROBED }, '2026-11-01T09:00:00Z');

/** A fake jobyard with deploy targets: GET/POST /clusters, DELETE /clusters/<name>. */
function clusterServer(initial: Cluster[]) {
  const items = [...initial];
  const fake = new FakeFetch();
  fake.on((r: FakeRequest) => {
    const p = r.url.pathname;
    if (r.method === 'GET' && p === '/clusters') return jsonResponse({ apiVersion: 'clusters.jobyard.io/v1', kind: 'ClusterList', metadata: {}, items });
    if (r.method === 'POST' && p === '/clusters') {
      const b = r.body as { name: string; kubeconfig: string; context?: string };
      const causes = [];
      if (b.name === 'local') causes.push({ field: 'name', reason: 'FieldValueInvalid', message: 'Invalid value: "local": is the name of this server’s own engine' });
      if (b.kubeconfig.includes('client-key:')) causes.push({ field: 'kubeconfig.users[me].user.client-key', reason: 'FieldValueForbidden', message: 'Forbidden: a file the server cannot read; embed it as client-key-data (jobyard clusters add does)' });
      if (b.context === 'nope') causes.push({ field: 'context', reason: 'FieldValueNotFound', message: 'Not found: "nope"' });
      if (causes.length) return statusResponse(422, 'Invalid', `Cluster.clusters.jobyard.io "${b.name}" is invalid`, causes);
      if (items.some((c) => c.metadata.name === b.name)) return statusResponse(409, 'AlreadyExists', `clusters.clusters.jobyard.io "${b.name}" already exists`);
      const added = cluster(b.name, { server: 'https://10.0.0.2:6443', context: b.context ?? 'ci' }, { reachable: true, version: 'v1.31.4', lastProbeTime: PROBED }, '2026-11-02T10:00:00Z');
      items.push(added);
      return jsonResponse(added, 201);
    }
    const del = /^\/clusters\/([^/]+)$/.exec(p);
    if (r.method === 'DELETE' && del) {
      const i = items.findIndex((c) => c.metadata.name === del[1]);
      if (i < 0) return statusResponse(404, 'NotFound');
      items.splice(i, 1);
      return jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    }
    return undefined;
  });
  return { fake, items };
}

const rowOf = (name: string) => document.querySelector<HTMLElement>(`tr[data-row-key="${name}"]`);
const rowNames = () => [...document.querySelectorAll('.ant-table-tbody tr[data-row-key]')].map((r) => r.getAttribute('data-row-key'));
const listCalls = (fake: FakeFetch) => fake.requests.filter((r) => r.method === 'GET' && r.url.pathname === '/clusters').length;

beforeEach(() => localStorage.clear());
afterEach(() => localStorage.clear());

describe('Clusters page', () => {
  it('lists every cluster: server, version, reachable or why not, context, namespace, added; local cannot be removed', async () => {
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClustersPage />, { fake });
    await waitFor(() => expect(rowNames()).toEqual(['local', 'lab']));
    const local = within(rowOf('local')!);
    expect(local.getByTestId('cluster-server').textContent).toBe('https://127.0.0.1:6443');
    expect(local.getByTestId('cluster-version').textContent).toBe('v1.32.0-jobyard');
    expect(local.getByTestId('cluster-status').getAttribute('data-reachable')).toBe('true');
    expect(local.getByText('built-in', { selector: '.ant-tag' })).toBeTruthy();
    expect(local.getByText('current')).toBeTruthy();
    expect(local.queryByRole('button', { name: 'Remove' })).toBeNull();

    const lab = within(rowOf('lab')!);
    expect(lab.getByTestId('cluster-status').getAttribute('data-reachable')).toBe('false');
    expect(lab.getByTestId('cluster-status').textContent).toBe('Unreachable');
    expect(lab.getByTestId('cluster-message').textContent).toBe('cluster "lab" is unreachable: ECONNREFUSED: connect ECONNREFUSED 10.9.9.9:6443');
    expect(lab.getByTestId('cluster-version').textContent).toBe('—');
    expect(lab.getByTestId('cluster-context').textContent).toBe('lab-admin');
    expect(lab.getByTestId('cluster-namespace').textContent).toBe('batch');
    expect(rowOf('lab')!.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-01T09:00:00Z');
    expect(lab.getByRole('button', { name: 'Remove' })).toBeTruthy();
  });

  it('adds a cluster from a kubeconfig read from a file, shows the server’s causes at their fields, then adds it', async () => {
    const { fake } = clusterServer([LOCAL]);
    renderWithClusters(<ClustersPage />, { fake });
    await waitFor(() => expect(rowNames()).toEqual(['local']));
    fireEvent.click(screen.getByRole('button', { name: /Add cluster/ }));
    const dialog = within(await screen.findByRole('dialog'));

    // A kubeconfig chosen in the browser: its text is read into the form (no path is sent).
    const bad = 'apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user:\n    client-key: /home/me/.kube/me.key\n';
    const input = document.querySelector<HTMLInputElement>('.ant-modal input[type=file]')!;
    fireEvent.change(input, { target: { files: [new File([bad], 'lab.kubeconfig')] } });
    await waitFor(() => expect((document.getElementById('cluster-kubeconfig') as HTMLTextAreaElement).value).toBe(bad));
    expect(dialog.getByTestId('kubeconfig-file').textContent).toBe('Read from lab.kubeconfig');
    fireEvent.change(document.getElementById('cluster-name')!, { target: { value: 'local' } });
    fireEvent.change(document.getElementById('cluster-context')!, { target: { value: 'nope' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Add cluster' }));

    await waitFor(() => expect(screen.getByTestId('error-cluster-name').textContent).toBe('Invalid value: "local": is the name of this server’s own engine'));
    expect(screen.getByTestId('error-cluster-kubeconfig').textContent).toBe('users[me].user.client-key: Forbidden: a file the server cannot read; embed it as client-key-data (jobyard clusters add does)');
    expect(screen.getByTestId('error-cluster-context').textContent).toBe('Not found: "nope"');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ name: 'local', kubeconfig: bad, context: 'nope' });
    expect(post.headers['X-CSRF-Token']).toBe('csrf-test');

    // Editing a field clears its error; the others stay until the next answer.
    fireEvent.change(document.getElementById('cluster-name')!, { target: { value: 'ci' } });
    expect(screen.queryByTestId('error-cluster-name')).toBeNull();
    expect(screen.getByTestId('error-cluster-kubeconfig')).toBeTruthy();

    // Fixed: pasted text, no context (the server takes the current-context). Added, listed.
    fireEvent.change(document.getElementById('cluster-kubeconfig')!, { target: { value: 'apiVersion: v1\nkind: Config\n' } });
    fireEvent.change(document.getElementById('cluster-context')!, { target: { value: '' } });
    const before = listCalls(fake);
    fireEvent.click(dialog.getByRole('button', { name: 'Add cluster' }));
    await waitFor(() => expect(rowNames()).toEqual(['local', 'ci']));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.requests.filter((r) => r.method === 'POST').at(-1)?.body).toEqual({ name: 'ci', kubeconfig: 'apiVersion: v1\nkind: Config\n' });
    expect(listCalls(fake)).toBeGreaterThan(before);
    expect(within(rowOf('ci')!).getByTestId('cluster-version').textContent).toBe('v1.31.4');
    expect(await screen.findByText('Cluster ci added (Kubernetes v1.31.4).')).toBeTruthy();
  });

  it('shows a taken name at the name field', async () => {
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClustersPage />, { fake });
    await waitFor(() => expect(rowNames()).toEqual(['local', 'lab']));
    fireEvent.click(screen.getByRole('button', { name: /Add cluster/ }));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(document.getElementById('cluster-name')!, { target: { value: 'lab' } });
    fireEvent.change(document.getElementById('cluster-kubeconfig')!, { target: { value: 'apiVersion: v1\n' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Add cluster' }));
    await waitFor(() => expect(screen.getByTestId('error-cluster-name').textContent).toBe('clusters.clusters.jobyard.io "lab" already exists'));
  });

  it('removes an added cluster after confirmation, and the console leaves it when it was the current one', async () => {
    localStorage.setItem('jobyard.cluster', 'lab');
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClustersPage />, { fake });
    await waitFor(() => expect(rowNames()).toEqual(['local', 'lab']));
    expect(within(rowOf('lab')!).getByText('current')).toBeTruthy();
    fireEvent.click(within(rowOf('lab')!).getByRole('button', { name: 'Remove' }));
    const confirm = await screen.findByText('Remove cluster lab?');
    expect(screen.getByText('jobyard forgets its kubeconfig; nothing on the cluster is deleted.')).toBeTruthy();
    fireEvent.click(within(confirm.closest('.ant-popover') as HTMLElement).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(rowNames()).toEqual(['local']));
    const del = fake.requests.find((r) => r.method === 'DELETE');
    expect([del?.url.pathname, del?.headers['X-CSRF-Token']]).toEqual(['/clusters/lab', 'csrf-test']);
    expect(within(rowOf('local')!).getByText('current')).toBeTruthy();
  });

  it('switches the console to a cluster', async () => {
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClustersPage />, { fake });
    await waitFor(() => expect(rowNames()).toEqual(['local', 'lab']));
    fireEvent.click(within(rowOf('lab')!).getByRole('button', { name: 'Switch to' }));
    await waitFor(() => expect(within(rowOf('lab')!).getByText('current')).toBeTruthy());
    expect(localStorage.getItem('jobyard.cluster')).toBe('lab');
  });
});

describe('the header’s cluster picker', () => {
  it('lists every cluster, marks an unreachable one with its reason on hover, probes again when opened, and warns on every page when it is chosen', async () => {
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(
      <Shell>
        <div>page</div>
      </Shell>,
      { fake },
    );
    const picker = await screen.findByRole('combobox', { name: 'Cluster' });
    await waitFor(() => expect(listCalls(fake)).toBe(1));
    fireEvent.mouseDown(picker);
    await waitFor(() => expect(document.querySelectorAll('.ant-select-item-option [data-cluster]')).toHaveLength(2));
    expect(listCalls(fake)).toBe(2);
    const lab = document.querySelector<HTMLElement>('.ant-select-item-option [data-cluster="lab"]')!;
    expect(lab.getAttribute('data-reachable')).toBe('false');
    expect(lab.getAttribute('title')).toBe('cluster "lab" is unreachable: ECONNREFUSED: connect ECONNREFUSED 10.9.9.9:6443');
    expect(lab.querySelector('.ant-tag')?.textContent).toBe('Unreachable');
    const local = document.querySelector<HTMLElement>('.ant-select-item-option [data-cluster="local"]')!;
    expect(local.querySelector('.ant-tag')).toBeNull();
    expect(local.getAttribute('title')).toBe('https://127.0.0.1:6443');

    expect(screen.queryByTestId('cluster-unreachable')).toBeNull();
    fireEvent.click(lab.closest('.ant-select-item-option')!);
    const warning = await screen.findByTestId('cluster-unreachable');
    expect(warning.textContent).toContain('Cluster lab is unreachable');
    expect(warning.textContent).toContain('ECONNREFUSED 10.9.9.9:6443');
  });

  it('offers the Clusters page in the navigation', async () => {
    const { fake } = clusterServer([LOCAL]);
    renderWithClusters(
      <Shell>
        <div />
      </Shell>,
      { fake },
    );
    expect((await screen.findByRole('link', { name: 'Clusters' })).getAttribute('href')).toBe('/settings/clusters');
  });
});

function CurrentClient() {
  const { current, loaded } = useClusters();
  const client = useKubeClient();
  return <output data-testid="current">{`${current.name}|${client.baseUrl}|${loaded}`}</output>;
}

/** The current cluster, the address, and ways to pick a cluster and to follow a plain link. */
function ClusterAndAddress() {
  const { current, select } = useClusters();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output data-testid="state">{`${current.name} ${location.pathname}${location.search}`}</output>
      <button onClick={() => select('lab')}>pick lab</button>
      <button onClick={() => select('local')}>pick local</button>
      <button onClick={() => navigate('/pods')}>plain link</button>
    </>
  );
}

describe('ClusterProvider', () => {
  it('talks to a remembered cluster through /clusters/<name> from the first render, and falls back to local when it is gone', async () => {
    localStorage.setItem('jobyard.cluster', 'prod');
    let answer: ((r: Response) => void) | undefined;
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/clusters' ? new Promise<Response>((res) => (answer = res)) : undefined));
    renderWithClusters(<CurrentClient />, { fake });
    // The list is not known yet: no flash of local's data.
    await waitFor(() => expect(screen.getByTestId('current').textContent).toBe('prod|/clusters/prod|false'));
    // Answer once the provider has asked (its effect runs after the first render).
    await waitFor(() => expect(listCalls(fake)).toBe(1));
    await waitFor(() => expect(answer).toBeTypeOf('function'));
    expect(screen.getByTestId('current').textContent).toBe('prod|/clusters/prod|false');
    await act(async () => answer!(jsonResponse({ kind: 'ClusterList', items: [LOCAL, LAB] })));
    await waitFor(() => expect(screen.getByTestId('current').textContent).toBe('local||true'));
  });

  it('puts the cluster in use in the address, keeps it across links, and takes it from a link', async () => {
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClusterAndAddress />, { fake, route: '/jobs?namespace=batch' });
    const state = () => screen.getByTestId('state').textContent;
    await waitFor(() => expect(state()).toBe('local /jobs?namespace=batch'));
    fireEvent.click(screen.getByRole('button', { name: 'pick lab' }));
    await waitFor(() => expect(state()).toBe('lab /jobs?namespace=batch&cluster=lab'));
    // A link inside the console drops the parameter: the address gets it back.
    fireEvent.click(screen.getByRole('button', { name: 'plain link' }));
    await waitFor(() => expect(state()).toBe('lab /pods?cluster=lab'));
    fireEvent.click(screen.getByRole('button', { name: 'pick local' }));
    await waitFor(() => expect(state()).toBe('local /pods'));
  });

  it('opens the cluster a shared link names, over the remembered one, and remembers it', async () => {
    localStorage.setItem('jobyard.cluster', 'local');
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<ClusterAndAddress />, { fake, route: '/jobs/batch/etl?cluster=lab' });
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('lab /jobs/batch/etl?cluster=lab'));
    expect(localStorage.getItem('jobyard.cluster')).toBe('lab');
  });

  it('drops a linked cluster that does not exist, and shows local', async () => {
    const { fake } = clusterServer([LOCAL]);
    renderWithClusters(<ClusterAndAddress />, { fake, route: '/pods?cluster=gone' });
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('local /pods'));
  });

  it('keeps a remembered cluster that the list has', async () => {
    localStorage.setItem('jobyard.cluster', 'lab');
    const { fake } = clusterServer([LOCAL, LAB]);
    renderWithClusters(<CurrentClient />, { fake });
    await waitFor(() => expect(screen.getByTestId('current').textContent).toBe('lab|/clusters/lab|true'));
  });
});
