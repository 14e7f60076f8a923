// Test support: runs a ResourceDefinition's strategy in the GenericRegistry's order
// (create: system fields, defaults, prepareForCreate, validate, canonicalize; update:
// defaults, prepareForUpdate, validateUpdate, canonicalize) on plain objects, without storage.
import type { KubeObject } from '../../../api/index.js';
import { type FieldError, fieldErrorString } from '../../../machinery/index.js';
import type { ResourceDefinition } from '../resource.js';

export const TEST_NOW = new Date('2026-01-01T00:00:00Z');
export const TEST_UID = '3f1d2c6e-0000-4000-8000-000000000001';

export interface Outcome<T> {
  obj: T;
  errors: FieldError[];
  /** The errors as upstream prints them: "<field>: <type>: <detail>". */
  messages: string[];
  warnings: string[];
}

/** A create through the strategy; `obj` is cloned first. */
export function create<T extends KubeObject>(def: ResourceDefinition<T>, input: unknown, opts: { namespace?: string; uid?: string } = {}): Outcome<T> {
  const obj = structuredClone(input) as T;
  obj.metadata ??= {};
  if (def.names.namespaced) obj.metadata.namespace ??= opts.namespace ?? 'default';
  obj.metadata.uid = opts.uid ?? TEST_UID;
  obj.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  def.strategy.defaults?.(obj);
  def.strategy.prepareForCreate(obj, { now: TEST_NOW, namespace: obj.metadata.namespace });
  const errors = def.strategy.validate(obj);
  if (errors.length === 0) def.strategy.canonicalize?.(obj);
  const warnings = def.strategy.warningsOnCreate?.(obj) ?? [];
  return { obj, errors, messages: errors.map(fieldErrorString), warnings };
}

/** An update of `old` (a stored object) to `input` through the strategy. */
export function update<T extends KubeObject>(def: ResourceDefinition<T>, input: unknown, old: T): Outcome<T> {
  const obj = structuredClone(input) as T;
  obj.metadata ??= {};
  obj.metadata.generation = old.metadata.generation;
  if (obj.metadata.generation === undefined) delete obj.metadata.generation;
  def.strategy.defaults?.(obj);
  def.strategy.prepareForUpdate(obj, structuredClone(old), { now: TEST_NOW });
  const errors = def.strategy.validateUpdate(obj, old);
  if (errors.length === 0) def.strategy.canonicalize?.(obj);
  const warnings = def.strategy.warningsOnUpdate?.(obj, old) ?? [];
  return { obj, errors, messages: errors.map(fieldErrorString), warnings };
}

/** A write to the /status subresource. */
export function updateStatus<T extends KubeObject>(def: ResourceDefinition<T>, input: unknown, old: T): Outcome<T> {
  if (!def.status) throw new Error(`${def.names.resource} has no status subresource`);
  const obj = structuredClone(input) as T;
  obj.metadata ??= {};
  def.strategy.defaults?.(obj);
  def.status.prepareForUpdate(obj, structuredClone(old), { now: TEST_NOW });
  const errors = def.status.validateUpdate(obj, old);
  return { obj, errors, messages: errors.map(fieldErrorString), warnings: [] };
}
