// pods/eviction (pkg/registry/core/pod/storage/eviction.go): a pod is deleted only if its
// PodDisruptionBudget allows one more disruption. Terminal, pending and already-deleted pods
// go without a budget check; otherwise the one matching budget (two or more: 500) is checked
// and decremented in its status (the pod noted in disruptedPods, so the disruption controller
// does not count it healthy meanwhile), or the request is refused with 429 TooManyRequests,
// which clients such as kubectl drain retry. The pod is marked DisruptionTarget=True
// (EvictionByEvictionAPI) before it is deleted with the grace period asked for.
// Every read and write here runs in one turn of the event loop, so no other request changes
// the budget or the pod in between: upstream's conflict retries have nothing to retry.
import type { FastifyReply } from 'fastify';
import type { DeleteOptions, Eviction, KubeObject, LabelSelector, Pod, PodCondition, Status } from '../../../api/index.js';
import { DISRUPTION_BUDGET_CAUSE } from '../../../api/index.js';
import {
  StatusError,
  badRequest,
  checkAgainstSchema,
  conflict,
  failureStatus,
  isConflict,
  labelSelectorAsSelector,
  rfc3339,
} from '../../../machinery/index.js';
import { podDisruptionBudgets, type PodDisruptionBudgetObject } from '../poddisruptionbudgets/index.js';
import { type Schema, definitions } from '../../../api/schema/index.js';
import type { SubresourceRequest } from '../resource.js';

/** Entries in status.disruptedPods above which evictions are refused (the controller is behind). */
export const MAX_DISRUPTED_POD_SIZE = 2000;

const EVICTION_SCHEMA: Schema = { type: 'ref', ref: 'io.k8s.api.policy.v1.Eviction' };
const TOO_MANY_REQUESTS_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
const EVICTION_API_VERSIONS = ['policy/v1', 'policy/v1beta1'];

/** The answer to an eviction that went through (upstream returns a Success Status from a create). */
export const EVICTION_CREATED: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  const details: NonNullable<Status['details']> = { causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }] };
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError(failureStatus(429, 'TooManyRequests', TOO_MANY_REQUESTS_MESSAGE, details));
}

