// The busybox example (docs/product.md#busybox-example) end to end with real containers, and a `kill -9` of the whole
// server while a Job's pods run: after the restart the agent adopts the same containers (no
// container started twice) and the Job finishes correctly.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../api/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { BUSYBOX, agentInstance, apply, engineContainers, getJson, kubectl, namespace, removeAgentLeftovers, startAgentServer, waitFor } from './agent-harness.js';

const servers: JobyardServer[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) {
    await s.stop();
    await removeAgentLeftovers(s.dataDir);
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function seconds(t: string | undefined): number {
  return Date.parse(t ?? '') / 1000;
}

describe('the busybox example (docs/product.md#busybox-example)', () => {
  it('busybox, completions 2, parallelism 2: two pods at once, Complete, COMPLETIONS 2/2, completion time set', async () => {
    const server = await startAgentServer();
    servers.push(server);
    await apply(server, namespace('seed'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'busybox-job', namespace: 'seed' },
      spec: {
        completions: 2,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 1,
            // The console's default for a cached image ("always pull" unchecked, docs/product.md#always-pull-image): IfNotPresent.
            containers: [{ name: 'busybox', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo "job pod $(hostname) running"; sleep 3'] }],
          },
        },
      },
    });
    // Both pods are created at once and run side by side.
    const running = await waitFor('two running pods', async () => {
      const pods = await getJson<{ items: Pod[] }>(server, ['pods', '-n', 'seed', '-l', 'job-name=busybox-job']);
      const up = pods.items.filter((p) => p.status?.containerStatuses?.[0]?.state?.running);
      return up.length === 2 ? pods.items : undefined;
    });
    expect(running).toHaveLength(2);

    await kubectl(server, ['wait', '--for=condition=complete', 'job/busybox-job', '-n', 'seed', '--timeout=90s']);
    const table = await kubectl(server, ['get', 'job', 'busybox-job', '-n', 'seed']);
    expect(table.split('\n')[1]).toMatch(/^busybox-job\s+Complete\s+2\/2\s+\d+s\s+\d+s$/);
    const job = await getJson<Job>(server, ['job', 'busybox-job', '-n', 'seed']);
    expect(job.status?.succeeded).toBe(2);
    expect(job.status?.completionTime).toBeTruthy();
    expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');

    const pods = (await getJson<{ items: Pod[] }>(server, ['pods', '-n', 'seed', '-l', 'job-name=busybox-job'])).items;
    expect(pods.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
    const [a, b] = pods.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated);
    // Their runs overlap: each started before the other finished.
    expect(seconds(a?.startedAt)).toBeLessThan(seconds(b?.finishedAt));
    expect(seconds(b?.startedAt)).toBeLessThan(seconds(a?.finishedAt));
    for (const p of pods) {
      expect(await kubectl(server, ['logs', '-n', 'seed', p.metadata.name ?? ''])).toBe(`job pod ${p.metadata.name} running\n`);
    }
    // COMPLETIONS 2/2 is also what the job's printer column shows to the console.
    expect(seconds(job.status?.completionTime)).toBeGreaterThanOrEqual(Math.max(seconds(a?.finishedAt), seconds(b?.finishedAt)));
  });
});

describe('kill -9 of the server while pods run', () => {
  it('the restarted server adopts the same containers (none started twice) and the Job finishes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-kill9-'));
    const out = mkdtempSync(join(tmpdir(), 'jobyard-kill9-out-'));
    dirs.push(dataDir, out);
    const first = await startAgentServer({ dataDir, args: ['--allow-host-path', out] });
    servers.push(first);
    await apply(first, namespace('crash'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'long', namespace: 'crash' },
      spec: {
        completions: 2,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 1,
            volumes: [{ name: 'out', hostPath: { path: out } }],
            containers: [
              {
                name: 'work',
                image: BUSYBOX,
                volumeMounts: [{ name: 'out', mountPath: '/out' }],
                // One line per start of this container; done when /out/go exists.
                command: ['sh', '-c', 'echo started >> /out/$(hostname); while [ ! -f /out/go ]; do sleep 0.2; done; echo done'],
              },
            ],
          },
        },
      },
    });
    await waitFor('both pods running', async () => {
      const pods = await getJson<{ items: Pod[] }>(first, ['pods', '-n', 'crash', '-l', 'job-name=long']);
      return pods.items.filter((p) => p.status?.containerStatuses?.[0]?.state?.running).length === 2 ? pods : undefined;
    });
    const containers = async () => (await engineContainers({ 'jobyard.io/agent': agentInstance(dataDir) })).filter((c) => !c.sandbox);
    const before = await containers();
    expect(before.map((c) => c.state)).toEqual(['running', 'running']);

    await first.kill9();
    servers.splice(servers.indexOf(first), 1);
    // The containers outlive the server.
    const orphaned = await containers();
    expect(orphaned.map((c) => `${c.id} ${c.state}`).sort()).toEqual(before.map((c) => `${c.id} running`).sort());

    const second = await JobyardServer.start({ dataDir, args: ['--allow-host-path', out] });
    servers.push(second);
    // The agent adopted them: still the same two, still running, and reported Running.
    await waitFor('pods reported running by the new agent', async () => {
      const pods = await getJson<{ items: Pod[] }>(second, ['pods', '-n', 'crash', '-l', 'job-name=long']);
      return pods.items.every((p) => p.status?.phase === 'Running') ? pods : undefined;
    });
    const adopted = await containers();
    expect(adopted.map((c) => `${c.id} ${c.state}`).sort()).toEqual(before.map((c) => `${c.id} running`).sort());

    // Let them finish.
    await import('node:fs/promises').then((fs) => fs.writeFile(join(out, 'go'), ''));
    await kubectl(second, ['wait', '--for=condition=complete', 'job/long', '-n', 'crash', '--timeout=90s']);
    const job = await getJson<Job>(second, ['job', 'long', '-n', 'crash']);
    expect(job.status).toMatchObject({ succeeded: 2 });
    expect(job.status?.failed ?? 0).toBe(0);
    // Each pod's container started exactly once.
    const starts = readdirSync(out).filter((f) => f !== 'go').map((f) => readFileSync(join(out, f), 'utf8'));
    expect(starts).toEqual(['started\n', 'started\n']);
    const pods = (await getJson<{ items: Pod[] }>(second, ['pods', '-n', 'crash', '-l', 'job-name=long'])).items;
    expect(pods.map((p) => p.status?.containerStatuses?.[0]?.restartCount)).toEqual([0, 0]);
    expect(pods.map((p) => p.status?.containerStatuses?.[0]?.containerID?.replace(/^[a-z]+:\/\//, '')).sort()).toEqual(before.map((c) => c.id).sort());
  });
});
