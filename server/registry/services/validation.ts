// Service validation (pkg/apis/core/validation ValidateService, ValidateServiceUpdate,
// ValidateServiceClusterIPsRelatedFields, ValidateServiceStatusUpdate), upstream's messages.
// Pure: returns FieldError[].
import type { IPFamily, ServicePort, ServiceSpec } from '../../../api/index.js';
import {
  type FieldError,
  FieldPath,
  fieldErrors,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  parseIPFamily,
  validateIP,
  validateNonSpecialIP,
} from '../../../machinery/index.js';
import { type NameValidator, validateDNS1123Label, validateLabels, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName } from '../meta-validation.js';
import { isDNS1035Label } from '../../../machinery/index.js';
import { externallyAccessible } from './defaults.js';
import type { ServiceObject } from './types.js';

const SUPPORTED_SESSION_AFFINITY = ['ClientIP', 'None'];
const SUPPORTED_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SUPPORTED_IP_FAMILIES = ['IPv4', 'IPv6'];
const SUPPORTED_IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const SUPPORTED_TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** core.MaxClientIPServiceAffinitySeconds: one day. */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

/** NameIsDNS1035Label: a Service's name becomes a DNS label and environment variable names. */
export const serviceNameValidator: NameValidator = (name, prefix) => isDNS1035Label(prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

const spec = new FieldPath('spec');

/** isHeadlessService: clusterIPs is exactly ["None"]. */
export function isHeadless(s: ServiceSpec): boolean {
  return s.clusterIPs?.length === 1 && s.clusterIPs[0] === 'None';
}

/** apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local. */
function needsHealthCheck(s: ServiceSpec): boolean {
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

function validatePortNumOrName(port: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => fieldErrors.invalid(path, port, m));
  return isValidPortNum(port ?? 0).map((m) => fieldErrors.invalid(path, port ?? 0, m));
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(fieldErrors.required(path.child('name')));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, path.child('name')));
    if (names.has(sp.name)) errs.push(fieldErrors.duplicate(path.child('name'), sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port)) errs.push(fieldErrors.invalid(path.child('port'), sp.port, m));
  if (!sp.protocol) errs.push(fieldErrors.required(path.child('protocol')));
  else if (!SUPPORTED_PROTOCOLS.includes(sp.protocol)) errs.push(fieldErrors.notSupported(path.child('protocol'), sp.protocol, SUPPORTED_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, path.child('targetPort')));
  if (sp.appProtocol !== undefined) errs.push(...validateQualifiedName(sp.appProtocol, path.child('appProtocol')));
  return errs;
}

