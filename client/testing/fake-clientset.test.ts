import { describe, expect, it } from 'vitest';
import type { Job, Pod, WatchEvent } from '../../api/index.js';
import { FakeClock, isAlreadyExists, isConflict, isNotFound } from '../../machinery/index.js';
import { FakeClientset, applyFakeStrategicMergePatch, applyMergePatch } from './fake-clientset.js';

const pod = (name: string, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name, namespace: 'default', ...extra },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('FakeClientset', () => {
  it('creates with generateName, uid, creationTimestamp, resourceVersion and generation', async () => {
    const cs = new FakeClientset({ clock: new FakeClock('2026-01-02T03:04:05Z') });
    const created = await cs.pods.create({ metadata: { generateName: 'job-', namespace: 'default' }, spec: { containers: [] } });

    expect(created.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toBe('2026-01-02T03:04:05Z');
    expect(created.metadata.resourceVersion).toBe('1');
    expect(created.metadata.generation).toBe(1);
    expect(created.kind).toBe('Pod');
    await expect(cs.pods.create(pod(created.metadata.name as string))).rejects.toSatisfy(isAlreadyExists);
    expect(cs.actionsFor('create', 'pods')).toHaveLength(2);
  });

  it('rejects stale updates, keeps status on update and spec on updateStatus, bumping generation on spec change', async () => {
    const cs = new FakeClientset();
    const job = await cs.jobs.create({ metadata: { name: 'j', namespace: 'default' }, spec: { parallelism: 1, template: { spec: { containers: [] } } }, status: { active: 9 } });

    const withStatus = await cs.jobs.updateStatus({ ...job, spec: { ...job.spec, parallelism: 5 }, status: { active: 1 } });
    expect(withStatus.spec.parallelism).toBe(1);
    expect(withStatus.status).toEqual({ active: 1 });
    expect(withStatus.metadata.generation).toBe(1);

    await expect(cs.jobs.update({ ...job, spec: { ...job.spec, parallelism: 2 } })).rejects.toSatisfy(isConflict);
    const updated = await cs.jobs.update({ ...withStatus, spec: { ...withStatus.spec, parallelism: 2 }, status: {} });
    expect(updated.status).toEqual({ active: 1 });
    expect(updated.metadata.generation).toBe(2);
  });

  it('only marks objects with finalizers for deletion, and removes them when the last finalizer goes', async () => {
    const cs = new FakeClientset();
    await cs.pods.create(pod('p', { finalizers: ['batch.kubernetes.io/job-tracking'] }));
    const pods = cs.pods.namespace('default');

    const marked = (await pods.delete('p')) as Pod;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect((await pods.get('p')).metadata.deletionTimestamp).toBeDefined();

    await pods.patch('p', 'strategic', { metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } });
    await expect(pods.get('p')).rejects.toSatisfy(isNotFound);
  });

  it('applies merge, JSON and (subset) strategic patches', async () => {
    const cs = new FakeClientset();
    await cs.pods.create(pod('p', { labels: { a: '1' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u1', controller: true }] }));
    const pods = cs.pods.namespace('default');

    await pods.patch('p', 'merge', { metadata: { labels: { a: null, b: '2' } } });
    await pods.patch('p', 'json', [{ op: 'add', path: '/metadata/annotations', value: { x: 'y' } }]);
    await pods.patch('p', 'strategic', { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }], finalizers: ['f1'] } });
    const p = await pods.get('p');

    expect(p.metadata.labels).toEqual({ b: '2' });
    expect(p.metadata.annotations).toEqual({ x: 'y' });
    expect(p.metadata.ownerReferences).toEqual([]);
    expect(p.metadata.finalizers).toEqual(['f1']);
  });

  it('watches from a resourceVersion, replaying later events and then streaming live ones', async () => {
    const cs = new FakeClientset();
    const a = await cs.pods.create(pod('a'));
    await cs.pods.create(pod('b'));
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of cs.pods.watch({ resourceVersion: a.metadata.resourceVersion, signal: ac.signal }) as AsyncIterable<WatchEvent<Pod>>) {
        seen.push(`${e.type} ${e.object.metadata.name}`);
        if (seen.length === 3) ac.abort();
      }
    })();
    await cs.pods.namespace('default').delete('a');
    await cs.pods.create(pod('c'));
    await done;

    expect(seen).toEqual(['ADDED b', 'DELETED a', 'ADDED c']);
  });

  it('lets reactors fail calls', async () => {
    const cs = new FakeClientset();
    cs.prependReactor('update', 'jobs', (a) => (a.subresource === 'status' ? { error: new Error('boom') } : undefined));
    const job: Job = await cs.jobs.create({ metadata: { name: 'j', namespace: 'd' }, spec: { template: { spec: { containers: [] } } } });
    await expect(cs.jobs.updateStatus(job)).rejects.toThrow('boom');
    await expect(cs.jobs.update(job)).resolves.toBeDefined();
  });
});

describe('patch helpers', () => {
  it('merge patch follows RFC 7386', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: null, e: 3 }, d: [2] })).toEqual({ a: { c: 2, e: 3 }, d: [2] });
  });

  it('strategic subset merges conditions by type and deletes from primitive lists', () => {
    expect(
      applyFakeStrategicMergePatch(
        { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'X', status: 'True' }] }, metadata: { finalizers: ['a', 'b'] } },
        { status: { conditions: [{ type: 'Ready', status: 'True' }] }, metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'b'] } },
      ),
    ).toEqual({ status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'X', status: 'True' }] }, metadata: {} });
  });
});
