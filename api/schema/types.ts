// A small structural schema for the wire types, written once and used for:
// strict decoding (unknown fields, wrong types), strategic merge patch (merge keys),
// quantity checks, and the OpenAPI v3 documents kubectl reads.
// Shapes follow OpenAPI v3 with Kubernetes' x-kubernetes-* extensions in plain names.

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | ObjectSchema
  | MapSchema
  | ArraySchema
  | IntOrStringSchema
  | QuantitySchema
  | AnySchema
  | RefSchema;

interface Described {
  description?: string;
}

export interface StringSchema extends Described {
  type: 'string';
  /** 'date-time' for metav1.Time, 'byte' for base64 data. */
  format?: 'date-time' | 'byte';
  enum?: string[];
}

export interface IntegerSchema extends Described {
  type: 'integer';
  format?: 'int32' | 'int64';
}

export interface NumberSchema extends Described {
  type: 'number';
}

export interface BooleanSchema extends Described {
  type: 'boolean';
}

export interface ObjectSchema extends Described {
  type: 'object';
  properties: Record<string, Schema>;
  required?: string[];
}

/** An object with free keys (labels, data): additionalProperties. */
export interface MapSchema extends Described {
  type: 'map';
  values: Schema;
}

export interface ArraySchema extends Described {
  type: 'array';
  items: Schema;
  /** Strategic merge: lists of objects merged by this key (x-kubernetes-patch-merge-key). */
  mergeKey?: string;
  /** Strategic merge strategy (x-kubernetes-patch-strategy); absent means replace. */
  patchStrategy?: 'merge' | 'merge,retainKeys';
  /** x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

/** intstr.IntOrString (ports in probes). */
export interface IntOrStringSchema extends Described {
  type: 'int-or-string';
}

/** resource.Quantity: a string (or number) matching the quantity grammar. */
export interface QuantitySchema extends Described {
  type: 'quantity';
}

/** Anything: kept as sent, never reported as unknown (x-kubernetes-preserve-unknown-fields). */
export interface AnySchema extends Described {
  type: 'any';
}

/** A named definition, resolved through a Definitions table. */
export interface RefSchema extends Described {
  type: 'ref';
  ref: string;
}

export type Definitions = Record<string, Schema>;