function budgetForbidden(name: string, why: string): StatusError {
  return new StatusError(failureStatus(403, 'Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: ${why}`, { name, group: 'policy', kind: 'poddisruptionbudget' }));
}

/** The Eviction body: policy/v1 or policy/v1beta1, named (and namespaced, if at all) as the URL names the pod. */
export function decodeEviction(body: unknown, podName: string, namespace: string): Eviction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('json: cannot unmarshal the body into Go value of type policy.Eviction');
  // Wrong JSON types are refused as Go's decoder refuses them (a grace period of "abc" is a 400, not a date).
  const typeError = checkAgainstSchema(body, EVICTION_SCHEMA, definitions).typeErrors[0];
  if (typeError) throw badRequest(typeError);
  const eviction = body as Eviction;
  if (eviction.kind !== undefined && eviction.kind !== 'Eviction') throw badRequest(`not a Eviction object: ${String(eviction.kind)}`);
  if (eviction.apiVersion !== undefined && !EVICTION_API_VERSIONS.includes(eviction.apiVersion)) {
    throw badRequest(`the API version in the data (${String(eviction.apiVersion)}) does not match the expected API version (policy/v1)`);
  }
  if (eviction.metadata !== undefined && (typeof eviction.metadata !== 'object' || eviction.metadata === null || Array.isArray(eviction.metadata))) {
    throw badRequest('json: cannot unmarshal the body into Go struct field Eviction.metadata of type v1.ObjectMeta');
  }
  const opts = eviction.deleteOptions;
  if (opts !== undefined && opts !== null && (typeof opts !== 'object' || Array.isArray(opts))) {
    throw badRequest('json: cannot unmarshal the body into Go struct field Eviction.deleteOptions of type v1.DeleteOptions');
  }
  if (eviction.metadata?.namespace && eviction.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if ((eviction.metadata?.name ?? '') !== podName) throw badRequest('name in URL does not match name in Eviction object');
  return eviction;
}

/** propagateDryRun: the request's dryRun and the body's must agree; "All" is the only value. */
function dryRunOf(query: SubresourceRequest['query'], options: DeleteOptions): boolean {
  const raw = query.dryRun;
  const fromQuery = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const fromBody = options.dryRun ?? [];
  for (const v of [...fromQuery, ...fromBody]) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  if (fromQuery.length && fromBody.length && fromQuery.join() !== fromBody.join()) {
    throw badRequest(`Non-matching dry-run options in request and content: [${fromQuery.join(' ')}] and [${fromBody.join(' ')}]`);
  }
  return fromQuery.length + fromBody.length > 0;
}

function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** canIgnorePDB: a terminal, pending or already-deleted pod disrupts nothing more. */
export function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function shouldEnforceResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

/** The budgets of the pod's namespace whose selector matches it; a null or empty selector matches nothing here. */
export function podDisruptionBudgetsFor(budgets: KubeObject[], pod: Pod): PodDisruptionBudgetObject[] {
  return (budgets as PodDisruptionBudgetObject[]).filter((pdb) => {
    const selector = pdb.spec?.selector as LabelSelector | undefined;
    if (!selector) return false;
    try {
      const sel = labelSelectorAsSelector(selector);
      return !sel.isEmpty() && sel.matches(pod.metadata.labels);
    } catch {
      return false; // an invalid selector matches no pod
    }
  });
}

/** podutil.UpdatePodCondition: the transition time moves only when the status changes. */
export function setPodCondition(pod: Pod, condition: Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>, now: Date): void {
  const status = (pod.status ??= {});
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const next: PodCondition = {
    ...condition,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
  };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}

/** checkAndDecrement: the budget must have observed its generation and allow a disruption. */
function checkAndDecrement(req: SubresourceRequest, pod: Pod, pdb: PodDisruptionBudgetObject, dryRun: boolean): void {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status;
  if ((status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(10, `The disruption budget ${name} is still being processed by the server.`);
  }
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed < 0) throw budgetForbidden(name, 'pdb disruptions allowed is negative');
  if (Object.keys(status?.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw budgetForbidden(name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    throw tooManyRequests(0, `The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`);
  }
  if (dryRun) return;
  req.registry.guaranteedUpdate(
    podDisruptionBudgets,
    pod.metadata.namespace ?? '',
    name,
    (obj) => {
      const s = (obj as PodDisruptionBudgetObject).status!;
      s.disruptionsAllowed -= 1;
      if (s.disruptionsAllowed === 0) {
        // pdbhelper.UpdateDisruptionAllowedCondition for the budget just used up.
        const conditions = (s.conditions ??= []);
        const i = conditions.findIndex((c) => c.type === 'DisruptionAllowed');
        const changed = i < 0 || conditions[i].status !== 'False';
        const next = {
          type: 'DisruptionAllowed',
          status: 'False' as const,
          reason: 'InsufficientPods',
          message: '',
          observedGeneration: s.observedGeneration,
          lastTransitionTime: changed ? rfc3339(req.now) : conditions[i].lastTransitionTime,
        };
        if (i >= 0) conditions[i] = next;
        else conditions.push(next);
      }
      (s.disruptedPods ??= {})[pod.metadata.name ?? ''] = rfc3339(req.now);
    },
    { subresource: 'status' },
  );
}

/** addConditionAndDeletePod: DisruptionTarget=True through the status strategy, then the delete. */
function addConditionAndDeletePod(req: SubresourceRequest, options: DeleteOptions, dryRun: boolean): void {
  let opts = options;
  if (!dryRun) {
    const updated = req.guaranteedUpdate((obj) => {
      const latest = obj as unknown as Pod;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== latest.metadata.uid) {
        throw conflict('Pod', '', latest.metadata.name ?? '', `the UID in the precondition (${pre.uid}) does not match the UID in record (${latest.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== latest.metadata.resourceVersion) {
        throw conflict(
          'Pod',
          '',
          latest.metadata.name ?? '',
          `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion ?? ''}). The object might have been modified`,
        );
      }
      setPodCondition(latest, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, req.now);
    });
    // Our own write moved the resourceVersion a precondition names.
    if (opts.preconditions?.resourceVersion) opts = { ...opts, preconditions: { ...opts.preconditions, resourceVersion: updated.metadata.resourceVersion } };
  }
  req.delete(opts, dryRun);
}

/** POST pods/{name}/eviction. */
export async function handlePodEviction(req: SubresourceRequest): Promise<FastifyReply> {
  try {
    return evict(req, decodeEviction(await req.body(EVICTION_SCHEMA), req.name, req.namespace));
  } catch (err) {
    // Upstream's error writer turns retryAfterSeconds into a Retry-After header (client-go waits and retries).
    const after = err instanceof StatusError ? err.status.details?.retryAfterSeconds : undefined;
    if (after) req.reply.header('Retry-After', String(after));
    throw err;
  }
}

function evict(req: SubresourceRequest, eviction: Eviction): FastifyReply {
  const original: DeleteOptions = { ...(eviction.deleteOptions ?? {}) };
  const dryRun = dryRunOf(req.query, original);
  const callerPinnedVersion = !!original.preconditions?.resourceVersion;
  const pod = req.get() as unknown as Pod;
  const pinned = (): DeleteOptions => ({ ...original, preconditions: { ...original.preconditions, resourceVersion: pod.metadata.resourceVersion } });

  if (canIgnorePDB(pod)) {
    addConditionAndDeletePod(req, shouldEnforceResourceVersion(pod) && !callerPinnedVersion ? pinned() : original, dryRun);
    return req.send(201, EVICTION_CREATED);
  }

  const budgets = podDisruptionBudgetsFor(req.registry.list(podDisruptionBudgets, { namespace: pod.metadata.namespace }).items, pod);
  if (budgets.length > 1) {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    };
    return req.send(500, status);
  }
  let unhealthyPodGoes = false;
  const pdb = budgets[0];
  if (pdb) {
    const s = pdb.status;
    if (!isPodReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((s?.currentHealthy ?? 0) >= (s?.desiredHealthy ?? 0) && (s?.desiredHealthy ?? 0) > 0))) {
      // An unready pod does not count as healthy: deleting it disrupts nothing the budget guards.
      unhealthyPodGoes = true;
    } else {
      checkAndDecrement(req, pod, pdb, dryRun);
    }
  }
  try {
    addConditionAndDeletePod(req, unhealthyPodGoes ? pinned() : original, dryRun);
  } catch (err) {
    if (isConflict(err) && unhealthyPodGoes && !callerPinnedVersion) throw tooManyRequests(10, `The disruption budget ${pdb!.metadata.name ?? ''} is still being processed by the server.`);
    throw err;
  }
  return req.send(201, EVICTION_CREATED);
}
