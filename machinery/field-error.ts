// Field errors as k8s.io/apimachinery/pkg/util/validation/field formats them:
// "<path>: <type>: <detail>", type names and cause reasons verbatim.

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** Shown for Invalid, NotSupported, Duplicate, NotFound. */
  value?: unknown;
  detail?: string;
  /** Set when the bad value must not be echoed (secrets). */
  omitValue?: boolean;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

// field.TooMany shows the actual count too: "Too many: 3: must have at most 2 items".
const SHOWS_VALUE = new Set<FieldErrorType>(['FieldValueInvalid', 'FieldValueNotSupported', 'FieldValueDuplicate', 'FieldValueNotFound', 'FieldValueTypeInvalid', 'FieldValueTooMany']);

/** Formats a value as upstream does in messages: strings quoted, numbers plain, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** The error without its field path, as in StatusCause.message. */
export function fieldErrorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (SHOWS_VALUE.has(e.type) && !e.omitValue) {
    s += `: ${formatValue(e.value)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** utilerrors.NewAggregate(...).Error(): one message, or "[a, b]" with duplicates removed. */
export function aggregateMessage(errors: FieldError[]): string {
  const msgs: string[] = [];
  for (const e of errors) {
    const m = fieldErrorString(e);
    if (!msgs.includes(m)) msgs.push(m);
  }
  if (msgs.length === 0) return '';
  if (msgs.length === 1) return msgs[0];
  return `[${msgs.join(', ')}]`;
}

/** A field path builder: path.child('spec').child('containers').index(0).toString(). */
export class FieldPath {
  private readonly parts: string;

  constructor(parts = '') {
    this.parts = parts;
  }

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  child(name: string, ...more: string[]): FieldPath {
    let p = this.parts ? `${this.parts}.${name}` : name;
    for (const m of more) p += `.${m}`;
    return new FieldPath(p);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.parts}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.parts}[${k}]`);
  }

  toString(): string {
    return this.parts;
  }
}

type PathLike = FieldPath | string;
const p = (path: PathLike): string => path.toString();

export const fieldErrors = {
  required: (path: PathLike, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: p(path), detail }),
  invalid: (path: PathLike, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field: p(path), value, detail }),
  notSupported: (path: PathLike, value: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: p(path),
    value,
    detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
  }),
  forbidden: (path: PathLike, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: p(path), detail }),
  duplicate: (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: p(path), value }),
  notFound: (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: p(path), value }),
  tooLong: (path: PathLike, max: number): FieldError => ({ type: 'FieldValueTooLong', field: p(path), detail: `may not be more than ${max} bytes` }),
  tooMany: (path: PathLike, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field: p(path),
    detail: `must have at most ${max} items`,
    value: actual,
  }),
  internal: (path: PathLike, detail: string): FieldError => ({ type: 'InternalError', field: p(path), detail }),
};
