// Small constructors for the schema DSL, so definitions read like upstream's field lists.
import type {
  AnySchema,
  ArraySchema,
  BooleanSchema,
  IntOrStringSchema,
  IntegerSchema,
  MapSchema,
  NumberSchema,
  ObjectSchema,
  ProtoField,
  ProtoFieldSpec,
  ProtoMessage,
  QuantitySchema,
  RefSchema,
  Schema,
  StringSchema,
} from './types.js';

/** Upstream OpenAPI definition name prefixes. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const CORE = 'io.k8s.api.core.v1.';
export const BATCH = 'io.k8s.api.batch.v1.';
export const AUTHENTICATION = 'io.k8s.api.authentication.v1.';
export const AUTHORIZATION = 'io.k8s.api.authorization.v1.';

function described<T extends Schema>(schema: T, description?: string): T {
  if (description) schema.description = description;
  return schema;
}

export const str = (description?: string): StringSchema => described({ type: 'string' }, description);
/** metav1.Time / metav1.MicroTime: RFC 3339. */
export const time = (description?: string): StringSchema => described({ type: 'string', format: 'date-time' }, description);
/** []byte: base64 in JSON. */
export const bytes = (description?: string): StringSchema => described({ type: 'string', format: 'byte' }, description);
export const int32 = (description?: string): IntegerSchema => described({ type: 'integer', format: 'int32' }, description);
export const int64 = (description?: string): IntegerSchema => described({ type: 'integer', format: 'int64' }, description);
export const num = (description?: string): NumberSchema => described({ type: 'number' }, description);
export const bool = (description?: string): BooleanSchema => described({ type: 'boolean' }, description);
export const quantity = (description?: string): QuantitySchema => described({ type: 'quantity' }, description);
export const intOrString = (description?: string): IntOrStringSchema => described({ type: 'int-or-string' }, description);
export const any = (description?: string): AnySchema => described({ type: 'any' }, description);
export const ref = (name: string, description?: string): RefSchema => described({ type: 'ref', ref: name }, description);

export type ListOptions = Pick<ArraySchema, 'mergeKey' | 'patchStrategy' | 'listType' | 'listMapKeys'>;

export function list(items: Schema, options?: ListOptions, description?: string): ArraySchema {
  return described({ type: 'array', items, ...options }, description);
}

export const map = (values: Schema, description?: string): MapSchema => described({ type: 'map', values }, description);

export function object(
  properties: Record<string, Schema>,
  options: { required?: string[]; description?: string; proto?: Record<string, ProtoField> } = {},
): ObjectSchema {
  const schema: ObjectSchema = { type: 'object', properties };
  if (options.required?.length) schema.required = options.required;
  if (options.proto) schema.proto = options.proto;
  return described(schema, options.description);
}

// Protobuf field tables (ObjectSchema.proto), written in upstream's generated.proto order.

/** A field whose zero value is kept: a Go pointer, or a JSON tag without omitempty. */
export const keepZero = (field: number): ProtoFieldSpec => ({ field, keepZero: true });

/** A field carried as a message the JSON schema does not name (MicroTime, FieldsV1...). */
export const asMessage = (field: number, message: ProtoMessage): ProtoFieldSpec => ({ field, message });

/** Fields of a Go struct inlined into this JSON object but nested at field `at` on the wire. */
export function inline(at: number, fields: Record<string, ProtoField>): Record<string, ProtoFieldSpec> {
  const out: Record<string, ProtoFieldSpec> = {};
  for (const [name, f] of Object.entries(fields)) out[name] = { ...(typeof f === 'number' ? { field: f } : f), inline: at };
  return out;
}
