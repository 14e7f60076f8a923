// Validation of apiextensions.k8s.io/v1 CustomResourceDefinition with upstream's messages
// (apiextensions-apiserver/pkg/apis/apiextensions/validation): the name is <plural>.<group>,
// names are DNS-1035 labels, one storage version, a structural schema per version
// (structural.ts), printer columns with a type and a JSON path, subresources' paths.
import type { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1035Label, isDNS1123Subdomain } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { validateOpenAPIV3Schema } from './structural.js';

const SCOPES = ['Cluster', 'Namespaced'];
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

/**
 * apiextensions validates ObjectMeta with apimachinery's generic rules: a finalizer is a
 * qualified name, without core's "standard or fully qualified" rule (the CRD's own cleanup
 * finalizer has no slash). Custom resources are validated the same way.
 */
export function withoutKubeFinalizerRule(errs: FieldError[]): FieldError[] {
  return errs.filter((e) => !(e.field.startsWith('metadata.finalizers[') && e.detail === KUBE_FINALIZER_RULE));
}
const KUBE_FINALIZER_RULE = 'name is neither a standard finalizer name nor is it fully qualified';

export function validateCRD(crd: CustomResourceDefinition): FieldError[] {
  const errs = withoutKubeFinalizerRule(validateObjectMeta(crd.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain }));
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata.name && crd.metadata.name !== expected) {
    errs.push(fieldErrors.invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(crd, new FieldPath('spec')));
  errs.push(...validateStatus(crd));
  return errs;
}

export function validateCRDUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errs = [...validateObjectMetaUpdate(crd.metadata, old.metadata), ...validateCRD(crd)];
  // Upstream keeps these once the CRD is established: objects are stored under them.
  errs.push(...validateImmutableField(crd.spec?.group, old.spec?.group, 'spec.group'));
  errs.push(...validateImmutableField(crd.spec?.names?.plural, old.spec?.names?.plural, 'spec.names.plural'));
  errs.push(...validateImmutableField(crd.spec?.scope, old.spec?.scope, 'spec.scope'));
  return errs;
}

export function validateCRDStatusUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  return [...validateObjectMetaUpdate(crd.metadata, old.metadata), ...validateStatus(crd)];
}

function validateStatus(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const versions = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  (crd.status?.storedVersions ?? []).forEach((v, i) => {
    if (!versions.has(v)) errs.push(fieldErrors.invalid(new FieldPath('status').child('storedVersions').index(i), v, 'must appear in spec.versions'));
  });
  return errs;
}

function validateSpec(crd: CustomResourceDefinition, p: FieldPath): FieldError[] {
  const spec = crd.spec;
  const errs: FieldError[] = [];
  if (!spec?.group) errs.push(fieldErrors.required(p.child('group')));
  else {
    const bad = isDNS1123Subdomain(spec.group);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('group'), spec.group, bad.join(',')));
    else if (spec.group.split('.').length < 2) errs.push(fieldErrors.invalid(p.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec?.scope) errs.push(fieldErrors.required(p.child('scope')));
  else if (!SCOPES.includes(spec.scope)) errs.push(fieldErrors.notSupported(p.child('scope'), spec.scope, SCOPES));
  errs.push(...validateNames(spec?.names ?? {}, p.child('names')));
  if (spec?.preserveUnknownFields) errs.push(fieldErrors.invalid(p.child('preserveUnknownFields'), true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  const conversion = spec?.conversion?.strategy;
  if (conversion && conversion !== 'None') {
    errs.push(fieldErrors.notSupported(p.child('conversion', 'strategy'), conversion, ['None']));
  }

  const versions = spec?.versions ?? [];
  const vp = p.child('versions');
  if (!versions.length) errs.push(fieldErrors.required(vp));
  const seen = new Set<string>();
  let storage = 0;
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    errs.push(...validateVersion(v, vp.index(i)));
  });
  if (!unique) errs.push(fieldErrors.invalid(vp, versions.map((v) => v.name), 'must contain unique version names'));
  if (versions.length && storage !== 1) errs.push(fieldErrors.invalid(vp, versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  return errs;
}

function validateNames(names: CustomResourceDefinitionNames, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!names.plural) errs.push(fieldErrors.required(p.child('plural')));
  else {
    const bad = isDNS1035Label(names.plural);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('plural'), names.plural, bad.join(',')));
  }
  if (names.singular) {
    const bad = isDNS1035Label(names.singular);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('singular'), names.singular, bad.join(',')));
  }
  if (!names.kind) errs.push(fieldErrors.required(p.child('kind')));
  else {
    const bad = isDNS1035Label(names.kind.toLowerCase());
    if (bad.length) errs.push(fieldErrors.invalid(p.child('kind'), names.kind, 'may have mixed case, but should otherwise match: ' + bad.join(',')));
  }
  if (!names.listKind) errs.push(fieldErrors.required(p.child('listKind')));
  else {
    const bad = isDNS1035Label(names.listKind.toLowerCase());
    if (bad.length) errs.push(fieldErrors.invalid(p.child('listKind'), names.listKind, 'may have mixed case, but should otherwise match: ' + bad.join(',')));
    if (names.kind && names.listKind === names.kind) errs.push(fieldErrors.invalid(p.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  }
  (names.shortNames ?? []).forEach((s, i) => {
    const bad = isDNS1035Label(s);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('shortNames').index(i), s, bad.join(',')));
  });
  (names.categories ?? []).forEach((c, i) => {
    const bad = isDNS1035Label(c);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('categories').index(i), c, bad.join(',')));
  });
  return errs;
}

