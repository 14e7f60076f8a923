// A structural schema as CEL types (upstream: apiserver/pkg/cel/common's SchemaDeclType and
// UnstructuredToVal): an object with properties is a type of its own whose fields are the
// escaped property names (so `self.nope` does not compile), additionalProperties a
// map<string, T>, items a list<T>, integer int, number double; int-or-string, unknown fields
// and embedded resources are dyn. At a resource's root apiVersion, kind and metadata (name,
// generateName) are declared as upstream's WithTypeAndObjectMeta does.
import type { Environment } from '@marcbachmann/cel-js';
import type { JSONSchemaProps } from '../../../../api/index.js';

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPABLE = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/;

/** cel.Escape: a property's name in CEL, or undefined when it cannot be written there. */
export function escapePropertyName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!ESCAPABLE.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (m) => ({ __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' })[m] ?? m);
}

/** A schema node in CEL: its declared type and how a JSON value of it becomes a CEL value. */
export interface CelNodeType {
  decl: string;
  convert(value: unknown): unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON numbers without a schema type: integral ones are CEL ints, as Go's unstructured JSON has them. */
function dynValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(dynValue);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dynValue(x)]));
  return v;
}

const DYN: CelNodeType = { decl: 'dyn', convert: dynValue };

/** Instances of a schema's object types compare field by field (CEL's equality of messages). */
export abstract class CelObject {}

/** Declares the types of `schema` in `env` (before it is cloned) and returns the root's. */
export class SchemaTypes {
  private count = 0;
  private readonly env: Environment;
  private readonly prefix: string;
  readonly typeNames: string[] = [];

  constructor(env: Environment, prefix: string) {
    this.env = env;
    this.prefix = prefix;
  }

  private readonly memo = new Map<JSONSchemaProps, CelNodeType>();

  /** The node's type, declared once per schema node (every node is declared before env is cloned). */
  nodeType(s: JSONSchemaProps | undefined, resourceRoot = false): CelNodeType {
    if (!s) return DYN;
    let t = this.memo.get(s);
    if (!t) {
      t = this.declare(s, resourceRoot);
      this.memo.set(s, t);
    }
    return t;
  }

  /** Declares the types of every node of `s`, also those under a dyn node (embedded resources). */
  declareAll(s: JSONSchemaProps, resourceRoot = false): void {
    this.nodeType(s, resourceRoot);
    for (const sub of Object.values(s.properties ?? {})) this.declareAll(sub);
    if (typeof s.additionalProperties === 'object') this.declareAll(s.additionalProperties as JSONSchemaProps);
    if (s.items && !Array.isArray(s.items)) this.declareAll(s.items);
  }

  private declare(s: JSONSchemaProps, resourceRoot: boolean): CelNodeType {
    if (s['x-kubernetes-int-or-string'] || s['x-kubernetes-embedded-resource']) return DYN;
    switch (s.type) {
      case 'integer':
        return { decl: 'int', convert: (v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v) };
      case 'number':
        return { decl: 'double', convert: (v) => v };
      case 'string':
        return { decl: 'string', convert: (v) => v };
      case 'boolean':
        return { decl: 'bool', convert: (v) => v };
      case 'array': {
        const item = this.nodeType(Array.isArray(s.items) ? undefined : s.items);
        return { decl: `list<${item.decl}>`, convert: (v) => (Array.isArray(v) ? v.map((x) => item.convert(x)) : v) };
      }
      case 'object':
        return this.objectType(s, resourceRoot);
      default:
        return DYN;
    }
  }

  private objectType(s: JSONSchemaProps, resourceRoot: boolean): CelNodeType {
    const props = { ...(s.properties ?? {}) };
    if (resourceRoot) {
      props.apiVersion = { type: 'string' };
      props.kind = { type: 'string' };
      props.metadata = { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } };
    }
    if (!Object.keys(props).length) {
      if (typeof s.additionalProperties === 'object') {
        const value = this.nodeType(s.additionalProperties as JSONSchemaProps);
        return {
          decl: `map<string, ${value.decl}>`,
          convert: (v) => (isObject(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, value.convert(x)])) : v),
        };
      }
      return DYN; // x-kubernetes-preserve-unknown-fields, or an object of no declared fields
    }
    const fields: Record<string, string> = {};
    const converters = new Map<string, { escaped: string; type: CelNodeType }>();
    for (const [name, sub] of Object.entries(props)) {
      const escaped = escapePropertyName(name);
      if (!escaped) continue; // upstream leaves such fields out of the type
      const type = this.nodeType(sub);
      fields[escaped] = type.decl;
      converters.set(name, { escaped, type });
    }
    const typeName = `${this.prefix}${this.count++}`;
    // One class per object type: cel-js knows a value's type by its constructor.
    const ctor = { [typeName]: class extends CelObject {} }[typeName]!;
    this.env.registerType(typeName, { ctor, fields });
    this.typeNames.push(typeName);
    return {
      decl: typeName,
      convert: (v) => {
        if (!isObject(v)) return v;
        const out = new ctor() as unknown as Record<string, unknown>;
        for (const [k, x] of Object.entries(v)) {
          const c = converters.get(k);
          // A null field reads as absent: has() is false, as for a field never set.
          if (c && x !== null && x !== undefined) out[c.escaped] = c.type.convert(x);
        }
        return out;
      },
    };
  }
}
