// Whether a CRD version's openAPIV3Schema is structural and uses only what apiextensions.k8s.io/v1
// allows, with upstream's messages (apiextensions validation of JSONSchemaProps and
// apiserver/schema's ValidateStructural): every specified field has a type (or
// x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields), the root is an object,
// metadata names at most name and generateName, value validations (allOf, anyOf, oneOf, not)
// carry no types or defaults, and defaults are valid and pruned.
import type { JSONSchemaProps } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import { validateValue } from '../customresources/schema-validation.js';
import { prune } from '../customresources/pruning.js';
import { compileSchemaValidations } from '../customresources/cel/index.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Where {
  root: boolean;
  /** Inside allOf/anyOf/oneOf/not: value validation only. */
  valueValidation: boolean;
  /** What an empty type is reported as ("for specified object fields", "for specified array items"). */
  typeContext: string;
}

/** Errors of one version's openAPIV3Schema at `path` (spec.versions[i].schema.openAPIV3Schema). */
export function validateOpenAPIV3Schema(schema: JSONSchemaProps, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  validateNode(schema, path, { root: true, valueValidation: false, typeContext: 'at the root' }, errs);
  if (!errs.length) validateDefaults(schema, schema, path, true, errs);
  // Rules are compiled against the structural schema's types: only once it is one.
  if (!errs.length) errs.push(...compileSchemaValidations(schema, path).errors);
  return errs;
}

