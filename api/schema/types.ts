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
  /**
   * Kubernetes protobuf: each property's field in upstream's generated.proto. Properties
   * without one are not in the message (apiVersion and kind travel in the runtime.Unknown
   * envelope). See ProtoField.
   */
  proto?: Record<string, ProtoField>;
}

/** A property's protobuf field: its number, or the number with the facts below. */
export type ProtoField = number | ProtoFieldSpec;

export interface ProtoFieldSpec {
  /** Field number in upstream's generated.proto. */
  field: number;
  /**
   * A zero value on the wire is a value JSON keeps (Go pointer, or no omitempty in the
   * JSON tag). Go writes non-pointer scalars to protobuf even when zero, so without this
   * a zero ("" / 0 / false) is decoded as unset and left out, as Go's omitempty would.
   */
  keepZero?: boolean;
  /**
   * The field lives in the embedded message at this field number (a Go struct inlined into
   * the JSON object, e.g. Volume's VolumeSource at 2, Probe's ProbeHandler at 1).
   */
  inline?: number;
  /** The protobuf message when the JSON schema alone does not say it. */
  message?: ProtoMessage;
}

/**
 * Messages the JSON schema cannot tell apart: MicroTime (a date-time string with
 * microseconds), FieldsV1 and RawExtension (raw JSON bytes), Verbs (a wrapped string list).
 */
export type ProtoMessage = 'MicroTime' | 'FieldsV1' | 'RawExtension' | 'Verbs';

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
