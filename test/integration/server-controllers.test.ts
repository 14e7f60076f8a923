// `jobyard server` with its controllers in process (the wiring in cmd/server.ts): they reach the
// API through the kubeconfig the server wrote, and stop() stops them before the listener.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Job } from '../../api/index.js';
import { RestClientset, loadKubeconfig } from '../../client/index.js';
import { type RunningServer, startServer } from '../../cmd/server.js';
import { isNotFound } from '../../machinery/index.js';
import { waitFor } from '../support/wait.js';

let server: RunningServer | undefined;
let dataDir: string;
let cs: RestClientset;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-server-'));
  server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    controllers: true,
    agent: false,
    jobBackoffBaseSeconds: 10,
    jobBackoffMaxSeconds: 360,
    tlsSans: [],
    quiet: true,
  });
  cs = new RestClientset(loadKubeconfig(server.kubeconfigPath));
});

afterAll(async () => {
  cs?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});


describe('jobyard server with controllers', () => {
  it('runs the Job controller and the garbage collector in process', async () => {
    const job = await cs.jobs.namespace('default').create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'in-process' },
      spec: { parallelism: 2, completions: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    } as Job);
    await waitFor('2 pods', async () => (await cs.pods.namespace('default').list({ labelSelector: 'batch.kubernetes.io/job-name=in-process' })).items.length === 2);
    await cs.configmaps.namespace('default').create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'in-process', uid: job.metadata.uid! }] },
    } as ConfigMap);
    await cs.jobs.namespace('default').delete('in-process', { propagationPolicy: 'Background' });
    await waitFor('the owned ConfigMap collected', async () => {
      try {
        await cs.configmaps.namespace('default').get('owned');
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
    await waitFor('the pods collected', async () => (await cs.pods.namespace('default').list({ labelSelector: 'batch.kubernetes.io/job-name=in-process' })).items.length === 0);
  });

  it('stops its controllers and listener cleanly', async () => {
    const s = server!;
    server = undefined;
    await s.stop();
    await expect(cs.namespaces.list()).rejects.toThrow();
  });
});
