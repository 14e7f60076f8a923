import '../../test/setup-dom.js';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../../api/core.js';
import { FakeFetch, jsonResponse, statusResponse } from '../../lib/k8s/fake-fetch.js';
import { renderConsole } from '../../test/render.js';
import { NodeBanner } from './NodeBanner.js';

function node(name: string, rv: string, ready: { status: string; reason: string; message: string }): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, resourceVersion: rv },
    status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', ...ready }] },
  } as Node;
}

const READY = { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
const STUCK = { status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy: engine call POST /containers/abc/start has not returned for 3m0s; threshold is 3m0s' };

describe('NodeBanner', () => {
  it('shows a banner with the reason and message while a node is not Ready, and takes it away once it is Ready again, reading the nodes again and again without holding a watch', async () => {
    let ready = { rv: '5', condition: READY };
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/api/v1/nodes' && !r.url.searchParams.get('watch') ? jsonResponse({ kind: 'NodeList', metadata: { resourceVersion: ready.rv }, items: [node('node-1', ready.rv, ready.condition)] }) : undefined));
    renderConsole(<NodeBanner intervalMs={20} />, { fake });
    await fake.until(() => fake.requests.some((r) => r.url.pathname === '/api/v1/nodes'), 'the nodes list');
    expect(screen.queryByTestId('node-not-ready')).toBeNull();

    ready = { rv: '6', condition: STUCK };
    const banner = await screen.findByTestId('node-not-ready');
    expect(banner.textContent).toContain('Node node-1 is not ready');
    expect(banner.textContent).toContain(`KubeletNotReady: ${STUCK.message}`);

    ready = { rv: '7', condition: READY };
    await waitFor(() => expect(screen.queryByTestId('node-not-ready')).toBeNull());
    // A browser keeps six connections to a host across its tabs: the banner never holds one.
    expect(fake.watches.filter((w) => w.request.url.pathname === '/api/v1/nodes')).toEqual([]);
  });

  it('shows nothing when the kubeconfig may not list nodes', async () => {
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/api/v1/nodes' ? statusResponse(403, 'Forbidden', 'nodes is forbidden') : undefined));
    renderConsole(<NodeBanner />, { fake });
    await fake.until(() => fake.requests.some((r) => r.url.pathname === '/api/v1/nodes'), 'the nodes list');
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
