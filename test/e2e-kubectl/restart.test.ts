// A killed server loses nothing it acknowledged: objects keep their uid, resourceVersions
// continue, and a watch resumed from an old resourceVersion gets every event since — or
// 410 Expired once that history was compacted; a CronJob runs once per scheduled time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { apiRequest, collectWatch } from '../support/api.js';
import { waitFor } from '../support/wait.js';

const running: JobyardServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function start(dataDir: string, extra: string[] = []): Promise<JobyardServer> {
  const s = await JobyardServer.start({ dataDir, args: ['--no-controllers', '--no-agent', ...extra] });
  running.push(s);
  return s;
}

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('restart after kill -9', () => {
  it('keeps every object with the same uid, continues resourceVersions, and replays watch history', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-restart-'));
    const first = await start(dataDir);
    const created: Record<string, { uid: string; rv: number }> = {};
    for (const name of ['a', 'b', 'c']) {
      const r = await apiRequest(first, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap(name, { n: name }) });
      expect(r.code).toBe(201);
      created[name] = { uid: r.json().metadata.uid, rv: Number(r.json().metadata.resourceVersion) };
    }
    const mark = created.a.rv;
    expect((await apiRequest(first, 'PATCH', '/api/v1/namespaces/default/configmaps/b', { body: { data: { n: 'b2' } }, contentType: 'application/merge-patch+json' })).code).toBe(200);
    expect((await apiRequest(first, 'DELETE', '/api/v1/namespaces/default/configmaps/c')).code).toBe(200);
    const lastRv = Number((await apiRequest(first, 'GET', '/api/v1/namespaces/default/configmaps')).json().metadata.resourceVersion);
    await first.kill9();
    running.splice(running.indexOf(first), 1);

    const second = await start(dataDir);
    const list = (await apiRequest(second, 'GET', '/api/v1/namespaces/default/configmaps')).json();
    // Ours only: every namespace also holds kube-root-ca.crt (the root CA publisher).
    const ours = new Set(['a', 'b', 'c', 'd']);
    const byName = Object.fromEntries(list.items.filter((o: any) => ours.has(o.metadata.name)).map((o: any) => [o.metadata.name, o]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'b']);
    expect(byName.a.metadata.uid).toBe(created.a.uid);
    expect(byName.b.metadata.uid).toBe(created.b.uid);
    expect(byName.b.data).toEqual({ n: 'b2' });
    // The store's version goes on from where it was (the server's own start-up writes, e.g. the
    // kubernetes Service's Endpoints, may come first): never reused, never back.
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(lastRv);
    const d = await apiRequest(second, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('d', {}) });
    expect(Number(d.json().metadata.resourceVersion)).toBeGreaterThan(Number(list.metadata.resourceVersion));

    // Everything after `mark`, in order, including what happened before the crash.
    const watched = await collectWatch(second, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${mark}`, 5);
    expect(watched.code).toBe(200);
    expect(watched.events.filter((e) => ours.has(e.object.metadata.name)).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'ADDED c', 'MODIFIED b', 'DELETED c', 'ADDED d']);
    const rvs = watched.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });

  it('answers a watch from a compacted resourceVersion with 410 Expired', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-restart-'));
    const first = await start(dataDir);
    for (let i = 0; i < 6; i++) {
      expect((await apiRequest(first, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap(`x${i}`, {}) })).code).toBe(201);
    }
    await first.kill9();
    running.splice(running.indexOf(first), 1);
    // Restarted with a short history: everything but the newest 2 events is forgotten.
    const second = await start(dataDir, ['--watch-history-max-age', '0', '--watch-history-min-events', '2']);
    const watched = await collectWatch(second, '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1', 1);
    expect(watched.code).toBe(200);
    expect(watched.events[0].type).toBe('ERROR');
    expect(watched.events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(watched.events[0].object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    // A fresh list gives a resourceVersion to resume from.
    const rv = (await apiRequest(second, 'GET', '/api/v1/namespaces/default/configmaps')).json().metadata.resourceVersion;
    const resumed = await collectWatch(second, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`, 1, 1500);
    expect(resumed.events).toEqual([]);
  });

  it('runs a CronJob once per scheduled time across a kill -9 right after it created a Job', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-restart-'));
    // The controllers run (no node: the Jobs' pods wait, which is enough here).
    const boot = async () => {
      const s = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
      running.push(s);
      return s;
    };
    const first = await boot();
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'minutely' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:latest' }] } } } } },
    };
    expect((await apiRequest(first, 'POST', '/apis/batch/v1/namespaces/default/cronjobs', { body: cronJob })).code).toBe(201);
    const jobs = async (server: JobyardServer) =>
      ((await apiRequest(server, 'GET', '/apis/batch/v1/namespaces/default/jobs')).json().items as any[]).map((j) => ({
        name: j.metadata.name as string,
        scheduled: j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] as string,
      }));
    // Killed the moment the first Job exists: whether the CronJob's status was written yet is
    // a matter of microseconds, and the restarted controller must be right either way.
    const [firstRun] = await waitFor('the first Job', async () => ((await jobs(first)).length > 0 ? jobs(first) : undefined), 90_000, 20);
    await first.kill9();
    running.splice(running.indexOf(first), 1);

    const second = await boot();
    const cronJobStatus = async () => (await apiRequest(second, 'GET', '/apis/batch/v1/namespaces/default/cronjobs/minutely')).json().status ?? {};
    await waitFor('the restarted controller to know the first run', async () => ((await cronJobStatus()).lastScheduleTime === firstRun!.scheduled ? true : undefined), 30_000, 200);
    expect(await jobs(second)).toEqual([firstRun]);
    // The next minute: one more Job, for the next scheduled time.
    const runs = await waitFor('the second Job', async () => {
      const list = await jobs(second);
      return list.length > 1 ? list : undefined;
    }, 90_000, 200);
    expect(runs.map((r) => r.scheduled).sort()).toEqual([firstRun!.scheduled, new Date(Date.parse(firstRun!.scheduled) + 60_000).toISOString().replace('.000Z', 'Z')]);
    expect(new Set(runs.map((r) => r.name)).size).toBe(2);
  });
});
