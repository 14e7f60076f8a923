// Compiling a CRD version's x-kubernetes-validations (upstream: apiextensions-apiserver
// pkg/apiserver/schema/cel/compilation.go and the CRD validation that reports its errors):
// each rule is parsed and type-checked with `self` (and `oldSelf`) typed by its schema node;
// it must be a bool, a messageExpression a string. Done when the CRD is written (a rule that
// does not compile refuses the CRD) and cached per schema object for the custom resources.
import type { Environment } from '@marcbachmann/cel-js';
import type { JSONSchemaProps } from '../../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../../machinery/index.js';
import { baseEnvironment, celEqual } from './library.js';
import { type CelNodeType, SchemaTypes } from './types.js';
import { normalizeRuleFieldPath } from './field-path.js';

type Rule = NonNullable<JSONSchemaProps['x-kubernetes-validations']>[number];
type Program = ((ctx: Record<string, unknown>) => unknown) & { ast: unknown };

export const SUPPORTED_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

/** Upstream's ValidationRule printed with %#v, the bad value of a rule that does not compile. */
function goRule(r: Rule): string {
  const str = (s: string | undefined) => JSON.stringify(s ?? '');
  // A set pointer prints as its address in Go; no address is meaningful here.
  const reason = r.reason === undefined ? '(*apiextensions.FieldValueErrorReason)(nil)' : `(*apiextensions.FieldValueErrorReason)(${JSON.stringify(r.reason)})`;
  const optional = r.optionalOldSelf === undefined ? '(*bool)(nil)' : `(*bool)(${r.optionalOldSelf})`;
  return `apiextensions.ValidationRule{Rule:${str(r.rule)}, Message:${str(r.message)}, MessageExpression:${str(r.messageExpression)}, Reason:${reason}, FieldPath:${str(r.fieldPath)}, OptionalOldSelf:${optional}}`;
}

export interface CompiledRule {
  rule: Rule;
  program: Program;
  messageProgram?: Program;
  usesOldSelf: boolean;
  /** optionalOldSelf: oldSelf is an optional, none on create, and the rule runs then too. */
  optionalOldSelf: boolean;
  /** fieldPath as a field path relative to the rule's node ("replicas", "labels[a]"). */
  fieldPath?: string;
  /** AST nodes and comprehension nesting: the cost estimate's factors. */
  astNodes: number;
  loopDepth: number;
}

/** The compiled rules of one schema node and of the nodes below it that hold rules. */
export interface NodeValidator {
  schema: JSONSchemaProps;
  type: CelNodeType;
  rules: CompiledRule[];
  properties: Map<string, NodeValidator>;
  additionalProperties?: NodeValidator;
  items?: NodeValidator;
}

/** cel-go's issue text: "ERROR: <input>:line:column: message" and the line with a caret. */
function celGoIssue(err: unknown, source: string, syntax: boolean): string {
  const e = err as { summary?: string; message?: string; range?: { start: number } };
  const summary = (e.summary ?? e.message ?? String(err)).split('\n')[0];
  const pos = e.range?.start ?? 0;
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - (before.lastIndexOf('\n') + 1);
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${col + 1}: ${syntax ? 'Syntax error: ' : ''}${summary}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

function walkAst(node: unknown, visit: (n: { op: string; args: unknown }, depth: number) => void, depth = 0): void {
  if (!node || typeof node !== 'object') return;
  const n = node as { op?: string; args?: unknown };
  if (typeof n.op !== 'string') {
    if (Array.isArray(node)) for (const x of node) walkAst(x, visit, depth);
    return;
  }
  visit(n as { op: string; args: unknown }, depth);
  const loop = n.op === 'rcall' && Array.isArray(n.args) && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(n.args[0] as string);
  const args = Array.isArray(n.args) ? n.args : [n.args];
  for (const a of args) walkAst(a, visit, loop ? depth + 1 : depth);
}

function analyse(ast: unknown): { usesOldSelf: boolean; astNodes: number; loopDepth: number } {
  let usesOldSelf = false;
  let astNodes = 0;
  let loopDepth = 0;
  walkAst(ast, (n, depth) => {
    astNodes++;
    loopDepth = Math.max(loopDepth, depth);
    if (n.op === 'id' && n.args === 'oldSelf') usesOldSelf = true;
  });
  return { usesOldSelf, astNodes, loopDepth };
}

type Compiled = { program: Program; type?: string } | { error: string };

function compileExpression(env: Environment, source: string): Compiled {
  let program: Program;
  try {
    program = env.parse(source) as unknown as Program;
  } catch (err) {
    return { error: celGoIssue(err, source, true) };
  }
  const checked = (program as unknown as { check(): { valid: boolean; type?: string; error?: unknown } }).check();
  if (!checked.valid) return { error: celGoIssue(checked.error, source, false) };
  return { program, type: checked.type };
}

interface Built {
  validator?: NodeValidator;
  errors: FieldError[];
}

let versionCount = 0;

/** Compiles every rule of `schema` (a CRD version's openAPIV3Schema); errors at `path`. */
export function compileSchemaValidations(schema: JSONSchemaProps, path: FieldPath = new FieldPath('openAPIV3Schema')): Built {
  const env = baseEnvironment().clone();
  const types = new SchemaTypes(env, `schema${versionCount++}_t`);
  const errors: FieldError[] = [];
  const build = (s: JSONSchemaProps, p: FieldPath, type: CelNodeType): NodeValidator | undefined => {
    const rules = compileNodeRules(s, p, type, errors, env);
    const properties = new Map<string, NodeValidator>();
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      const v = build(sub, p.child('properties').key(k), types.nodeType(sub));
      if (v) properties.set(k, v);
    }
    const ap = typeof s.additionalProperties === 'object' ? (s.additionalProperties as JSONSchemaProps) : undefined;
    const additionalProperties = ap ? build(ap, p.child('additionalProperties'), types.nodeType(ap)) : undefined;
    const itemsSchema = s.items && !Array.isArray(s.items) ? s.items : undefined;
    const items = itemsSchema ? build(itemsSchema, p.child('items'), types.nodeType(itemsSchema)) : undefined;
    if (!rules.length && !properties.size && !additionalProperties && !items) return undefined;
    return { schema: s, type, rules, properties, additionalProperties, items };
  };
  if (!hasValidations(schema)) return { errors };
  types.declareAll(schema, true);
  const rootType = types.nodeType(schema, true);
  // Object types compare field by field; declared now, before any clone freezes env.
  for (const t of types.typeNames) env.registerOperator(`${t} == ${t}`, celEqual);
  const validator = build(schema, path, rootType);
  return { validator, errors };
}

