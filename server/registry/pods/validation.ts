// Pod and PodSpec validation, as pkg/apis/core/validation (ValidatePodCreate,
// ValidatePodSpec, ValidatePodTemplateSpec, ValidatePodUpdate, ValidatePodStatusUpdate),
// with upstream's field paths and messages. Pure: returns FieldError[], never throws.
// Used for bare Pods and for the pod template of a Job.
import type {
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  ContainerStatus,
  HTTPGetAction,
  KeyToPath,
  Lifecycle,
  LifecycleHandler,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Toleration,
  Volume,
  VolumeMount,
} from '../../../api/index.js';
import {
  type FieldError,
  FieldPath,
  fieldErrors,
  isConfigMapKey,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  parseQuantity,
  quantityMilliValue,
  compareQuantities,
  QUANTITY_FORMAT_ERROR,
} from '../../../machinery/index.js';
import {
  nameIsDNSSubdomain,
  validateAnnotations,
  validateDNS1123Label,
  validateLabels,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateQualifiedName,
} from '../meta-validation.js';
import { semanticDiffPaths, semanticEqual } from '../semantic-equal.js';
import type { PodObject, PodSpecWire } from './types.js';

const MAX_INT32 = 2147483647;
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const ENV_RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** The fields a pod update may change, as upstream lists them in its Forbidden message. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on by default since v1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

// ---- small shared checks ------------------------------------------------------------------

function validatePortNumOrName(port: unknown, p: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldErrors.invalid(p, port, m));
  if (typeof port === 'string') {
    // An all-digit string is still a name to upstream (intstr type String), and fails as one.
    return isValidPortName(port).map((m) => fieldErrors.invalid(p, port, m));
  }
  return [fieldErrors.internal(p, `unknown type: ${typeof port}`)];
}

function validatePathNoBacksteps(target: string, p: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [fieldErrors.invalid(p, target, "must not contain '..'")] : [];
}

function validateLocalDescendingPath(target: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldErrors.invalid(p, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, p));
  return errs;
}

function validateLocalNonReservedPath(target: string, p: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, p);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(fieldErrors.invalid(p, target, "must not start with '..'"));
  return errs;
}

