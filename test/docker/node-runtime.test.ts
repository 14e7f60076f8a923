// The node's engine as `jobyard server --runtime` chose it (docker, or containerd with
// JOBYARD_TEST_RUNTIME=containerd): the Node says which in containerRuntimeVersion and container
// IDs, pods get their addresses on that engine's pod network (docker0, or the CNI bridge
// jobyard-cni0) and reach the API on its gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../api/index.js';
import { bridgeNetwork } from '../../cmd/bridge-gateway.js';
import { cniBridgeNetwork } from '../../cmd/cni-network.js';
import { cidrContains } from '../../dns/index.js';
import type { JobyardServer } from '../support/jobyard-server.js';
import { TEST_CRI_ENDPOINT, TEST_RUNTIME } from '../support/test-runtime.js';
import { apply, BUSYBOX, docker, getJson, kubectl, namespace, pod, removeAgentLeftovers, startAgentServer, waitFor, waitPod } from './agent-harness.js';

let server: JobyardServer;
const NS = 'node-runtime';

/** What the engine says it is, as the kubelet reports it: `<runtime name>://<version>`. */
async function engineVersion(): Promise<string> {
  if (TEST_RUNTIME === 'docker') return `docker://${(await docker.version()).Version}`;
  const { connectCri } = await import('../../agent/runtime/cri/client.js');
  const cri = connectCri(TEST_CRI_ENDPOINT);
  try {
    const v = await cri.runtime.Version({});
    return `${v.runtime_name}://${v.runtime_version}`;
  } finally {
    cri.close();
  }
}

beforeAll(async () => {
  server = await startAgentServer();
  await apply(server, namespace(NS));
}, 120_000);

afterAll(async () => {
  if (server) {
    await server.stop();
    await removeAgentLeftovers(server.dataDir);
  }
});

describe(`the node on ${TEST_RUNTIME}`, () => {
  it("reports the engine's name and version as containerRuntimeVersion", async () => {
    const expected = await engineVersion();
    expect(expected).toMatch(TEST_RUNTIME === 'docker' ? /^docker:\/\/\d/ : /^containerd:\/\/\d/);
    const nodes = await getJson<{ items: Node[] }>(server, ['nodes']);
    expect(nodes.items.map((n) => n.status?.nodeInfo?.containerRuntimeVersion)).toEqual([expected]);
  });

  it("runs a pod on the engine's pod network, from where it reaches the API on the network's gateway", async () => {
    const network = TEST_RUNTIME === 'docker' ? await bridgeNetwork() : cniBridgeNetwork();
    expect(network.subnet).toEqual(TEST_RUNTIME === 'docker' ? expect.stringMatching(/^[\d.]+\/\d+$/) : '10.88.0.0/16');
    const m = /pods reach the API at https:\/\/([\d.]+):(\d+)/.exec(server.logs());
    if (!m) throw new Error(`the server names no pod address:\n${server.logs()}`);
    const [, gateway, port] = m;
    expect(cidrContains(network.subnet!, gateway!)).toBe(true);
    await apply(
      server,
      pod(NS, 'reach-api', {
        restartPolicy: 'Never',
        // It stays up after the attempt, so its status is read while it runs: on Docker a pod
        // without a pause container has an address only while its container runs.
        containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', `if echo | nc -w 5 ${gateway} ${port} >/dev/null; then echo reached ${gateway}; else echo unreachable; fi; exec sleep 3600`] }],
      }),
    );
    const logs = await waitFor('the pod’s attempt', async () => {
      const out = (await kubectl(server, ['logs', '-n', NS, 'reach-api']).catch(() => '')).trim();
      return out || undefined;
    }, 60_000, 200);
    expect(logs).toBe(`reached ${gateway}`);
    const p = await waitPod(server, NS, 'reach-api', 'running with its IP', (x) => x.status?.phase === 'Running' && !!x.status?.podIP);
    expect(cidrContains(network.subnet!, p.status!.podIP!)).toBe(true);
    expect(p.status?.containerStatuses?.[0]?.containerID).toMatch(TEST_RUNTIME === 'docker' ? /^docker:\/\/[0-9a-f]{64}$/ : /^containerd:\/\/[0-9a-f]{64}$/);
    await kubectl(server, ['delete', 'pod', 'reach-api', '-n', NS, '--wait']);
  });
});
