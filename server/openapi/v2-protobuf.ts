// The Swagger 2.0 document in protobuf (gnostic's openapi.v2.Document), the form client-go's
// discovery client asks /openapi/v2 for (kubectl's client-side validation, explain's v2 output,
// the fallback of its query-parameter verifier). Upstream: kube-openapi's handler.ToProtoBinary,
// which parses the JSON with gnostic's compiler and marshals the message. Here the JSON is walked
// against the message types of GNOSTIC_OPENAPI_V2_PROTO (protobufjs reflection), with gnostic's
// rules for the shapes JSON allows several ways (see SHAPES); a key the schema has no field for
// is an error, as in gnostic, rather than a field silently lost.
import protobuf from 'protobufjs';
import { stringify } from 'yaml';
import { GNOSTIC_OPENAPI_V2_PROTO } from './gnostic-v2-proto.js';
import type { JsonObject } from './types.js';

type Message = Record<string, unknown>;

let root: protobuf.Root | undefined;

/** The parsed openapi.v2 package (parsed once, on first use: most servers never get asked). */
export function gnosticV2Root(): protobuf.Root {
  if (!root) {
    root = protobuf.parse(GNOSTIC_OPENAPI_V2_PROTO, { keepCase: true }).root;
    root.resolveAll();
  }
  return root;
}

/** A message type of the openapi.v2 package, by its short name ("Document", "Schema"). */
export function gnosticV2Type(name: string): protobuf.Type {
  return gnosticV2Root().lookupType(`openapi.v2.${name}`);
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, message: string): never {
  throw new Error(`openapi v2 to protobuf: ${path || '<root>'} ${message}`);
}

/**
 * YAML text of a JSON value, as gnostic keeps default, example, enum and vendor extensions.
 * YAML 1.1 quoting, because kube-openapi reads it back with go-yaml v2 (a bare `yes` would be true).
 */
function anyOf(value: unknown): Message {
  const key = JSON.stringify(value);
  let yaml = yamlMemo?.get(key);
  if (yaml === undefined) {
    yaml = stringify(value, { version: '1.1' });
    yamlMemo?.set(key, yaml);
  }
  return { yaml };
}

/**
 * The YAML of values seen during one (synchronous) encode: a document repeats the same few
 * extension values thousands of times (x-kubernetes-action, group-version-kinds, list types).
 */
let yamlMemo: Map<string, string> | undefined;

function stringArray(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(path, 'must be an array of strings');
  return v;
}

function objectAt(v: unknown, path: string): JsonObject {
  if (!isObject(v)) fail(path, 'must be an object');
  return v;
}

/**
 * Messages whose JSON has more than one shape, or is not an object with one key per field
 * (gnostic's NewTypeItem, NewItemsItem, NewAdditionalPropertiesItem and the oneof wrappers).
 */
const SHAPES: Record<string, (v: unknown, path: string) => Message> = {
  Any: (v) => anyOf(v),
  TypeItem: (v, path) => ({ value: typeof v === 'string' ? [v] : stringArray(v, path) }),
  ItemsItem: (v, path) => ({ schema: [message('Schema', v, path)] }),
  StringArray: (v, path) => ({ value: stringArray(v, path) }),
  AdditionalPropertiesItem: (v, path) => (typeof v === 'boolean' ? { boolean: v } : { schema: message('Schema', v, path) }),
  ParametersItem: (v, path) => (isObject(v) && '$ref' in v ? { json_reference: message('JsonReference', v, path) } : { parameter: message('Parameter', v, path) }),
  ResponseValue: (v, path) => (isObject(v) && '$ref' in v ? { json_reference: message('JsonReference', v, path) } : { response: message('Response', v, path) }),
  Parameter: (v, path) =>
    objectAt(v, path).in === 'body' ? { body_parameter: message('BodyParameter', v, path) } : { non_body_parameter: message('NonBodyParameter', v, path) },
  NonBodyParameter: (v, path) => {
    const where = objectAt(v, path).in;
    if (where === 'query') return { query_parameter_sub_schema: message('QueryParameterSubSchema', v, path) };
    if (where === 'path') return { path_parameter_sub_schema: message('PathParameterSubSchema', v, path) };
    return fail(path, `has a parameter "in": ${JSON.stringify(where)} this encoder does not write`);
  },
  SchemaItem: (v, path) => {
    if (objectAt(v, path).type === 'file') fail(path, 'is a file schema, which this encoder does not write');
    return { schema: message('Schema', v, path) };
  },
  SecurityDefinitionsItem: (v, path) => {
    const type = objectAt(v, path).type;
    if (type === 'apiKey') return { api_key_security: message('ApiKeySecurity', v, path) };
    if (type === 'basic') return { basic_authentication_security: message('BasicAuthenticationSecurity', v, path) };
    return fail(path, `has a security type ${JSON.stringify(type)} this encoder does not write`);
  },
};

