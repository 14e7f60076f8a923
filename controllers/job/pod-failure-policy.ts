// spec.podFailurePolicy: the first rule matching a failed pod decides (upstream pod_failure_policy.go).
import type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyOnExitCodesRequirement } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';
import type { PodView } from './job-pods.js';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  jobFailureMessage?: string;
  /** False when an Ignore rule matched: the failure counts toward neither backoffLimit nor backoffLimitPerIndex. */
  countFailed: boolean;
  /** The matched rule's action, if any rule matched. */
  action?: PodFailurePolicyAction;
}

type ContainerStatusView = NonNullable<NonNullable<PodView['status']>['containerStatuses']>[number];

function exitCodeMatches(exitCode: number, req: DeepReadonly<PodFailurePolicyOnExitCodesRequirement>): boolean {
  switch (req.operator) {
    case 'In':
      return req.values.includes(exitCode);
    case 'NotIn':
      return !req.values.includes(exitCode);
    default:
      return false;
  }
}

function matchingContainer(list: readonly ContainerStatusView[] | undefined, req: DeepReadonly<PodFailurePolicyOnExitCodesRequirement>) {
  for (const cs of list ?? []) {
    const t = cs.state?.terminated;
    if (!t) continue; // still running or waiting: no exit code to match
    if (req.containerName && req.containerName !== cs.name) continue;
    if (t.exitCode !== 0 && exitCodeMatches(t.exitCode, req)) return cs;
  }
  return undefined;
}

/**
 * Matches a failed pod against the rules in order. Exit codes are checked on regular containers
 * first, then init containers; exit code 0 never matches. With no policy or no matching rule the
 * failure counts as usual.
 */
export function matchPodFailurePolicy(policy: DeepReadonly<PodFailurePolicy> | undefined, pod: PodView): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let matched: { container?: ContainerStatusView; conditionType?: string } | undefined;
    if (rule.onExitCodes) {
      const c =
        matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (c) matched = { container: c };
    } else if (rule.onPodConditions) {
      for (const cond of pod.status?.conditions ?? []) {
        if (rule.onPodConditions.some((p) => p.type === cond.type && (p.status ?? 'True') === cond.status)) {
          matched = { conditionType: cond.type };
          break;
        }
      }
    }
    if (!matched) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob': {
        const jobFailureMessage = matched.container
          ? `Container ${matched.container.name} for pod ${ns}/${name} failed with exit code ${matched.container.state?.terminated?.exitCode ?? 0} matching FailJob rule at index ${index}`
          : `Pod ${ns}/${name} has condition ${matched.conditionType ?? ''} matching FailJob rule at index ${index}`;
        return { jobFailureMessage, countFailed: true, action: 'FailJob' };
      }
      default:
        // An unknown action: upstream falls through to the next rule.
        continue;
    }
  }
  return { countFailed: true };
}