function hasValidations(s: JSONSchemaProps | undefined): boolean {
  if (!s || typeof s !== 'object') return false;
  if (s['x-kubernetes-validations']?.length) return true;
  if (Object.values(s.properties ?? {}).some(hasValidations)) return true;
  if (typeof s.additionalProperties === 'object' && hasValidations(s.additionalProperties as JSONSchemaProps)) return true;
  return !!s.items && !Array.isArray(s.items) && hasValidations(s.items);
}

function compileNodeRules(s: JSONSchemaProps, p: FieldPath, type: CelNodeType, errors: FieldError[], versionEnv: Environment): CompiledRule[] {
  const rules = s['x-kubernetes-validations'] ?? [];
  if (!rules.length) return [];
  // Types are all registered by now (the root's first): cloning freezes versionEnv.
  const env = versionEnv.clone();
  env.registerVariable('self', type.decl);
  env.registerVariable('oldSelf', type.decl);
  let optionalEnv: Environment | undefined;
  const optionalOldSelfEnv = () => {
    if (!optionalEnv) {
      optionalEnv = versionEnv.clone();
      optionalEnv.registerVariable('self', type.decl);
      optionalEnv.registerVariable('oldSelf', `optional<${type.decl}>`);
    }
    return optionalEnv;
  };
  const out: CompiledRule[] = [];
  rules.forEach((r, i) => {
    const rp = p.child('x-kubernetes-validations').index(i);
    const before = errors.length;
    const source = r.rule ?? '';
    if (!source.trim()) errors.push(fieldErrors.required(rp.child('rule'), 'rule is not specified'));
    if (r.message !== undefined && /[\n\r]/.test(r.message)) errors.push(fieldErrors.invalid(rp.child('message'), r.message, 'message must not contain line breaks'));
    if (r.message !== undefined && !r.message.trim()) errors.push(fieldErrors.invalid(rp.child('message'), r.message, 'message must be non-empty if specified'));
    if (/[\n\r]/.test(source) && !r.message && !r.messageExpression) errors.push(fieldErrors.required(rp.child('message'), 'message must be specified if rule contains line breaks'));
    if (r.reason !== undefined && !SUPPORTED_REASONS.includes(r.reason)) errors.push(fieldErrors.notSupported(rp.child('reason'), r.reason, SUPPORTED_REASONS));
    let fieldPath: string | undefined;
    if (r.fieldPath) {
      const normalized = normalizeRuleFieldPath(r.fieldPath, s);
      if ('error' in normalized) errors.push(fieldErrors.invalid(rp.child('fieldPath'), r.fieldPath, `fieldPath must be a valid path: ${normalized.error}`));
      else fieldPath = normalized.path;
    }
    if (!source.trim()) return;
    const ruleEnv = r.optionalOldSelf ? optionalOldSelfEnv() : env;
    const compiled = compileExpression(ruleEnv, source);
    const invalidRule = (detail: string) => ({ type: 'FieldValueInvalid' as const, field: rp.child('rule').toString(), omitValue: true, detail: `${goRule(r)}: ${detail}` });
    if ('error' in compiled) {
      errors.push(invalidRule(`compilation failed: ${compiled.error}`));
      return;
    }
    if (compiled.type !== 'bool' && compiled.type !== 'dyn') {
      errors.push(invalidRule('cel expression must evaluate to a bool'));
      return;
    }
    let messageProgram: Program | undefined;
    if (r.messageExpression !== undefined) {
      const m = compileExpression(ruleEnv, r.messageExpression);
      const mp = rp.child('messageExpression');
      const invalidMessage = (detail: string) => ({ type: 'FieldValueInvalid' as const, field: mp.toString(), omitValue: true, detail: `${goRule(r)}: ${detail}` });
      if (!r.messageExpression.trim()) errors.push(fieldErrors.required(mp, 'messageExpression is not specified'));
      else if ('error' in m) errors.push(invalidMessage(`messageExpression compilation failed: ${m.error}`));
      else if (m.type !== 'string' && m.type !== 'dyn') errors.push(invalidMessage('must evaluate to a string'));
      else messageProgram = m.program;
    }
    if (errors.length > before) return;
    out.push({ rule: r, program: compiled.program, messageProgram, fieldPath, optionalOldSelf: !!r.optionalOldSelf, ...analyse(compiled.program.ast) });
  });
  return out;
}

const cache = new WeakMap<JSONSchemaProps, NodeValidator | null>();

/** The validator of a stored CRD version's schema (compiled once; the CRD was checked when written). */
export function schemaValidator(schema: JSONSchemaProps | undefined): NodeValidator | undefined {
  if (!schema) return undefined;
  let v = cache.get(schema);
  if (v === undefined) {
    v = compileSchemaValidations(schema).validator ?? null;
    cache.set(schema, v);
  }
  return v ?? undefined;
}