function validateFileMode(mode: number | undefined, p: FieldPath): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [fieldErrors.invalid(p, mode, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(kp: KeyToPath, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(fieldErrors.required(p.child('key')));
  if (!kp.path) errs.push(fieldErrors.required(p.child('path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', p.child('path')));
  errs.push(...validateFileMode(kp.mode, p.child('mode')));
  return errs;
}

// ---- volumes --------------------------------------------------------------------------------

type VolumeSourceKey = 'hostPath' | 'emptyDir' | 'secret' | 'nfs' | 'persistentVolumeClaim' | 'downwardAPI' | 'projected' | 'configMap' | 'csi';
/** In upstream's validateVolumeSource order, which decides where "more than 1" is reported. */
const VOLUME_SOURCE_KEYS: VolumeSourceKey[] = ['hostPath', 'emptyDir', 'secret', 'nfs', 'persistentVolumeClaim', 'downwardAPI', 'projected', 'configMap', 'csi'];

function validateVolumeSource(v: Volume, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const key of VOLUME_SOURCE_KEYS) {
    const src = v[key];
    if (src === undefined || src === null) continue;
    if (count > 0) {
      errs.push(fieldErrors.forbidden(p.child(key), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const sp = p.child(key);
    switch (key) {
      case 'hostPath': {
        const hp = v.hostPath!;
        if (!hp.path) {
          errs.push(fieldErrors.required(sp.child('path')));
          break;
        }
        errs.push(...validatePathNoBacksteps(hp.path, sp.child('path')));
        const type = hp.type ?? '';
        if (!HOST_PATH_TYPES.includes(type)) errs.push(fieldErrors.notSupported(sp.child('type'), type, HOST_PATH_TYPES));
        break;
      }
      case 'emptyDir': {
        const limit = v.emptyDir!.sizeLimit;
        if (limit !== undefined && limit !== null) {
          let negative = false;
          try {
            negative = compareQuantities(String(limit), '0') < 0;
          } catch {
            errs.push(fieldErrors.invalid(sp.child('sizeLimit'), limit, QUANTITY_FORMAT_ERROR));
          }
          if (negative) errs.push(fieldErrors.forbidden(sp.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        }
        break;
      }
      case 'secret': {
        const s = v.secret!;
        if (!s.secretName) errs.push(fieldErrors.required(sp.child('secretName')));
        errs.push(...validateFileMode(s.defaultMode, sp.child('defaultMode')));
        (s.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, sp.child('items').index(i))));
        break;
      }
      case 'configMap': {
        const c = v.configMap!;
        if (!c.name) errs.push(fieldErrors.required(sp.child('name')));
        errs.push(...validateFileMode(c.defaultMode, sp.child('defaultMode')));
        (c.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, sp.child('items').index(i))));
        break;
      }
      case 'nfs': {
        const n = v.nfs!;
        if (!n.server) errs.push(fieldErrors.required(sp.child('server')));
        if (!n.path) errs.push(fieldErrors.required(sp.child('path')));
        else if (!n.path.startsWith('/')) errs.push(fieldErrors.invalid(sp.child('path'), n.path, 'must be an absolute path'));
        break;
      }
      case 'persistentVolumeClaim':
        if (!v.persistentVolumeClaim!.claimName) errs.push(fieldErrors.required(sp.child('claimName')));
        break;
      case 'csi': {
        const c = v.csi!;
        if (!c.driver) errs.push(fieldErrors.required(sp.child('driver')));
        else if (c.driver.length > 63) errs.push(fieldErrors.tooLong(sp.child('driver'), 63));
        break;
      }
      default:
        break;
    }
  }
  if (count === 0) errs.push(fieldErrors.required(p, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: names unique DNS labels, one valid source each; returns the usable names. */
export function validateVolumes(volumes: Volume[] | undefined, p: FieldPath): { names: Set<string>; errors: FieldError[] } {
  const names = new Set<string>();
  const errors: FieldError[] = [];
  (volumes ?? []).forEach((v, i) => {
    const ip = p.index(i);
    const el = validateVolumeSource(v, ip);
    if (!v.name) el.push(fieldErrors.required(ip.child('name')));
    else el.push(...validateDNS1123Label(v.name, ip.child('name')));
    if (v.name && names.has(v.name)) el.push(fieldErrors.duplicate(ip.child('name'), v.name));
    if (el.length === 0) names.add(v.name);
    else errors.push(...el);
  });
  return { names, errors };
}

function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const ip = p.index(i);
    if (!m.name) errs.push(fieldErrors.required(ip.child('name')));
    if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(ip.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(fieldErrors.required(ip.child('mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(fieldErrors.invalid(ip.child('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, ip.child('subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fieldErrors.invalid(ip.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, ip.child('subPathExpr')));
    }
    if (m.mountPropagation && !['None', 'HostToContainer', 'Bidirectional'].includes(m.mountPropagation)) {
      errs.push(fieldErrors.notSupported(ip.child('mountPropagation'), m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}

// ---- containers -----------------------------------------------------------------------------

function validateContainerPorts(ports: ContainerPort[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const ip = p.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(fieldErrors.invalid(ip.child('name'), port.name, m));
      else if (names.has(port.name)) errs.push(fieldErrors.duplicate(ip.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(ip.child('containerPort')));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(fieldErrors.invalid(ip.child('containerPort'), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(fieldErrors.invalid(ip.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(fieldErrors.required(ip.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(ip.child('protocol'), port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: { name?: string; key: string }, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of nameIsDNSSubdomain(sel.name ?? '', false)) errs.push(fieldErrors.invalid(p.child('name'), sel.name ?? '', m));
  if (!sel.key) errs.push(fieldErrors.required(p.child('key')));
  else for (const m of isConfigMapKey(sel.key)) errs.push(fieldErrors.invalid(p.child('key'), sel.key, m));
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, p: FieldPath): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    const fp = p.child('fieldRef');
    const fs = from.fieldRef;
    if (!fs.apiVersion) errs.push(fieldErrors.required(fp.child('apiVersion')));
    else if (!fs.fieldPath) errs.push(fieldErrors.required(fp.child('fieldPath')));
    else if (fs.apiVersion !== 'v1') {
      errs.push(fieldErrors.invalid(fp.child('fieldPath'), fs.fieldPath, `error converting fieldPath: field label not supported: ${fs.fieldPath}`));
    } else {
      const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fs.fieldPath);
      if (m) {
        const subscript = m[1] === 'metadata.annotations' ? m[2].toLowerCase() : m[2];
        errs.push(...validateQualifiedName(subscript, fp));
      } else if (!ENV_FIELD_PATHS.includes(fs.fieldPath)) {
        errs.push(fieldErrors.notSupported(fp.child('fieldPath'), fs.fieldPath, ENV_FIELD_PATHS));
      }
    }
  }
  if (from.resourceFieldRef) {
    sources++;
    const rp = p.child('resourceFieldRef');
    const r = from.resourceFieldRef;
    if (!r.resource) errs.push(fieldErrors.required(rp.child('resource')));
    else if (!ENV_RESOURCE_FIELDS.includes(r.resource) && !/^(limits|requests)\.hugepages-/.test(r.resource)) {
      errs.push(fieldErrors.notSupported(rp.child('resource'), r.resource, ENV_RESOURCE_FIELDS));
    }
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, p.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, p.child('secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(fieldErrors.invalid(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (ev.value) {
    errs.push(fieldErrors.invalid(p, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(fieldErrors.invalid(p, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** ValidateEnv: names (relaxed rule), valueFrom exclusivity. */
export function validateEnv(vars: EnvVar[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const ip = p.index(i);
    if (!ev.name) errs.push(fieldErrors.required(ip.child('name')));
    else for (const m of isRelaxedEnvVarName(ev.name)) errs.push(fieldErrors.invalid(ip.child('name'), ev.name, m));
    errs.push(...validateEnvVarValueFrom(ev, ip.child('valueFrom')));
  });
  return errs;
}

function validateEnvFrom(sources: EnvFromSource[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((src, i) => {
    const ip = p.index(i);
    if (src.prefix) for (const m of isRelaxedEnvVarName(src.prefix)) errs.push(fieldErrors.invalid(ip.child('prefix'), src.prefix, m));
    let n = 0;
    for (const key of ['configMapRef', 'secretRef'] as const) {
      const ref = src[key];
      if (!ref) continue;
      n++;
      const rp = ip.child(key);
      if (!ref.name) errs.push(fieldErrors.required(rp.child('name')));
      else for (const m of nameIsDNSSubdomain(ref.name, true)) errs.push(fieldErrors.invalid(rp.child('name'), ref.name, m));
    }
    if (n === 0) errs.push(fieldErrors.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(fieldErrors.invalid(p, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function isNativeResourceName(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function validateContainerResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fieldErrors.invalid(p, name, m));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
      errs.push(fieldErrors.invalid(p, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResourceName(name) && (name.startsWith('requests.') || errs.length > 0)) {
    errs.push(fieldErrors.invalid(p, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Extended resources (a domain other than kubernetes.io) are counted in whole units. */
function isIntegerResourceName(name: string): boolean {
  return !isNativeResourceName(name);
}

function validateResourceQuantity(resource: string, value: unknown, p: FieldPath): FieldError[] {
  let parsed;
  try {
    parsed = parseQuantity(String(value));
  } catch {
    return [fieldErrors.invalid(p, value, QUANTITY_FORMAT_ERROR)];
  }
  const errs: FieldError[] = [];
  if (parsed.num < 0n) errs.push(fieldErrors.invalid(p, String(value), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(resource) && quantityMilliValue(parsed) % 1000n !== 0n) {
    errs.push(fieldErrors.invalid(p, String(value), 'must be an integer'));
  }
  return errs;
}

/** ValidateContainerResourceRequirements: names, quantities, requests <= limits. */
export function validateResourceRequirements(res: ResourceRequirements | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limits = res?.limits ?? {};
  const requests = res?.requests ?? {};
  const limPath = p.child('limits');
  const reqPath = p.child('requests');
  for (const [name, q] of Object.entries(limits)) {
    errs.push(...validateContainerResourceName(name, limPath.key(name)));
    errs.push(...validateResourceQuantity(name, q, limPath.key(name)));
  }
  for (const [name, q] of Object.entries(requests)) {
    const kp = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, kp));
    const qErrs = validateResourceQuantity(name, q, kp);
    errs.push(...qErrs);
    if (qErrs.length) continue;
    if (name in limits) {
      let cmp = 0;
      try {
        cmp = compareQuantities(String(q), String(limits[name]));
      } catch {
        continue; // the limit's own error is reported above
      }
      const overcommit = isNativeResourceName(name) && !name.startsWith('hugepages-');
      if (cmp !== 0 && !overcommit) {
        errs.push(fieldErrors.invalid(reqPath, String(q), `must be equal to ${name} limit of ${String(limits[name])}`));
      } else if (cmp > 0) {
        errs.push(fieldErrors.invalid(reqPath, String(q), `must be less than or equal to ${name} limit of ${String(limits[name])}`));
      }
    } else if (!isNativeResourceName(name) || name.startsWith('hugepages-')) {
      errs.push(fieldErrors.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

type Handler = { exec?: { command?: string[] }; httpGet?: HTTPGetAction; tcpSocket?: { port: number | string }; grpc?: { port: number }; sleep?: { seconds: number } };

function validateHandler(h: Handler, gracePeriod: number | undefined, p: FieldPath, kinds: (keyof Handler)[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const action = h[kind];
    if (action === undefined || action === null) continue;
    if (n > 0) {
      errs.push(fieldErrors.forbidden(p.child(kind), 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const ap = p.child(kind);
    switch (kind) {
      case 'exec':
        if (!h.exec!.command || h.exec!.command.length === 0) errs.push(fieldErrors.required(ap.child('command')));
        break;
      case 'httpGet': {
        const g = h.httpGet!;
        if (!g.path) errs.push(fieldErrors.required(ap.child('path')));
        errs.push(...validatePortNumOrName(g.port, ap.child('port')));
        if (!['HTTP', 'HTTPS'].includes(g.scheme ?? '')) errs.push(fieldErrors.notSupported(ap.child('scheme'), g.scheme ?? '', ['HTTP', 'HTTPS']));
        for (const header of g.httpHeaders ?? []) {
          if (!/^[-A-Za-z0-9]+$/.test(header.name ?? '')) {
            errs.push(
              fieldErrors.invalid(
                ap.child('httpHeaders'),
                header.name ?? '',
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
              ),
            );
          }
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(h.tcpSocket!.port, ap.child('port')));
        break;
      case 'grpc':
        for (const m of isValidPortNum(h.grpc!.port)) errs.push(fieldErrors.invalid(ap.child('port'), h.grpc!.port, m));
        break;
      case 'sleep': {
        const s = h.sleep!.seconds;
        if (gracePeriod !== undefined && (s < 0 || s > gracePeriod)) {
          errs.push(fieldErrors.invalid(ap, s, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(fieldErrors.required(p, 'must specify a handler type'));
  return errs;
}

/** validateProbe: exactly one handler; delays, periods and thresholds >= 0 (0 was defaulted). */
function validateProbe(probe: Probe | undefined, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, gracePeriod, p, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  errs.push(...validateNonnegativeField(probe.initialDelaySeconds ?? 0, p.child('initialDelaySeconds')));
  errs.push(...validateNonnegativeField(probe.timeoutSeconds ?? 0, p.child('timeoutSeconds')));
  errs.push(...validateNonnegativeField(probe.periodSeconds ?? 0, p.child('periodSeconds')));
  errs.push(...validateNonnegativeField(probe.successThreshold ?? 0, p.child('successThreshold')));
  errs.push(...validateNonnegativeField(probe.failureThreshold ?? 0, p.child('failureThreshold')));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(fieldErrors.invalid(p.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateLivenessOrStartupProbe(probe: Probe | undefined, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, p);
  if (probe.successThreshold !== 1) errs.push(fieldErrors.invalid(p.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  return errs;
}

function validateReadinessProbe(probe: Probe | undefined, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, p);
  if (probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(fieldErrors.invalid(p.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: Lifecycle, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const kinds: (keyof Handler)[] = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  if (lc.postStart) errs.push(...validateHandler(lc.postStart as LifecycleHandler & Handler, gracePeriod, p.child('postStart'), kinds));
  if (lc.preStop) errs.push(...validateHandler(lc.preStop as LifecycleHandler & Handler, gracePeriod, p.child('preStop'), kinds));
  return errs;
}

/** validateContainerCommon: what regular and init containers share. */
function validateContainerCommon(c: Container, volumes: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(p.child('name')));
  else errs.push(...validateDNS1123Label(c.name, p.child('name')));
  if (!c.image) errs.push(fieldErrors.required(p.child('image')));
  const tmp: string = c.terminationMessagePolicy ?? '';
  if (!tmp) errs.push(fieldErrors.required(p.child('terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(fieldErrors.notSupported(p.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c.ports, p.child('ports')));
  errs.push(...validateEnv(c.env, p.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, p.child('envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, p.child('volumeMounts')));
  if (!c.imagePullPolicy) errs.push(fieldErrors.required(p.child('imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldErrors.notSupported(p.child('imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, p.child('resources')));
  return errs;
}

/** AccumulateUniqueHostPorts: one hostIP/protocol/hostPort per pod. */
function checkHostPortConflicts(containers: Container[], p: FieldPath, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.hostIP ?? ''}/${port.protocol ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(p.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: Container[] | undefined, volumes: Set<string>, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  if (!containers || containers.length === 0) return [fieldErrors.required(p)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, volumes, ip));
    if (names.has(c.name)) errs.push(fieldErrors.duplicate(ip.child('name'), c.name));
    else names.add(c.name);
    if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, ip.child('lifecycle')));
    errs.push(...validateLivenessOrStartupProbe(c.livenessProbe, gracePeriod, ip.child('livenessProbe')));
    errs.push(...validateReadinessProbe(c.readinessProbe, gracePeriod, ip.child('readinessProbe')));
    errs.push(...validateLivenessOrStartupProbe(c.startupProbe, gracePeriod, ip.child('startupProbe')));
    if (c.restartPolicy !== undefined) errs.push(fieldErrors.forbidden(ip.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, p));
  return errs;
}

function validateInitContainers(inits: Container[] | undefined, regular: Container[] | undefined, volumes: Set<string>, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, volumes, ip));
    let restartAlways = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(ip.child('restartPolicy'), c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(fieldErrors.duplicate(ip.child('name'), c.name));
    else if (c.name) names.add(c.name);
    errs.push(...checkHostPortConflicts([c], p));
    if (restartAlways) {
      if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, ip.child('lifecycle')));
      errs.push(...validateLivenessOrStartupProbe(c.livenessProbe, gracePeriod, ip.child('livenessProbe')));
      errs.push(...validateReadinessProbe(c.readinessProbe, gracePeriod, ip.child('readinessProbe')));
      errs.push(...validateLivenessOrStartupProbe(c.startupProbe, gracePeriod, ip.child('startupProbe')));
    } else {
      const detail = 'may not be set for init containers without restartPolicy=Always';
      if (c.lifecycle) errs.push(fieldErrors.forbidden(ip.child('lifecycle'), detail));
      if (c.livenessProbe) errs.push(fieldErrors.forbidden(ip.child('livenessProbe'), detail));
      if (c.readinessProbe) errs.push(fieldErrors.forbidden(ip.child('readinessProbe'), detail));
      if (c.startupProbe) errs.push(fieldErrors.forbidden(ip.child('startupProbe'), detail));
    }
  });
  return errs;
}

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
export function validatePodSpec(spec: PodSpecWire | undefined, p: FieldPath): FieldError[] {
  if (!spec) return [fieldErrors.required(p)];
  const errs: FieldError[] = [];
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const { names: volumes, errors: volumeErrs } = validateVolumes(spec.volumes, p.child('volumes'));
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
  errs.push(...validatePodSpec(pod.spec, specPath));
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
