// The Node's rules (pkg/registry/core/node/strategy.go): a node agent creates its Node
// with a status (kept on create); later status writes go through /status.
import type { KubeObject, Node, ObjectMeta } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isValidLabelValue, parseQuantity, QUANTITY_FORMAT_ERROR } from '../../../machinery/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName } from '../meta-validation.js';
import { TAINT_EFFECTS } from '../pods/validation.js';
import { keepAllButStatus } from '../status-subresource.js';

export interface NodeObject extends KubeObject {
  metadata: ObjectMeta;
  spec?: Node['spec'];
  status?: Node['status'];
}

function validateResourceList(list: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const kp = p.key(name);
    errs.push(...validateQualifiedName(name, kp));
    try {
      if (parseQuantity(String(value)).num < 0n) errs.push(fieldErrors.invalid(kp, String(value), 'must be greater than or equal to 0'));
    } catch {
      errs.push(fieldErrors.invalid(kp, value, QUANTITY_FORMAT_ERROR));
    }
  }
  return errs;
}

/** ValidateNode: a DNS-subdomain name, taints, capacity and allocatable quantities. */
export function validateNode(node: NodeObject): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const tp = new FieldPath('spec').child('taints');
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const ip = tp.index(i);
    errs.push(...validateQualifiedName(t.key ?? '', ip.child('key')));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(fieldErrors.invalid(ip.child('value'), t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(fieldErrors.required(ip.child('effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(ip.child('effect'), t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) errs.push({ ...fieldErrors.duplicate(ip, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(key);
  });
  const sp = new FieldPath('status');
  errs.push(...validateResourceList(node.status?.capacity, sp.child('capacity')));
  errs.push(...validateResourceList(node.status?.allocatable, sp.child('allocatable')));
  return errs;
}

/** ValidateNodeUpdate: metadata rules; podCIDR may only go from "" to a value. */
export function validateNodeUpdate(node: NodeObject, old: NodeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  const oldCIDR = old.spec?.podCIDR ?? '';
  if (oldCIDR && oldCIDR !== (node.spec?.podCIDR ?? '')) {
    errs.push(fieldErrors.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  errs.push(...validateNode(node));
  return errs;
}

export const nodeStrategy: ResourceStrategy<NodeObject> = {
  // SetDefaults_NodeStatus: allocatable is the capacity when not reported.
  defaults(node) {
    const status = node.status;
    if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
  },
  prepareForCreate() {},
  prepareForUpdate(node, old) {
    if (old.status === undefined) delete node.status;
    else node.status = structuredClone(old.status);
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const nodeStatusStrategy: StatusStrategy<NodeObject> = {
  prepareForUpdate(node, old) {
    keepAllButStatus(node, old);
  },
  validateUpdate: validateNodeUpdate,
};
