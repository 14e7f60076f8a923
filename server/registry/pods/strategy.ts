// The Pod's rules (pkg/registry/core/pod/strategy.go): status reset on create, status kept
// on update, spec changes bump generation, graceful deletion, and the /status strategy.
import type { PodSpec } from '../../../api/index.js';
import { isDNS1123Label, rfc3339 } from '../../../machinery/index.js';
import type { RequestContext, ResourceStrategy, StatusStrategy } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, setPodDefaults } from './defaults.js';
import { computePodQOS } from './qos.js';
import type { PodObject } from './types.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './validation.js';

/**
 * The effective grace period of a pod deletion (upstream CheckGracefulDelete): 0 when the
 * pod was never scheduled or has already terminated, else the requested value, else the
 * pod's terminationGracePeriodSeconds (30 when unset); a negative value counts as 1.
 */
export function podDeletionGracePeriod(pod: PodObject, requested?: number): number {
  let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') period = 0;
  if (period < 0) period = 1;
  return period;
}

/** Go's %v of a []string: "[a b]". */
export function goStringList(values: string[]): string {
  return `[${values.join(' ')}]`;
}

/** Warnings that upstream's GetWarningsForPodTemplate / GetWarningsForPod give for a spec. */
export function podSpecWarnings(spec: PodSpec | undefined, specPath: string): string[] {
  const warnings: string[] = [];
  const grace = spec?.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) {
    warnings.push(`${specPath}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`);
  }
  return warnings;
}

export const podStrategy: ResourceStrategy<PodObject> = {
  defaults(pod) {
    setPodDefaults(pod);
  },

  prepareForCreate(pod, ctx: RequestContext) {
    pod.metadata.generation = 1;
    pod.status = { phase: 'Pending', qosClass: computePodQOS(pod) };
    if ((pod.spec?.schedulingGates?.length ?? 0) > 0) {
      pod.status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(ctx.now),
          reason: 'SchedulingGated',
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ];
    }
  },

  prepareForUpdate(pod, old) {
    if (old.status === undefined) delete pod.status;
    else pod.status = structuredClone(old.status);
    if (!semanticEqual(pod.spec, old.spec)) pod.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },

  validate: validatePod,
  validateUpdate: validatePodUpdate,

  warningsOnCreate(pod) {
    const warnings: string[] = [];
    const msgs = isDNS1123Label(pod.metadata.name ?? '');
    if (msgs.length) {
      warnings.push(`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: ${goStringList(msgs)}`);
    }
    warnings.push(...podSpecWarnings(pod.spec, 'spec'));
    return warnings;
  },

  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,

  deletionGracePeriodSeconds(pod, requested) {
    return podDeletionGracePeriod(pod, requested);
  },
};

export const podStatusStrategy: StatusStrategy<PodObject> = {
  prepareForUpdate(pod, old) {
    keepAllButStatus(pod, old);
    const status = (pod.status ??= {});
    // qosClass is set once at creation; old kubelets dropped it.
    if (!status.qosClass && old.status?.qosClass) status.qosClass = old.status.qosClass;
    if (!status.observedGeneration && old.status?.observedGeneration) status.observedGeneration = old.status.observedGeneration;
  },
  validateUpdate: validatePodStatusUpdate,
};
