import '../test/setup-dom.js';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeFetch, jsonResponse, statusResponse } from '../lib/k8s/fake-fetch.js';
import { renderWithClusters } from '../test/render.js';
import ImagesPage from './ImagesPage.js';

const clusters = { kind: 'ClusterList', items: [{ metadata: { name: 'local' }, spec: { server: 'https://127.0.0.1:6443', local: true } }, { metadata: { name: 'prod' }, spec: { server: 'https://10.0.0.1:6443' } }] };

afterEach(() => localStorage.clear());

describe('Images page on an added cluster', () => {
  it('lists the images its nodes report, through /clusters/<name>', async () => {
    localStorage.setItem('jobyard.cluster', 'prod');
    const fake = new FakeFetch().on((r) => {
      if (r.url.pathname === '/clusters') return jsonResponse(clusters);
      if (r.url.pathname === '/clusters/prod/api/v1/nodes') return jsonResponse({ kind: 'NodeList', metadata: {}, items: [{ metadata: { name: 'node-1' }, status: { images: [{ names: ['registry.prod/team/app:v3'], sizeBytes: 2048 }] } }] });
      return undefined;
    });
    renderWithClusters(<ImagesPage />, { fake });
    expect(await screen.findByText('registry.prod/team/app')).toBeTruthy();
    expect(screen.getByText(/Images the nodes of cluster prod already have/)).toBeTruthy();
    expect(fake.requests.some((r) => r.url.pathname === '/api/v1/nodes')).toBe(false);
  });

  it('says why there are none when the kubeconfig may not list nodes', async () => {
    localStorage.setItem('jobyard.cluster', 'prod');
    const fake = new FakeFetch().on((r) => {
      if (r.url.pathname === '/clusters') return jsonResponse(clusters);
      if (r.url.pathname === '/clusters/prod/api/v1/nodes') return statusResponse(403, 'Forbidden', 'nodes is forbidden: User "ci" cannot list resource "nodes" in API group "" at the cluster scope');
      return undefined;
    });
    renderWithClusters(<ImagesPage />, { fake });
    expect((await screen.findByTestId('images-forbidden')).textContent).toContain('The kubeconfig of cluster prod may not list nodes');
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent).join(' ')).toContain('nodes is forbidden: User "ci" cannot list resource "nodes"'));
  });
});
