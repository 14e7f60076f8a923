// Pod and PodSpec validation, as pkg/apis/core/validation (ValidatePodCreate,
// ValidatePodSpec, ValidatePodTemplateSpec, ValidatePodUpdate, ValidatePodStatusUpdate),
// with upstream's field paths and messages. Pure: returns FieldError[], never throws.
// Used for bare Pods and for the pod template of a Job. Volumes and containers are checked in
// validation-volumes.ts and validation-containers.ts.
import type { Container, ContainerStatus, PodTemplateSpec, Toleration } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isValidLabelValue } from '../../../machinery/index.js';
import {
  nameIsDNSSubdomain,
  validateAnnotations,
  validateDNS1123Label,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateQualifiedName,
} from '../meta-validation.js';
import { semanticDiffPaths, semanticEqual } from '../semantic-equal.js';
import type { PodObject, PodSpecWire } from './types.js';
import { DNS_POLICIES, inclusiveRangeError, MAX_INT32, RESTART_POLICIES, UPDATABLE_POD_SPEC_FIELDS } from './validation-common.js';
import { validateVolumes } from './validation-volumes.js';
import { validatePreemptionPolicy } from '../priorityclasses/validation.js';
import { validateContainers, validateInitContainers } from './validation-containers.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const ip = p.index(i);
    if (t.key) errs.push(...validateQualifiedName(t.key, ip.child('key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fieldErrors.invalid(ip.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(fieldErrors.invalid(ip.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(fieldErrors.invalid(ip.child('operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(fieldErrors.invalid(ip.child('operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(fieldErrors.notSupported(ip.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(ip.child('effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

/** ValidatePodSpec: everything a pod template and a pod share. */
export function validatePodSpec(spec: PodSpecWire | undefined, p: FieldPath, podName?: string): FieldError[] {
  if (!spec) return [fieldErrors.required(p)];
  const errs: FieldError[] = [];
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const { names: volumes, errors: volumeErrs } = validateVolumes(spec.volumes, p.child('volumes'), podName);
  errs.push(...volumeErrs);
  errs.push(...validateContainers(spec.containers, volumes, grace, p.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, volumes, grace, p.child('initContainers')));

  const rp = spec.restartPolicy ?? '';
  if (!rp) errs.push(fieldErrors.required(p.child('restartPolicy')));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(fieldErrors.notSupported(p.child('restartPolicy'), rp, RESTART_POLICIES));

  const dp = spec.dnsPolicy ?? '';
  if (!dp) errs.push(fieldErrors.required(p.child('dnsPolicy')));
  else if (!DNS_POLICIES.includes(dp)) errs.push(fieldErrors.notSupported(p.child('dnsPolicy'), dp, DNS_POLICIES));
  if (dp === 'None') {
    if (!spec.dnsConfig) errs.push(fieldErrors.required(p.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!spec.dnsConfig.nameservers?.length) {
      errs.push(fieldErrors.required(p.child('dnsConfig', 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }

  errs.push(...validateLabels(spec.nodeSelector, p.child('nodeSelector')));
  if (spec.serviceAccountName) {
    for (const m of nameIsDNSSubdomain(spec.serviceAccountName, false)) errs.push(fieldErrors.invalid(p.child('serviceAccountName'), spec.serviceAccountName, m));
  }
  if (spec.nodeName) {
    for (const m of nameIsDNSSubdomain(spec.nodeName, false)) errs.push(fieldErrors.invalid(p.child('nodeName'), spec.nodeName, m));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(fieldErrors.invalid(p.child('activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...validateDNS1123Label(spec.hostname, p.child('hostname')));
  if (spec.subdomain) errs.push(...validateDNS1123Label(spec.subdomain, p.child('subdomain')));
  if (spec.priorityClassName) {
    for (const m of nameIsDNSSubdomain(spec.priorityClassName, false)) errs.push(fieldErrors.invalid(p.child('priorityClassName'), spec.priorityClassName, m));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) errs.push(...validatePreemptionPolicy(spec.preemptionPolicy, p.child('preemptionPolicy')));
  errs.push(...validateTolerations(spec.tolerations, p.child('tolerations')));
  if (spec.hostNetwork) {
    (spec.containers ?? []).forEach((c, i) =>
      (c.ports ?? []).forEach((port, j) => {
        if ((port.hostPort ?? 0) !== port.containerPort) {
          errs.push(
            fieldErrors.invalid(p.child('containers').index(i).child('ports').index(j).child('containerPort'), port.containerPort, 'must match `hostPort` when `hostNetwork` is true'),
          );
        }
      }),
    );
  }
  (spec.readinessGates ?? []).forEach((g, i) => errs.push(...validateQualifiedName(g.conditionType ?? '', p.child('readinessGates').index(i).child('conditionType'))));
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    errs.push(...validateQualifiedName(g.name ?? '', p.child('schedulingGates').index(i)));
    if (gates.has(g.name)) errs.push(fieldErrors.duplicate(p.child('schedulingGates').index(i), g.name));
    gates.add(g.name);
  });
  return errs;
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its spec. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(template?.metadata?.labels, p.child('labels')));
  errs.push(...validateAnnotations(template?.metadata?.annotations, p.child('annotations')));
  errs.push(...validatePodSpec(template?.spec as PodSpecWire | undefined, p.child('spec')));
  return errs;
}

/** ValidatePodCreate: metadata, spec, and what only a new pod must satisfy. */
export function validatePod(pod: PodObject): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const specPath = new FieldPath('spec');
  errs.push(...validatePodSpec(pod.spec, specPath, pod.metadata?.name));
  for (const key of ['containers', 'initContainers'] as const) {
    (pod.spec?.[key] ?? []).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) {
        errs.push(fieldErrors.invalid(specPath.child(key).index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  if (pod.spec?.nodeName && (pod.spec.schedulingGates?.length ?? 0) > 0) {
    errs.push(fieldErrors.forbidden(specPath.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

function validateContainerUpdates(next: Container[] | undefined, prev: Container[] | undefined, p: FieldPath): { errors: FieldError[]; stop: boolean } {
  const a = next ?? [];
  const b = prev ?? [];
  if (a.length !== b.length) return { errors: [fieldErrors.forbidden(p, 'pod updates may not add or remove containers')], stop: true };
  const errors: FieldError[] = [];
  a.forEach((c, i) => {
    if (!c.image) errors.push(fieldErrors.required(p.index(i).child('image')));
    if (c.image && c.image.trim() !== c.image) errors.push(fieldErrors.invalid(p.index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
  });
  return { errors, stop: false };
}

function validateOnlyAddedTolerations(next: Toleration[] | undefined, prev: Toleration[] | undefined, p: FieldPath): FieldError[] {
  for (const old of prev ?? []) {
    const found = (next ?? []).some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [fieldErrors.forbidden(p, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, p);
}

/**
 * ValidatePodUpdate: the new pod is valid, and its spec differs from the old one only in
 * container images, activeDeadlineSeconds (set, or lowered), added tolerations,
 * removed scheduling gates, and terminationGracePeriodSeconds from negative to 1.
 */
export function validatePodUpdate(pod: PodObject, old: PodObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  errs.push(...validatePod(pod));
  const specPath = new FieldPath('spec');
  const spec = pod.spec ?? ({ containers: [] } as PodSpecWire);
  const oldSpec = old.spec ?? ({ containers: [] } as PodSpecWire);

  for (const key of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], specPath.child(key));
    errs.push(...r.errors);
    if (r.stop) return errs;
  }

  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > MAX_INT32) {
      errs.push(fieldErrors.invalid(specPath.child('activeDeadlineSeconds'), ads, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oldAds !== undefined && oldAds !== null && oldAds < ads) {
      errs.push(fieldErrors.invalid(specPath.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldAds !== undefined && oldAds !== null) {
    errs.push(fieldErrors.invalid(specPath.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }

  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, specPath.child('tolerations')));

  const oldGates = new Set((oldSpec.schedulingGates ?? []).map((g) => g.name));
  (spec.schedulingGates ?? []).forEach((g, i) => {
    if (!oldGates.has(g.name)) {
      errs.push(fieldErrors.forbidden(specPath.child('schedulingGates').index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
    }
  });

  if (semanticEqual(spec, oldSpec)) return errs;
  // Put back what may change, then anything still different is forbidden.
  const munged = structuredClone(spec);
  for (const key of ['containers', 'initContainers'] as const) {
    (munged[key] ?? []).forEach((c, i) => {
      c.image = oldSpec[key]![i].image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  if (munged.activeDeadlineSeconds === undefined) delete munged.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (oldGates.size > 0) {
    // A gated pod may gain nodeSelector entries (no removals or changes) and node affinity.
    const merged = { ...(oldSpec.nodeSelector ?? {}) };
    let onlyAdditions = true;
    for (const [k, v] of Object.entries(munged.nodeSelector ?? {})) {
      if (k in merged && merged[k] !== v) onlyAdditions = false;
    }
    for (const k of Object.keys(oldSpec.nodeSelector ?? {})) if (!(k in (munged.nodeSelector ?? {}))) onlyAdditions = false;
    if (onlyAdditions) munged.nodeSelector = oldSpec.nodeSelector;
    munged.affinity = oldSpec.affinity;
  }
  if (!semanticEqual(munged, oldSpec)) {
    const changed = semanticDiffPaths(oldSpec, munged).map((f) => `spec.${f}`);
    errs.push(
      fieldErrors.forbidden(
        specPath,
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n  changed: ${changed.join(', ')}`,
      ),
    );
  }
  return errs;
}

function validateContainerStateTransition(
  next: ContainerStatus[] | undefined,
  prev: ContainerStatus[] | undefined,
  p: FieldPath,
  restartPolicy: string | undefined,
  restartable: Set<string> = new Set(),
): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  (prev ?? []).forEach((o, i) => {
    const term = o.state?.terminated;
    if (!term) return;
    if (term.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(o.name)) return;
    for (const n of next ?? []) {
      if (n.name === o.name && !n.state?.terminated) {
        errs.push(fieldErrors.forbidden(p.index(i).child('state'), 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

const SYSTEM_POD_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'DisruptionTarget', 'PodReadyToStartContainers', 'PodResizePending', 'PodResizeInProgress']);

/**
 * ValidatePodStatusUpdate: metadata update rules, custom condition types are qualified
 * names, nodeName is not changed through status, and containers of a pod that does not
 * restart them stay terminated once terminated.
 */
export function validatePodStatusUpdate(pod: PodObject, old: PodObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  (pod.status?.conditions ?? []).forEach((c, i) => {
    if (!SYSTEM_POD_CONDITIONS.has(c.type)) errs.push(...validateQualifiedName(c.type ?? '', new FieldPath('metadata').child('conditions').index(i).child('Type')));
  });
  const statusPath = new FieldPath('status');
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(fieldErrors.forbidden(statusPath.child('nodeName'), 'may not be changed directly'));
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && nominated !== old.status?.nominatedNodeName) {
    for (const m of nameIsDNSSubdomain(nominated, false)) errs.push(fieldErrors.invalid(statusPath.child('nominatedNodeName'), nominated, m));
  }
  errs.push(...validateContainerStateTransition(pod.status?.containerStatuses, old.status?.containerStatuses, statusPath.child('containerStatuses'), old.spec?.restartPolicy));
  // Init containers never go back once done, unless they are restartable sidecars.
  const sidecars = new Set((old.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  errs.push(
    ...validateContainerStateTransition(
      pod.status?.initContainerStatuses,
      old.status?.initContainerStatuses,
      statusPath.child('initContainerStatuses'),
      old.spec?.restartPolicy,
      sidecars,
    ),
  );
  return errs;
}
