// Field selectors ("metadata.name=a,status.phase!=Running"), as k8s.io/apimachinery/pkg/fields.

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorParseError';
  }
}

/** Splits on unescaped commas; values may escape ',', '=' and '\' with a backslash. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const s = input.trim();
  if (!s) return [];
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((part) => {
    // The first operator splits field from value; found by one scan (a lazy regex here took
    // quadratic time on a field of spaces with no operator, in a 16 KiB query string).
    const t = part.trim();
    const at = t.search(/!=|==|=/);
    const field = at > 0 ? t.slice(0, at).trimEnd() : '';
    if (!field || field.includes('!')) throw new FieldSelectorParseError(`invalid selector: '${input}'; can't understand '${part}'`);
    const op = t.startsWith('!=', at) ? '!=' : t.startsWith('==', at) ? '==' : '=';
    const value = t.slice(at + op.length).trimStart().replace(/\\(.)/g, '$1');
    return { field, operator: op === '!=' ? '!=' : '=', value };
  });
}

/** Checks requirements against a flat field set (the per-resource "GetAttrs"). */
export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => {
    // Own fields only: "constructor" is not a field of every object.
    const v = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
    return r.operator === '=' ? v === r.value : v !== r.value;
  });
}
