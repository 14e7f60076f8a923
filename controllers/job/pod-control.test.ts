import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { FakeClientset, FakeEventRecorder } from '../../client/testing/index.js';
import { alreadyExists, conflict } from '../../machinery/index.js';
import { newControllerRef } from './claim-pods.js';
import { FakePodControl, RealPodControl, podFromTemplate } from './pod-control.js';
import { newJob } from './testing/builders.js';

function setup() {
  const cs = new FakeClientset();
  const recorder = new FakeEventRecorder();
  const control = new RealPodControl({ pods: cs.pods, recorder });
  const job = newJob();
  return { cs, recorder, control, job };
}

describe('RealPodControl', () => {
  it('creates a pod from the template with ownerRef, labels, annotations, finalizers and generateName, and records SuccessfulCreate', async () => {
    const { cs, recorder, control, job } = setup();
    const template = { ...job.spec.template, metadata: { labels: { foo: 'bar' }, annotations: { a: 'b' }, finalizers: ['batch.kubernetes.io/job-tracking'] } };

    await control.createPods('default', template, job, newControllerRef(job));

    const [pod] = (await cs.pods.list()).items;
    expect(pod.metadata).toMatchObject({
      generateName: 'foobar-',
      namespace: 'default',
      labels: { foo: 'bar' },
      annotations: { a: 'b' },
      finalizers: ['batch.kubernetes.io/job-tracking'],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'foobar', uid: 'uid-foobar', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.metadata.name).toMatch(/^foobar-[a-z0-9]{5}$/);
    expect(pod.spec).toEqual(job.spec.template.spec);
    expect(recorder.events).toEqual([`Normal SuccessfulCreate Created pod: ${pod.metadata.name}`]);
    expect(recorder.records[0].object).toBe(job);
  });

  it('uses the given generateName (indexed pods)', async () => {
    const { cs, control, job } = setup();
    await control.createPods('default', job.spec.template, job, newControllerRef(job), 'foobar-3-');
    expect((await cs.pods.list()).items[0].metadata.name).toMatch(/^foobar-3-/);
  });

  it('records FailedCreate and rethrows when the API refuses', async () => {
    const { cs, recorder, control, job } = setup();
    cs.prependReactor('create', 'pods', () => ({ error: alreadyExists('pods', '', 'x') }));

    await expect(control.createPods('default', job.spec.template, job, newControllerRef(job))).rejects.toThrow('pods "x" already exists');

    expect(recorder.events).toEqual(['Warning FailedCreate Error creating: pods "x" already exists']);
  });

  it('refuses a template without labels', async () => {
    const { control, job } = setup();
    await expect(control.createPods('default', { spec: job.spec.template.spec }, job, newControllerRef(job))).rejects.toThrow('unable to create pods, no labels');
  });

  it('deletes with SuccessfulDelete, FailedDelete on errors, and no event for a pod already gone', async () => {
    const { cs, recorder, control, job } = setup();
    await cs.pods.create({ metadata: { name: 'p1', namespace: 'default' }, spec: { containers: [] } });
    await control.deletePod('default', 'p1', job);
    await expect(control.deletePod('default', 'p1', job)).rejects.toThrow('pods "p1" not found');
    cs.prependReactor('delete', 'pods', () => ({ error: conflict('pods', '', 'p2', 'busy') }));
    await expect(control.deletePod('default', 'p2', job)).rejects.toThrow();

    expect(recorder.events).toEqual(['Normal SuccessfulDelete Deleted pod: p1', 'Warning FailedDelete Error deleting: Operation cannot be fulfilled on pods "p2": busy']);
  });

  it('patches with a strategic merge patch', async () => {
    const { cs, control } = setup();
    await cs.pods.create({ metadata: { name: 'p', namespace: 'default', finalizers: ['batch.kubernetes.io/job-tracking', 'other'] }, spec: { containers: [] } });

    await control.patchPod('default', 'p', { metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } });

    expect(cs.actionsFor('patch', 'pods')[0].patchType).toBe('strategic');
    expect((await cs.pods.namespace('default').get('p')).metadata.finalizers).toEqual(['other']);
  });
});

describe('FakePodControl', () => {
  it('records creates even when failing, but not failed deletes, and enforces the create limit', async () => {
    const job = newJob();
    const f = new FakePodControl({ err: new Error('fake'), createLimit: 2 });
    await expect(f.createPods('default', job.spec.template, job, newControllerRef(job), 'g-')).rejects.toThrow('fake');
    await expect(f.deletePod('default', 'x')).rejects.toThrow('fake');
    await expect(f.patchPod('default', 'x', {})).rejects.toThrow('fake');
    f.err = undefined;
    await f.createPods('default', job.spec.template, job, newControllerRef(job));
    await expect(f.createPods('default', job.spec.template, job, newControllerRef(job))).rejects.toThrow('not creating pod, limit 2 already reached (create call 3)');

    expect(f.templates.map((t) => t.metadata?.generateName)).toEqual(['g-', '']);
    expect(f.deletePodNames).toEqual([]);
    expect(f.patches).toHaveLength(1);
    expect(f.createCallCount).toBe(3);
  });
});

describe('podFromTemplate', () => {
  it('copies the template without sharing it', () => {
    const job = newJob();
    const pod: Pod = podFromTemplate(job.spec.template, job, undefined);
    pod.spec.containers[0].image = 'changed';
    expect(job.spec.template.spec.containers[0].image).toBe('foo/bar');
    expect(pod.metadata.ownerReferences).toBeUndefined();
  });
});
