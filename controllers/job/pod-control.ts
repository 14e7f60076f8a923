// PodControl: how the controller creates, deletes and patches pods (upstream
// controller.PodControlInterface), so syncJob tests can record actions with FakePodControl.
// RealPodControl writes through the API client and records SuccessfulCreate / FailedCreate /
// SuccessfulDelete / FailedDelete events on the Job, as upstream's RealPodControl does.
import type { Job, OwnerReference, Pod, PodTemplateSpec } from '../../api/index.js';
import type { DeepReadonly, EventRecorder, ResourceClient } from '../../client/index.js';
import { deepClone } from '../../client/index.js';
import { errorMessage, isNotFound } from '../../machinery/index.js';

/** A strategic merge patch body for a pod. */
export type PodPatch = Record<string, unknown>;

export type JobView = Job | DeepReadonly<Job>;

export interface PodControl {
  /**
   * Creates a pod from `template` in `namespace`, owned by `controllerRef`, named from
   * `generateName` (default "<job>-"). Labels, annotations and finalizers come from the template.
   */
  createPods(namespace: string, template: PodTemplateSpec, job: JobView, controllerRef: OwnerReference, generateName?: string): Promise<void>;
  /** Deletes the pod (graceful, the pod's own grace period). */
  deletePod(namespace: string, name: string, job: JobView): Promise<void>;
  /** Applies a strategic merge patch to the pod. */
  patchPod(namespace: string, name: string, patch: PodPatch): Promise<void>;
}

/** The pod a template stands for (controller.GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec, job: JobView, controllerRef: OwnerReference | undefined): Pod {
  const t = deepClone<PodTemplateSpec>(template);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name ?? ''}-`,
      labels: t.metadata?.labels ?? {},
      annotations: t.metadata?.annotations ?? {},
    },
    spec: t.spec,
  };
  if (t.metadata?.finalizers?.length) pod.metadata.finalizers = t.metadata.finalizers;
  if (controllerRef) pod.metadata.ownerReferences = [controllerRef];
  return pod;
}

/** PodControl over the API client. */
export class RealPodControl implements PodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;

  constructor(deps: { pods: ResourceClient<Pod>; recorder: EventRecorder }) {
    this.pods = deps.pods;
    this.recorder = deps.recorder;
  }

  async createPods(namespace: string, template: PodTemplateSpec, job: JobView, controllerRef: OwnerReference, generateName?: string): Promise<void> {
    const pod = podFromTemplate(template, job, controllerRef);
    if (generateName) pod.metadata.generateName = generateName;
    pod.metadata.namespace = namespace;
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await this.pods.namespace(namespace).create(pod);
    } catch (err) {
      this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      throw err;
    }
    this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
  }

  async deletePod(namespace: string, name: string, job: JobView): Promise<void> {
    try {
      await this.pods.namespace(namespace).delete(name);
    } catch (err) {
      if (!isNotFound(err)) this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      throw err;
    }
    this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  async patchPod(namespace: string, name: string, patch: PodPatch): Promise<void> {
    await this.pods.namespace(namespace).patch(name, 'strategic', patch);
  }
}

/**
 * Records what the controller asked for (upstream controller.FakePodControl): created templates
 * (with metadata.generateName set), their controllerRefs, deleted pod names and patches. `err`
 * makes every call fail (creates and patches are still recorded, deletes are not, as upstream);
 * `createLimit` fails creates beyond that many calls.
 */
export class FakePodControl implements PodControl {
  readonly templates: PodTemplateSpec[] = [];
  readonly controllerRefs: OwnerReference[] = [];
  readonly deletePodNames: string[] = [];
  readonly patches: { namespace: string; name: string; patch: PodPatch }[] = [];
  createCallCount = 0;
  createLimit = 0;
  err: Error | undefined;

  constructor(opts: { err?: Error; createLimit?: number } = {}) {
    this.err = opts.err;
    this.createLimit = opts.createLimit ?? 0;
  }

  async createPods(_namespace: string, template: PodTemplateSpec, _job: JobView, controllerRef: OwnerReference, generateName?: string): Promise<void> {
    await Promise.resolve();
    this.createCallCount++;
    if (this.createLimit !== 0 && this.createCallCount > this.createLimit) {
      throw new Error(`not creating pod, limit ${this.createLimit} already reached (create call ${this.createCallCount})`);
    }
    const t = deepClone<PodTemplateSpec>(template);
    t.metadata = { ...t.metadata, generateName: generateName ?? '' };
    this.templates.push(t);
    this.controllerRefs.push({ ...controllerRef });
    if (this.err) throw this.err;
  }

  async deletePod(_namespace: string, name: string): Promise<void> {
    await Promise.resolve();
    if (this.err) throw this.err;
    this.deletePodNames.push(name);
  }

  async patchPod(namespace: string, name: string, patch: PodPatch): Promise<void> {
    await Promise.resolve();
    this.patches.push({ namespace, name, patch: deepClone(patch) });
    if (this.err) throw this.err;
  }

  clear(): void {
    this.templates.length = 0;
    this.controllerRefs.length = 0;
    this.deletePodNames.length = 0;
    this.patches.length = 0;
    this.createCallCount = 0;
  }
}