/** A simple JSON path as printer columns and subresources use: ".a.b" or ".a[0].b". */
export const SIMPLE_JSON_PATH = /^(\.[A-Za-z0-9_-]+|\[\d+\]|\['[^']+'\])+$/;

function validateVersion(v: CustomResourceDefinitionVersion, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.name) errs.push(fieldErrors.required(p.child('name')));
  else {
    const bad = isDNS1035Label(v.name);
    if (bad.length) errs.push(fieldErrors.invalid(p.child('name'), v.name, bad.join(',')));
  }
  if (v.deprecationWarning !== undefined && !v.deprecated) errs.push(fieldErrors.invalid(p.child('deprecationWarning'), v.deprecationWarning, 'can only be set for deprecated versions'));
  const schema = v.schema?.openAPIV3Schema;
  const sp = p.child('schema', 'openAPIV3Schema');
  if (!schema) errs.push(fieldErrors.required(sp, 'schemas are required'));
  else errs.push(...validateOpenAPIV3Schema(schema, sp));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const cp = p.child('additionalPrinterColumns').index(i);
    if (!c.name) errs.push(fieldErrors.required(cp.child('name')));
    if (!c.type) errs.push(fieldErrors.required(cp.child('type')));
    else if (!COLUMN_TYPES.includes(c.type)) errs.push(fieldErrors.notSupported(cp.child('type'), c.type, COLUMN_TYPES));
    if (c.format && !['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password'].includes(c.format)) {
      errs.push(fieldErrors.notSupported(cp.child('format'), c.format, ['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password']));
    }
    if (c.priority !== undefined && c.priority < 0) errs.push(fieldErrors.invalid(cp.child('priority'), c.priority, 'must be greater than or equal to 0'));
    if (!c.jsonPath) errs.push(fieldErrors.required(cp.child('JSONPath')));
  });
  const scale = v.subresources?.scale;
  if (scale) {
    const sp2 = p.child('subresources', 'scale');
    if (!scale.specReplicasPath?.startsWith('.spec.') || !SIMPLE_JSON_PATH.test(scale.specReplicasPath)) {
      errs.push(fieldErrors.invalid(sp2.child('specReplicasPath'), scale.specReplicasPath ?? '', 'should be a json path under .spec'));
    }
    if (!scale.statusReplicasPath?.startsWith('.status.') || !SIMPLE_JSON_PATH.test(scale.statusReplicasPath)) {
      errs.push(fieldErrors.invalid(sp2.child('statusReplicasPath'), scale.statusReplicasPath ?? '', 'should be a json path under .status'));
    }
  }
  return errs;
}