function validateNode(s: JSONSchemaProps, p: FieldPath, where: Where, errs: FieldError[]): void {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    errs.push(fieldErrors.invalid(p, s, 'must be a schema object'));
    return;
  }
  if (s.$ref !== undefined) errs.push(fieldErrors.forbidden(p.child('$ref'), '$ref is not supported'));
  if (s.uniqueItems) errs.push(fieldErrors.forbidden(p.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties === false) errs.push(fieldErrors.forbidden(p.child('additionalProperties'), 'additionalProperties cannot be set to false'));
  if (s.additionalProperties !== undefined && s.properties && Object.keys(s.properties).length) {
    errs.push(fieldErrors.forbidden(p.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (Array.isArray(s.items)) errs.push(fieldErrors.forbidden(p.child('items'), 'items must be a schema object and not an array'));
  for (const f of ['patternProperties', 'definitions', 'dependencies', 'additionalItems', 'id', '$schema'] as const) {
    if (s[f] !== undefined) errs.push(fieldErrors.forbidden(p.child(f), `${f} is not supported`));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(fieldErrors.invalid(p.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (err) {
      errs.push(fieldErrors.invalid(p.child('pattern'), s.pattern, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
    }
  }
  if (s.type !== undefined && s.type !== '' && !TYPES.includes(s.type)) errs.push(fieldErrors.notSupported(p.child('type'), s.type, TYPES));

  if (where.valueValidation) {
    // Upstream: value validations may not carry structure (only int-or-string's anyOf of integer and string).
    if (s.type && !(s.type === 'integer' || s.type === 'string')) errs.push(fieldErrors.forbidden(p.child('type'), 'must be empty to be structural'));
    if (s.default !== undefined) errs.push(fieldErrors.forbidden(p.child('default'), 'must be undefined to be structural'));
    if (s.nullable) errs.push(fieldErrors.forbidden(p.child('nullable'), 'must be false to be structural'));
    for (const x of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'] as const) {
      if (s[x]) errs.push(fieldErrors.forbidden(p.child(x), 'must be false to be structural'));
    }
  } else {
    const intOrString = !!s['x-kubernetes-int-or-string'];
    if (intOrString && s.type) errs.push(fieldErrors.invalid(p.child('type'), s.type, 'must be empty if x-kubernetes-int-or-string is true'));
    if (!s.type && !intOrString && !s['x-kubernetes-preserve-unknown-fields']) {
      errs.push(fieldErrors.required(p.child('type'), `must not be empty ${where.typeContext}`));
    }
    if (where.root && s.type && s.type !== 'object') errs.push(fieldErrors.invalid(p.child('type'), s.type, 'must be object at the root'));
    if (s.type === 'array' && s.items === undefined) errs.push(fieldErrors.required(p.child('items'), 'must be specified'));
    if (s['x-kubernetes-embedded-resource']) {
      if (s.type !== 'object') errs.push(fieldErrors.invalid(p.child('type'), s.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
      else if (!s['x-kubernetes-preserve-unknown-fields'] && !Object.keys(s.properties ?? {}).length) {
        errs.push(fieldErrors.required(p.child('properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
      }
    }
    if (where.root || s['x-kubernetes-embedded-resource']) validateTypeMeta(s, p, errs);
  }

  const inner: Where = { root: false, valueValidation: where.valueValidation, typeContext: 'for specified object fields' };
  for (const [k, v] of Object.entries(s.properties ?? {})) validateNode(v, p.child('properties').key(k), inner, errs);
  if (isObject(s.additionalProperties)) validateNode(s.additionalProperties as JSONSchemaProps, p.child('additionalProperties'), inner, errs);
  if (isObject(s.items)) validateNode(s.items as JSONSchemaProps, p.child('items'), { ...inner, typeContext: 'for specified array items' }, errs);
  const vv: Where = { root: false, valueValidation: true, typeContext: '' };
  for (const f of ['allOf', 'anyOf', 'oneOf'] as const) (s[f] ?? []).forEach((x, i) => validateNode(x, p.child(f).index(i), vv, errs));
  if (s.not) validateNode(s.not, p.child('not'), vv, errs);
}

/** apiVersion and kind are strings; metadata is an object naming at most name and generateName. */
function validateTypeMeta(s: JSONSchemaProps, p: FieldPath, errs: FieldError[]): void {
  const props = s.properties ?? {};
  for (const k of ['apiVersion', 'kind']) {
    const t = props[k]?.type;
    if (props[k] && t !== 'string') errs.push(fieldErrors.invalid(p.child('properties').key(k).child('type'), t ?? '', 'must be string'));
  }
  const meta = props.metadata;
  if (!meta) return;
  const mp = p.child('properties').key('metadata');
  if (meta.type !== 'object') errs.push(fieldErrors.invalid(mp.child('type'), meta.type ?? '', 'must be object'));
  const extra = Object.keys(meta).filter((k) => k !== 'type' && k !== 'properties');
  const names = Object.keys(meta.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
  if (extra.length || names.length) {
    errs.push(fieldErrors.forbidden(mp, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
}

/** Each default validates against its schema and holds nothing pruning would drop. */
function validateDefaults(s: JSONSchemaProps, _root: JSONSchemaProps, p: FieldPath, atRoot: boolean, errs: FieldError[]): void {
  if (s.default !== undefined) {
    if (atRoot) errs.push(fieldErrors.forbidden(p.child('default'), 'must not be set at the root'));
    const dp = p.child('default');
    const valueErrs: FieldError[] = [];
    validateValue(s.default, s, '', valueErrs);
    for (const e of valueErrs) errs.push({ ...e, field: e.field ? `${dp}.${e.field}` : dp.toString() });
    if (isObject(s.default) || Array.isArray(s.default)) {
      const copy = { v: structuredClone(s.default) };
      const unknown = prune(copy, { type: 'object', properties: { v: s } });
      for (const u of unknown) errs.push(fieldErrors.invalid(dp, s.default, `must not have unknown fields, got ${JSON.stringify(u.replace(/^v\.?/, ''))}`));
    }
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) validateDefaults(v, _root, p.child('properties').key(k), false, errs);
  if (isObject(s.additionalProperties)) validateDefaults(s.additionalProperties as JSONSchemaProps, _root, p.child('additionalProperties'), false, errs);
  if (isObject(s.items)) validateDefaults(s.items as JSONSchemaProps, _root, p.child('items'), false, errs);
}
