// Endpoints validation (pkg/apis/core/validation ValidateEndpoints*, validateEndpointSubsets),
// upstream's messages. Pure: returns FieldError[].
import type { EndpointAddress, EndpointPort, Endpoints } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Subdomain, isValidPortNum, validateIP, validateNonSpecialIP } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateDNS1123Label, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName } from '../meta-validation.js';

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(a: EndpointAddress, path: FieldPath): FieldError[] {
  const errs = validateIP(path.child('ip'), a.ip ?? '');
  if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, path.child('hostname')));
  if (a.nodeName !== undefined) for (const m of isDNS1123Subdomain(a.nodeName)) errs.push(fieldErrors.invalid(path.child('nodeName'), a.nodeName, m));
  if (!errs.some((e) => e.field === path.child('ip').toString())) errs.push(...validateNonSpecialIP(a.ip, path.child('ip')));
  return errs;
}

function validatePort(p: EndpointPort, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(fieldErrors.required(path.child('name')));
  else if (p.name) errs.push(...validateDNS1123Label(p.name, path.child('name')));
  for (const m of isValidPortNum(p.port)) errs.push(fieldErrors.invalid(path.child('port'), p.port, m));
  if (!p.protocol) errs.push(fieldErrors.required(path.child('protocol')));
  else if (!SUPPORTED_PROTOCOLS.includes(p.protocol)) errs.push(fieldErrors.notSupported(path.child('protocol'), p.protocol, SUPPORTED_PROTOCOLS));
  if (p.appProtocol !== undefined) errs.push(...validateQualifiedName(p.appProtocol, path.child('appProtocol')));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const subsetsPath = new FieldPath('subsets');
  (ep.subsets ?? []).forEach((ss, i) => {
    const path = subsetsPath.index(i);
    // A headless service's endpoints may have no ports, never no addresses.
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(fieldErrors.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, path.child('addresses').index(j))));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, path.child('notReadyAddresses').index(j))));
    (ss.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, (ss.ports?.length ?? 0) > 1, path.child('ports').index(j))));
  });
  return errs;
}

export function validateEndpointsUpdate(ep: Endpoints, old: Endpoints): FieldError[] {
  return [...validateObjectMetaUpdate(ep.metadata, old.metadata), ...validateEndpoints(ep).filter((e) => !e.field.startsWith('metadata.'))];
}
