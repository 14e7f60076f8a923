// Adoption and release (upstream PodControllerRefManager.ClaimPods with the Job's tracking
// finalizer): a Job claims the pods it controls that still match its selector; it adopts
// matching orphans (controller ownerRef + tracking finalizer) after re-reading itself from the
// API to be sure it is not being deleted; it releases controlled pods that stopped matching
// (ownerRef and tracking finalizer removed). Pods controlled by someone else are left alone.
import type { Job, OwnerReference } from '../../api/index.js';
import { type Selector, controllerRef, isInvalid, isNotFound } from '../../machinery/index.js';
import { JOB_TRACKING_FINALIZER, type PodView } from './job-pods.js';
import type { PodControl } from './pod-control.js';

/** The controller ownerRef a Job puts on its pods. */
export function newControllerRef(job: Pick<Job, 'metadata'>): OwnerReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata.name ?? '',
    uid: job.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Strategic merge patch that adopts a pod (ownerRefControllerPatch with finalizers). */
export function adoptPodPatch(job: Pick<Job, 'metadata'>, podUid: string): Record<string, unknown> {
  return { metadata: { ownerReferences: [newControllerRef(job)], uid: podUid, finalizers: [JOB_TRACKING_FINALIZER] } };
}

/** Strategic merge patch that releases a pod (GenerateDeleteOwnerRefStrategicMergeBytes with finalizers). */
export function releasePodPatch(jobUid: string, podUid: string): Record<string, unknown> {
  return {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: jobUid }],
      uid: podUid,
      '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER],
    },
  };
}

export interface ClaimPodsArgs {
  job: Pick<Job, 'metadata'>;
  pods: readonly PodView[];
  selector: Selector;
  podControl: PodControl;
  /** Re-reads the Job; rejects if it is gone or being deleted. Called at most once. */
  canAdopt: () => Promise<void>;
}

/** The pods the Job owns after claiming, and any errors met (the sync fails on them). */
export async function claimPods(args: ClaimPodsArgs): Promise<{ claimed: PodView[]; errors: unknown[] }> {
  const { job, selector, podControl } = args;
  const jobUid = job.metadata.uid ?? '';
  const jobDeleting = !!job.metadata.deletionTimestamp;
  let adoptCheck: Promise<void> | undefined;
  const canAdoptOnce = () => (adoptCheck ??= args.canAdopt());
  const claimed: PodView[] = [];
  const errors: unknown[] = [];

  for (const pod of args.pods) {
    const ref = controllerRef(pod.metadata as Parameters<typeof controllerRef>[0]);
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const podUid = pod.metadata.uid ?? '';
    const matches = selector.matches(pod.metadata.labels as Record<string, string> | undefined);
    if (ref) {
      if (ref.uid !== jobUid) continue; // someone else's
      if (matches) {
        claimed.push(pod);
        continue;
      }
      if (jobDeleting) continue; // ignore while we are being deleted
      try {
        await podControl.patchPod(ns, name, releasePodPatch(jobUid, podUid));
      } catch (err) {
        // Gone, or no longer ours (uid changed / ownerRef already removed): nothing to release.
        if (!isNotFound(err) && !isInvalid(err)) errors.push(err);
      }
      continue;
    }
    // An orphan.
    if (jobDeleting || !matches || pod.metadata.deletionTimestamp) continue;
    try {
      await canAdoptOnce();
    } catch (err) {
      errors.push(err);
      continue;
    }
    try {
      await podControl.patchPod(ns, name, adoptPodPatch(job, podUid));
      claimed.push(pod);
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  return { claimed, errors };
}
