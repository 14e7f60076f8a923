// Evaluating x-kubernetes-validations on a custom resource (upstream: apiextensions-apiserver
// pkg/apiserver/schema/cel/validation.go as of Kubernetes 1.32): every node of the object that
// has rules is checked with `self` bound to its value; a transition rule (one that names
// oldSelf) runs only on an update where the old value exists: object properties always
// correlate, map entries unless the map is atomic, list items only in listType=map lists, by
// their keys. A failed rule is a field error at the node (or at its fieldPath) whose value is the
// schema type ("spec: Invalid value: \"object\": ..."); its reason picks the cause type.
//
// Cost: cel-go meters each call; here a call's cost is estimated before it runs as
// AST nodes × (values under self + 1)^(nesting of comprehension macros), and refused above
// upstream's per-call limit (1,000,000); all calls of one object share upstream's
// 10,000,000 budget. Nothing expensive is run to find out that it was.
import { Optional } from '@marcbachmann/cel-js';
import type { JSONSchemaProps } from '../../../../api/index.js';
import { type FieldError, fieldErrors } from '../../../../machinery/index.js';
import type { CompiledRule, NodeValidator } from './compile.js';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_COST_BUDGET = 10_000_000;
const MAX_MESSAGE_EXPRESSION_BYTES = 5 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function countValues(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countValues(x), 1);
  if (isObject(v)) return Object.values(v).reduce((n: number, x) => n + countValues(x), 1);
  return 1;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** field.Path's String(): the root of a resource is a nil path. */
function shown(path: string): string {
  return path || '<nil>';
}

function ruleErrorString(rule: CompiledRule['rule']): string {
  return (rule.message?.trim() || rule.rule?.trim()) ?? '';
}

function ruleMessageOrDefault(rule: CompiledRule['rule']): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

function errorText(err: unknown): string {
  const e = err as { summary?: string; message?: string };
  const text = (e.summary ?? e.message ?? String(err)).split('\n')[0]!;
  // cel-go's words: "no such key: x", "division by zero", "index out of bounds: 5".
  return text.replace(/^No such key: index out of bounds, index (\d+).*/, 'index out of bounds: $1').replace(/^No such key/, 'no such key');
}

class Run {
  budget = RUNTIME_COST_BUDGET;
  stopped = false;
  readonly errs: FieldError[] = [];

  node(v: NodeValidator, value: unknown, old: unknown, path: string): void {
    if (this.stopped || value === null || value === undefined) return;
    if (v.rules.length) this.rules(v, value, old, path);
    if (this.stopped) return;
    if (Array.isArray(value) && v.items) {
      const keys = v.schema['x-kubernetes-list-type'] === 'map' ? v.schema['x-kubernetes-list-map-keys'] ?? [] : undefined;
      const oldList = Array.isArray(old) ? old : [];
      value.forEach((item, i) => {
        // Only map lists correlate an item with its old self, by the keys.
        const oldItem = keys && isObject(item) ? oldList.find((o) => isObject(o) && keys.every((k) => o[k] === item[k])) : undefined;
        this.node(v.items!, item, oldItem, `${path}[${i}]`);
      });
    } else if (isObject(value)) {
      const oldObj = isObject(old) ? old : undefined;
      for (const [k, x] of Object.entries(value)) {
        const prop = v.properties.get(k);
        if (prop) this.node(prop, x, oldObj?.[k], child(path, k));
        else if (v.additionalProperties) {
          const correlates = v.schema['x-kubernetes-map-type'] !== 'atomic';
          this.node(v.additionalProperties, x, correlates ? oldObj?.[k] : undefined, `${path}[${k}]`);
        }
      }
    }
  }

  private rules(v: NodeValidator, value: unknown, old: unknown, path: string): void {
    const type = (v.schema as JSONSchemaProps).type ?? '';
    const hasOld = old !== null && old !== undefined;
    const size = countValues(value) + (hasOld ? countValues(old) : 0);
    let plain: Record<string, unknown> | undefined;
    for (const r of v.rules) {
      // A transition rule waits for an old value, unless it takes oldSelf as an optional.
      if (r.usesOldSelf && !hasOld && !r.optionalOldSelf) continue;
      const cost = r.astNodes * Math.pow(size + 1, r.loopDepth);
      if (cost > PER_CALL_LIMIT) {
        this.errs.push(fieldErrors.invalid(shown(path), type, `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(r.rule)}`));
        this.stopped = true;
        return;
      }
      if (cost > this.budget) {
        this.errs.push(fieldErrors.invalid(shown(path), type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
        this.stopped = true;
        return;
      }
      this.budget -= cost;
      plain ??= { self: v.type.convert(value), oldSelf: hasOld ? v.type.convert(old) : undefined };
      const bindings = r.optionalOldSelf ? { self: plain.self, oldSelf: hasOld ? Optional.of(plain.oldSelf) : Optional.none() } : plain;
      let result: unknown;
      try {
        result = r.program(bindings);
      } catch (err) {
        const text = errorText(err);
        if (/no (matching|such) overload/.test(text)) {
          this.errs.push(fieldErrors.invalid(shown(path), type, `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(r.rule)}`));
        } else {
          this.errs.push(fieldErrors.invalid(shown(path), type, `${text} evaluating rule: ${ruleErrorString(r.rule)}`));
        }
        continue;
      }
      if (result === true) continue;
      const at = r.fieldPath ? child(path, r.fieldPath) : shown(path);
      const detail = this.message(r, bindings, size) ?? ruleMessageOrDefault(r.rule);
      this.errs.push(errorForReason(at, type, detail, r.rule.reason));
    }
  }

  /** messageExpression's text; undefined (the rule's message instead) when it fails or is unusable. */
  private message(r: CompiledRule, bindings: Record<string, unknown>, size: number): string | undefined {
    if (!r.messageProgram) return undefined;
    const cost = Math.max(1, size);
    if (cost > this.budget) return undefined;
    this.budget -= cost;
    try {
      const m = r.messageProgram(bindings);
      if (typeof m !== 'string') return undefined;
      const t = m.trim();
      if (!t || /\n/.test(t) || Buffer.byteLength(t) > MAX_MESSAGE_EXPRESSION_BYTES) return undefined;
      return t;
    } catch {
      return undefined;
    }
  }
}

function errorForReason(path: string, type: string, detail: string, reason: string | undefined): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return fieldErrors.forbidden(path, detail);
    case 'FieldValueRequired':
      return fieldErrors.required(path, detail);
    case 'FieldValueDuplicate':
      return fieldErrors.duplicate(path, type);
    default:
      return fieldErrors.invalid(path, type, detail);
  }
}

/** The rule failures of a custom resource (old: the stored object on update). */
export function validateRules(v: NodeValidator | undefined, obj: unknown, old?: unknown): FieldError[] {
  if (!v) return [];
  const run = new Run();
  run.node(v, obj, old, '');
  return run.errs;
}
