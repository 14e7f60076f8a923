// Containers, as upstream's validateContainers and validateInitContainers: ports, env and envFrom,
// resources (names, quantities, requests <= limits), probes and lifecycle handlers, host ports
// unique across the pod.
import type {
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  HTTPGetAction,
  Lifecycle,
  LifecycleHandler,
  Probe,
  ResourceRequirements,
} from '../../../api/index.js';
import {
  type FieldError,
  FieldPath,
  fieldErrors,
  isConfigMapKey,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  parseQuantity,
  quantityMilliValue,
  compareQuantities,
  QUANTITY_FORMAT_ERROR,
} from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateDNS1123Label, validateNonnegativeField, validateQualifiedName } from '../meta-validation.js';
import {
  ENV_FIELD_PATHS,
  ENV_RESOURCE_FIELDS,
  isRelaxedEnvVarName,
  PORT_PROTOCOLS,
  PULL_POLICIES,
  STANDARD_CONTAINER_RESOURCES,
  validatePortNumOrName,
} from './validation-common.js';
import { validateResourceFieldSelector } from './validation-projections.js';
import { validateVolumeMounts } from './validation-volumes.js';

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
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, p.child('resourceFieldRef'), false));
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

export function validateContainers(containers: Container[] | undefined, volumes: Set<string>, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
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

export function validateInitContainers(inits: Container[] | undefined, regular: Container[] | undefined, volumes: Set<string>, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
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
