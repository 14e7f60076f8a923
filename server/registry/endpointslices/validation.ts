// EndpointSlice validation (pkg/apis/discovery/validation), upstream's messages. Pure.
import type { EndpointSlice } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Subdomain, isValidLabelValue, validateIPv4, validateIPv6, validateNonSpecialIP } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateDNS1123Label, validateLabels, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName } from '../meta-validation.js';

const SUPPORTED_ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_HINTS = 8;

function validateEndpoints(slice: EndpointSlice, path: FieldPath): FieldError[] {
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) return [fieldErrors.tooMany(path, endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const idx = path.index(i);
    const addressPath = idx.child('addresses');
    const addresses = ep.addresses ?? [];
    if (!addresses.length) errs.push(fieldErrors.required(addressPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(fieldErrors.tooMany(addressPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      const p = addressPath.index(j);
      if (slice.addressType === 'IPv4' || slice.addressType === 'IPv6') {
        const bad = slice.addressType === 'IPv4' ? validateIPv4(p, address) : validateIPv6(p, address);
        errs.push(...(bad.length ? bad : validateNonSpecialIP(address, p)));
      } else if (slice.addressType === 'FQDN') {
        for (const m of isDNS1123Subdomain(address)) errs.push(fieldErrors.invalid(p, address, m));
      }
    });
    if (ep.nodeName !== undefined) for (const m of isDNS1123Subdomain(ep.nodeName)) errs.push(fieldErrors.invalid(idx.child('nodeName'), ep.nodeName, m));
    const topology = ep.deprecatedTopology ?? {};
    if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(fieldErrors.tooMany(idx.child('deprecatedTopology'), Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, idx.child('deprecatedTopology')));
    if (ep.zone !== undefined) for (const m of isValidLabelValue(ep.zone)) errs.push(fieldErrors.invalid(idx.child('zone'), ep.zone, m));
    if (ep.hostname !== undefined) errs.push(...validateDNS1123Label(ep.hostname, idx.child('hostname')));
    if (ep.hints) {
      const zones = ep.hints.forZones ?? [];
      const nodes = ep.hints.forNodes ?? [];
      if (zones.length > MAX_HINTS) errs.push(fieldErrors.tooMany(idx.child('hints', 'forZones'), zones.length, MAX_HINTS));
      if (nodes.length > MAX_HINTS) errs.push(fieldErrors.tooMany(idx.child('hints', 'forNodes'), nodes.length, MAX_HINTS));
    }
  });
  return errs;
}

function validatePorts(slice: EndpointSlice, path: FieldPath): FieldError[] {
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) return [fieldErrors.tooMany(path, ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const idx = path.index(i);
    const name = port.name ?? '';
    if (name) errs.push(...validateDNS1123Label(name, idx.child('name')));
    if (names.has(name)) errs.push(fieldErrors.duplicate(idx.child('name'), name));
    else names.add(name);
    if (port.protocol === undefined) errs.push(fieldErrors.required(idx.child('protocol')));
    else if (!SUPPORTED_PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(idx.child('protocol'), port.protocol, SUPPORTED_PROTOCOLS));
    if (port.appProtocol !== undefined) errs.push(...validateQualifiedName(port.appProtocol, idx.child('appProtocol')));
  });
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (!slice.addressType) errs.push(fieldErrors.required('addressType'));
  else if (!SUPPORTED_ADDRESS_TYPES.includes(slice.addressType)) errs.push(fieldErrors.notSupported('addressType', slice.addressType, SUPPORTED_ADDRESS_TYPES));
  errs.push(...validateEndpoints(slice, new FieldPath('endpoints')));
  errs.push(...validatePorts(slice, new FieldPath('ports')));
  return errs;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = [...validateObjectMetaUpdate(slice.metadata, old.metadata), ...validateEndpointSlice(slice).filter((e) => !e.field.startsWith('metadata.'))];
  if (slice.addressType !== old.addressType) errs.push(fieldErrors.invalid('addressType', slice.addressType, 'field is immutable'));
  return errs;
}
