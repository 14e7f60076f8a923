// Validation of a custom resource against its CRD's schema, as upstream's
// apiextensions-apiserver/pkg/apiserver/validation does it with kube-openapi's validator:
// each failure is a field error at the value's path, with kube-openapi's "<path> in body ..."
// detail and upstream's error type (Required, Unsupported value, Too long, Too many, Invalid).
import type { JSONSchemaProps } from '../../../api/index.js';
import { type FieldError, fieldErrors } from '../../../machinery/index.js';
import { jsonEqual } from '../../../machinery/own-properties.js';

const IN = 'in body';

/** A JSON value's type as kube-openapi names it in "must be of type" messages. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, boolean
}

function typeMatches(type: string, v: unknown): boolean {
  const t = jsonTypeOf(v);
  if (type === 'number') return t === 'number' || t === 'integer';
  return t === type;
}

// Formats kube-openapi checks (strfmt.Default), the cheap ones; unknown formats are ignored.
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  datetime: (s) => FORMATS['date-time']!(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  email: (s) => /^[^\s@<>]+@[^\s@<>]+$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s),
  hostname: (s) => s.length <= 255 && /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  uri: (s) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || s.startsWith('/'),
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
};

/** Validates `value` at `path` ("" for the root) against `schema`; appends to `errs`. */
export function validateValue(value: unknown, schema: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const name = path || '.';
  if (value === null) {
    if (schema.nullable) return;
    if (schema.type) errs.push(typeInvalid(path, 'null', `${name} ${IN} must be of type ${schema.type}: "null"`));
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    const t = jsonTypeOf(value);
    if (t !== 'integer' && t !== 'string') errs.push(typeInvalid(path, t, `${name} ${IN} must be of type integer,string: "${t}"`));
  } else if (schema.type && !typeMatches(schema.type, value)) {
    const t = jsonTypeOf(value);
    errs.push(typeInvalid(path, t, `${name} ${IN} must be of type ${schema.type}: "${t}"`));
    return;
  }
  if (schema.enum && !schema.enum.some((e) => jsonEqual(e, value))) {
    errs.push(fieldErrors.notSupported(path, value, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'string') validateString(value, schema, path, name, errs);
  else if (typeof value === 'number') validateNumber(value, schema, path, name, errs);
  else if (Array.isArray(value)) validateArray(value, schema, path, name, errs);
  else if (typeof value === 'object') validateObject(value as Record<string, unknown>, schema, path, name, errs);
  validateComposition(value, schema, path, name, errs);
}

function typeInvalid(path: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: path, value, detail };
}

function validateString(s: string, schema: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  const length = [...s].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) errs.push(fieldErrors.tooLong(path, schema.maxLength));
  if (schema.minLength !== undefined && length < schema.minLength) errs.push(fieldErrors.invalid(path, s, `${name} ${IN} should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, 'u');
    } catch {
      re = undefined; // refused when the CRD was written; nothing to check against
    }
    if (re && !re.test(s)) errs.push(fieldErrors.invalid(path, s, `${name} ${IN} should match '${schema.pattern}'`));
  }
  const check = schema.format ? FORMATS[schema.format] : undefined;
  if (check && !check(s)) errs.push(typeInvalid(path, s, `${name} ${IN} must be of type ${schema.format}: ${JSON.stringify(s)}`));
}

function validateNumber(n: number, schema: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? n >= schema.maximum : n > schema.maximum) {
      errs.push(fieldErrors.invalid(path, n, `${name} ${IN} should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
    }
  }
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? n <= schema.minimum : n < schema.minimum) {
      errs.push(fieldErrors.invalid(path, n, `${name} ${IN} should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = n / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) errs.push(fieldErrors.invalid(path, n, `${name} ${IN} should be a multiple of ${schema.multipleOf}`));
  }
}

function validateArray(a: unknown[], schema: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  if (schema.maxItems !== undefined && a.length > schema.maxItems) errs.push(fieldErrors.tooMany(path, a.length, schema.maxItems));
  if (schema.minItems !== undefined && a.length < schema.minItems) errs.push(fieldErrors.invalid(path, a, `${name} ${IN} should have at least ${schema.minItems} items`));
  if (schema.uniqueItems && a.some((x, i) => a.findIndex((y) => jsonEqual(x, y)) !== i)) errs.push(fieldErrors.invalid(path, a, `${name} ${IN} shouldn't contain duplicates`));
  const items = schema.items;
  if (items && !Array.isArray(items)) a.forEach((item, i) => validateValue(item, items, `${path}[${i}]`, errs));
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function validateObject(o: Record<string, unknown>, schema: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  const keys = Object.keys(o);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) errs.push(fieldErrors.tooMany(path, keys.length, schema.maxProperties));
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) errs.push(fieldErrors.invalid(path, o, `${name} ${IN} should have at least ${schema.minProperties} properties`));
  for (const r of schema.required ?? []) if (!Object.hasOwn(o, r)) errs.push(fieldErrors.required(child(path, r)));
  const props = schema.properties ?? {};
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const k of keys) {
    const s = Object.hasOwn(props, k) ? props[k] : additional;
    if (s) validateValue(o[k], s, child(path, k), errs);
  }
}

function passes(value: unknown, schema: JSONSchemaProps, path: string): boolean {
  const errs: FieldError[] = [];
  validateValue(value, schema, path, errs);
  return errs.length === 0;
}

function validateComposition(value: unknown, schema: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  for (const s of schema.allOf ?? []) validateValue(value, s, path, errs);
  if (schema.anyOf?.length && !schema.anyOf.some((s) => passes(value, s, path))) {
    errs.push(fieldErrors.invalid(path, value, `${name} ${IN} must validate at least one schema (anyOf)`));
  }
  if (schema.oneOf?.length && schema.oneOf.filter((s) => passes(value, s, path)).length !== 1) {
    errs.push(fieldErrors.invalid(path, value, `${name} ${IN} must validate one and only one schema (oneOf)`));
  }
  if (schema.not && passes(value, schema.not, path)) errs.push(fieldErrors.invalid(path, value, `${name} ${IN} must not validate the schema (not)`));
}