/** Objects keyed by name (paths, response codes) kept beside their x-* extensions in one message. */
const NAMED_FIELD: Record<string, string> = { Paths: 'path', Responses: 'response_code' };

/** The proto field of a JSON key: "$ref" is _ref, camelCase is snake_case. */
const fieldName = (key: string) => (key === '$ref' ? '_ref' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

function scalar(field: protobuf.Field, v: unknown, path: string): unknown {
  switch (field.type) {
    case 'string':
      if (typeof v !== 'string') fail(path, 'must be a string');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') fail(path, 'must be a boolean');
      return v;
    case 'double':
      if (typeof v !== 'number') fail(path, 'must be a number');
      return v;
    case 'int64':
      if (!Number.isSafeInteger(v)) fail(path, 'must be an integer');
      return v;
    default:
      if (!field.resolvedType) fail(path, `has a field of type ${field.type} this encoder does not know`);
      return message(field.resolvedType.name, v, path);
  }
}

function value(field: protobuf.Field, v: unknown, path: string): unknown {
  if (!field.repeated) return scalar(field, v, path);
  if (!Array.isArray(v)) fail(path, 'must be an array');
  return v.map((item, i) => scalar(field, item, `${path}[${i}]`));
}

/** Name/value pairs, in the object's order (gnostic's Named* messages). */
function namedPairs(field: protobuf.Field, v: unknown, path: string): Message[] {
  const valueField = (field.resolvedType as protobuf.Type).fields.value!;
  return Object.entries(objectAt(v, path)).map(([name, item]) => ({ name, value: scalar(valueField, item, `${path}.${name}`) }));
}

/** One JSON value as the plain object of the message type `typeName`, ready for Type.encode. */
function message(typeName: string, json: unknown, path: string): Message {
  const shape = SHAPES[typeName];
  if (shape) return shape(json, path);
  const type = gnosticV2Type(typeName);
  const fields = type.fields;
  const obj = objectAt(json, path);
  // Map-shaped messages (Definitions, Properties, SecurityRequirement...): one repeated pair field.
  if (Object.keys(fields).length === 1 && fields.additional_properties) return { additional_properties: namedPairs(fields.additional_properties, obj, path) };
  const out: Message = {};
  const named = NAMED_FIELD[typeName];
  const entries: JsonObject = {};
  for (const [key, v] of Object.entries(obj)) {
    const at = `${path}.${key}`;
    if (key.startsWith('x-') && fields.vendor_extension) {
      ((out.vendor_extension ??= []) as Message[]).push({ name: key, value: anyOf(v) });
    } else if (named) {
      entries[key] = v;
    } else {
      const field = fields[fieldName(key)];
      if (!field || field.partOf) fail(at, `is not a field of openapi.v2.${typeName}`);
      const converted = value(field, v, at);
      // Proto3 writes no zero scalar (Go's proto.Marshal neither); protobufjs would write one that is set.
      if (converted !== false && converted !== 0 && converted !== '') out[field.name] = converted;
    }
  }
  if (named) out[named] = namedPairs(fields[named]!, entries, path);
  return out;
}

/** The Swagger 2.0 document as an encoded openapi.v2.Document. */
export function encodeOpenAPIV2(doc: JsonObject): Buffer {
  const type = gnosticV2Type('Document');
  yamlMemo = new Map();
  try {
    return Buffer.from(type.encode(message('Document', doc, '')).finish());
  } finally {
    yamlMemo = undefined;
  }
}