function validateClientIPAffinityConfig(s: ServiceSpec, path: FieldPath): FieldError[] {
  const config = s.sessionAffinityConfig;
  const when = 'when session affinity type is ClientIP';
  if (!config) return [fieldErrors.required(path, when)];
  if (!config.clientIP) return [fieldErrors.required(path.child('clientIP'), when)];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout === undefined) return [fieldErrors.required(path.child('clientIP', 'timeoutSeconds'), when)];
  if (!(timeout > 0 && timeout <= MAX_CLIENT_IP_AFFINITY_SECONDS)) {
    return [fieldErrors.invalid(path.child('clientIP', 'timeoutSeconds'), timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs in sync, families and policy. */
export function validateClusterIPsRelatedFields(s: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = spec.child('clusterIPs');
  const familiesPath = spec.child('ipFamilies');
  const ips = s.clusterIPs ?? [];
  if (s.clusterIP) {
    if (!ips.length) errs.push(fieldErrors.required(ipsPath));
    else if (ips[0] !== s.clusterIP) errs.push(fieldErrors.invalid(ipsPath, ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(fieldErrors.invalid(ipsPath, ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (s.ipFamilies ?? []).forEach((family, i) => {
    if (!SUPPORTED_IP_FAMILIES.includes(family)) errs.push(fieldErrors.notSupported(familiesPath.index(i), family, SUPPORTED_IP_FAMILIES));
    if (seen.has(family)) errs.push(fieldErrors.duplicate(familiesPath.index(i), family));
    seen.add(family);
  });
  if (s.ipFamilyPolicy !== undefined && !SUPPORTED_IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy)) {
    errs.push(fieldErrors.notSupported(spec.child('ipFamilyPolicy'), s.ipFamilyPolicy, SUPPORTED_IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(fieldErrors.invalid(ipsPath, ips, "'None' must be the first and only value"));
      }
      return;
    }
    const bad = validateIP(ipsPath.index(i), ip);
    if (bad.length) invalidIPs = true;
    errs.push(...bad);
  });
  if (ips.length > 2) errs.push(fieldErrors.invalid(ipsPath, ips, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1 && parseIPFamily(ips[0]!) === parseIPFamily(ips[1]!)) {
    errs.push(fieldErrors.invalid(ipsPath, ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(s) && ips.length && s.ipFamilies?.length) {
    ips.forEach((ip, i) => {
      const family: IPFamily | undefined = s.ipFamilies![i];
      if (family === undefined) return;
      const actual = parseIPFamily(ip);
      if (family === 'IPv4' && actual === 'IPv6') errs.push(fieldErrors.invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === 'IPv6' && actual !== 'IPv6') errs.push(fieldErrors.invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateServiceSpec(s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const headless = isHeadless(s);
  const portsPath = spec.child('ports');
  const ports = s.ports ?? [];
  if (!ports.length && !headless && s.type !== 'ExternalName') errs.push(fieldErrors.required(portsPath));
  switch (s.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errs.push(fieldErrors.invalid(spec.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${s.type} services`));
      break;
    case 'ExternalName': {
      if (s.clusterIPs?.length) errs.push(fieldErrors.forbidden(spec.child('clusterIPs'), 'may not be set for ExternalName services'));
      if (s.ipFamilies?.length) errs.push(fieldErrors.forbidden(spec.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined) errs.push(fieldErrors.forbidden(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      // A CNAME may end in a dot (fully qualified).
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(fieldErrors.invalid(spec.child('externalName'), cname, m));
      else errs.push(fieldErrors.required(spec.child('externalName')));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, portsPath.index(i))));
  if (s.selector) errs.push(...validateLabels(s.selector, spec.child('selector')));
  if (!s.sessionAffinity) errs.push(fieldErrors.required(spec.child('sessionAffinity')));
  else if (!SUPPORTED_SESSION_AFFINITY.includes(s.sessionAffinity)) errs.push(fieldErrors.notSupported(spec.child('sessionAffinity'), s.sessionAffinity, SUPPORTED_SESSION_AFFINITY));
  if (s.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(s, spec.child('sessionAffinityConfig')));
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig) {
    errs.push(fieldErrors.forbidden(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPsRelatedFields(s));
  (s.externalIPs ?? []).forEach((ip, i) => {
    const bad = validateIP(spec.child('externalIPs').index(i), ip);
    errs.push(...(bad.length ? bad : validateNonSpecialIP(ip, spec.child('externalIPs').index(i))));
  });
  if (!s.type) errs.push(fieldErrors.required(spec.child('type')));
  else if (!SUPPORTED_TYPES.includes(s.type)) errs.push(fieldErrors.notSupported(spec.child('type'), s.type, SUPPORTED_TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(fieldErrors.forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErrors.duplicate(portsPath.index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    // Go prints the duplicate key, a ServicePort with only protocol and port set, with %#v.
    const goValue = `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
    if (seenPorts.has(key)) errs.push({ ...fieldErrors.duplicate(portsPath.index(i), null), omitValue: true, detail: goValue });
    seenPorts.add(key);
  });
  if (s.loadBalancerSourceRanges?.length && s.type !== 'LoadBalancer') {
    errs.push(fieldErrors.forbidden(spec.child('LoadBalancerSourceRanges'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.type !== 'LoadBalancer') {
    errs.push(fieldErrors.forbidden(spec.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts === undefined) errs.push(fieldErrors.required('allocateLoadBalancerNodePorts'));
  if (s.loadBalancerClass !== undefined) {
    if (s.type === 'LoadBalancer') errs.push(...validateQualifiedName(s.loadBalancerClass, spec.child('loadBalancerClass')));
    else errs.push(fieldErrors.forbidden(spec.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
  }
  // validateServiceExternalTrafficPolicy
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) errs.push(fieldErrors.invalid(spec.child('externalTrafficPolicy'), s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) errs.push(fieldErrors.required(spec.child('externalTrafficPolicy')));
  else if (!SUPPORTED_TRAFFIC_POLICIES.includes(s.externalTrafficPolicy)) {
    errs.push(fieldErrors.notSupported(spec.child('externalTrafficPolicy'), s.externalTrafficPolicy, SUPPORTED_TRAFFIC_POLICIES));
  }
  if (!needsHealthCheck(s)) {
    if (s.healthCheckNodePort) {
      errs.push(fieldErrors.invalid(spec.child('healthCheckNodePort'), s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (!s.healthCheckNodePort) errs.push(fieldErrors.required(spec.child('healthCheckNodePort')));
  else for (const m of isValidPortNum(s.healthCheckNodePort)) errs.push(fieldErrors.invalid(spec.child('healthCheckNodePort'), s.healthCheckNodePort, m));
  // validateServiceInternalTrafficFieldsValue
  if (s.internalTrafficPolicy === undefined) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP') errs.push(fieldErrors.required(spec.child('internalTrafficPolicy')));
  } else if (!SUPPORTED_TRAFFIC_POLICIES.includes(s.internalTrafficPolicy)) {
    errs.push(fieldErrors.notSupported(spec.child('internalTrafficPolicy'), s.internalTrafficPolicy, SUPPORTED_TRAFFIC_POLICIES));
  }
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== 'PreferClose') {
    errs.push(fieldErrors.notSupported(spec.child('trafficDistribution'), s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** ValidateService (create). */
export function validateService(svc: ServiceObject): FieldError[] {
  return [...validateObjectMeta(svc.metadata, { namespaced: true, nameFn: serviceNameValidator }), ...validateServiceSpec(svc.spec ?? {})];
}

/** validateUpgradeDowngradeClusterIPs: the primary clusterIP may never change once set. */
function validateClusterIPsUpdate(s: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(s) && isHeadless(old)) return [];
  const errs: FieldError[] = [];
  const ips = s.clusterIPs ?? [];
  const oldIPs = old.clusterIPs ?? [];
  const path = spec.child('clusterIPs');
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(fieldErrors.invalid(path.index(i), ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (!ips.length) errs.push(fieldErrors.invalid(path.index(0), ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length && ips.length && ips[0] !== oldIPs[0]) errs.push(fieldErrors.invalid(path.index(0), ips, 'may not change once set'));
    if (ips.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldErrors.invalid(spec.child('ipFamilyPolicy'), s.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
    errs.push(fieldErrors.invalid(path.index(0), ips, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies (the cases a single-stack cluster can reach). */
function validateIPFamiliesUpdate(s: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(s) !== isHeadless(old) || isHeadless(s)) return [];
  const families = s.ipFamilies ?? [];
  const oldFamilies = old.ipFamilies ?? [];
  const path = spec.child('ipFamilies').index(0);
  if (families.length === oldFamilies.length) {
    return oldFamilies.some((f, i) => f !== families[i]) ? [fieldErrors.invalid(path, families, 'may not change once set')] : [];
  }
  if (families.length && oldFamilies.length && families[0] !== oldFamilies[0]) return [fieldErrors.invalid(path, s.clusterIPs ?? [], 'may not change once set')];
  return [];
}

/** ValidateServiceUpdate. */
export function validateServiceUpdate(svc: ServiceObject, old: ServiceObject): FieldError[] {
  const s = svc.spec ?? {};
  const o = old.spec ?? {};
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  errs.push(...validateClusterIPsUpdate(s, o), ...validateIPFamiliesUpdate(s, o));
  if (o.type === 'LoadBalancer' && s.type === 'LoadBalancer' && (o.loadBalancerClass ?? null) !== (s.loadBalancerClass ?? null)) {
    errs.push(fieldErrors.invalid(spec.child('loadBalancerClass'), s.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheck(o) && needsHealthCheck(s) && s.healthCheckNodePort !== o.healthCheckNodePort) {
    errs.push(fieldErrors.forbidden(spec.child('healthCheckNodePort'), 'field is immutable'));
  }
  errs.push(...validateServiceSpec(s));
  return errs;
}

/** ValidateServiceStatusUpdate: metadata, and the load balancer's ingress points. */
export function validateServiceStatusUpdate(svc: ServiceObject, old: ServiceObject): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const ingressPath = new FieldPath('status').child('loadBalancer', 'ingress');
  (svc.status?.loadBalancer?.ingress ?? []).forEach((ingress, i) => {
    const path = ingressPath.index(i);
    if (ingress.ip && !parseIPFamily(ingress.ip)) errs.push(fieldErrors.invalid(path.child('ip'), ingress.ip, 'must be a valid IP address'));
    if (ingress.hostname) {
      for (const m of isDNS1123Subdomain(ingress.hostname)) errs.push(fieldErrors.invalid(path.child('hostname'), ingress.hostname, m));
      if (parseIPFamily(ingress.hostname)) errs.push(fieldErrors.invalid(path.child('hostname'), ingress.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
