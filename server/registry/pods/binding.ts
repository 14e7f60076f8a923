// pods/binding: how a scheduler assigns a pod to a node. spec.nodeName is otherwise
// immutable; the binding sets it once and marks the pod PodScheduled=True.
import type { KubeObject, Pod, Status } from '../../../api/index.js';
import { badRequest, conflict, isDNS1123Subdomain, rfc3339 } from '../../../machinery/index.js';
import type { SubresourceUpdateStrategy } from '../resource.js';

interface Binding {
  metadata?: { name?: string; uid?: string };
  target?: { kind?: string; name?: string; apiVersion?: string };
}

/**
 * pods/binding's update strategy: the binding's mutation (below) is the whole change, and it
 * bypasses the pod's update rules, under which spec.nodeName is immutable.
 */
export const podBindingStrategy: SubresourceUpdateStrategy = {
  prepareForUpdate() {},
  validateUpdate: () => [],
};

/**
 * Checks a Binding body and returns the change it makes to the pod, for the registry's
 * guaranteedUpdate: nodeName set once and PodScheduled=True.
 */
export function podBinding(name: string, body: unknown, now: Date): (obj: KubeObject) => void {
  // The body is not decoded against a schema: its shape is checked here (a node name that is
  // an object would be stored as the pod's nodeName).
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('json: cannot unmarshal the body into Go value of type v1.Binding');
  const binding = body as Binding;
  for (const [field, value] of [
    ['metadata.name', binding.metadata?.name],
    ['metadata.uid', binding.metadata?.uid],
    ['target.kind', binding.target?.kind],
    ['target.name', binding.target?.name],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw badRequest(`json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go struct field ${field} of type string`);
    }
  }
  if ((binding.metadata !== undefined && (typeof binding.metadata !== 'object' || Array.isArray(binding.metadata))) || (binding.target !== undefined && (typeof binding.target !== 'object' || Array.isArray(binding.target)))) {
    throw badRequest('json: cannot unmarshal the body into Go value of type v1.Binding');
  }
  const node = binding.target?.name;
  if (!node) throw badRequest('target: Required value: a binding needs a target node name');
  if (isDNS1123Subdomain(node).length) throw badRequest(`target.name: Invalid value: a node name must be a DNS subdomain`);
  if (binding.target?.kind && binding.target.kind !== 'Node') throw badRequest(`target.kind: Unsupported value: "${binding.target.kind}": supported values: "Node"`);
  if (binding.metadata?.name && binding.metadata.name !== name) throw badRequest('binding name does not match the pod name');
  return (obj) => {
    const pod = obj as unknown as Pod;
    if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata.uid) {
      throw conflict('pods', '', name, `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
    }
    if (pod.metadata.deletionTimestamp) throw conflict('pods', '', name, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec.nodeName) throw conflict('pods', '', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec.nodeName = node;
    const status = (pod.status ??= {});
    // The nomination (a preemption's) is done with once the pod is bound (ClearingNominatedNodeNameAfterBinding, on since 1.34).
    delete status.nominatedNodeName;
    const conditions = (status.conditions ??= []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) });
    status.conditions = conditions;
  };
}

/** The answer to a binding: upstream's BindingREST returns a Success Status. */
export const BINDING_CREATED: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
