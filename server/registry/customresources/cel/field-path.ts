// A rule's fieldPath (upstream: apiextensions' cel.ValidFieldPath): a relative JSON path of
// `.name` and `['name']` steps that must name a declared property (or a key of a map), turned
// into the field path an error is reported at (`.spec.labels['a']` → "spec.labels[a]").
import type { JSONSchemaProps } from '../../../../api/index.js';

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j]!)) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

export function normalizeRuleFieldPath(path: string, schema: JSONSchemaProps): { path: string } | { error: string } {
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  const step = (name: string): string | undefined => {
    if (s?.properties) {
      const next: JSONSchemaProps | undefined = s.properties[name];
      if (!next) return 'does not refer to a valid field';
      out = out ? `${out}.${name}` : name;
      s = next;
      return undefined;
    }
    if (s && typeof s.additionalProperties === 'object') {
      out = `${out}[${name}]`;
      s = s.additionalProperties as JSONSchemaProps;
      return undefined;
    }
    return 'does not refer to a valid field';
  };
  const ts = tokens(path);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t === '.') {
      const name = ts[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      const err = step(name);
      if (err) return { error: err };
    } else if (t === '[') {
      const quoted = ts[++i];
      if (quoted === undefined) return { error: 'unexpected end of JSON path' };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return { error: `expected single quoted string but got ${quoted}` };
      let bad: string | undefined;
      const name = quoted.slice(1, -1).replace(/\\./g, (m) => ESCAPES[m[1]!] ?? ((bad ??= m), ''));
      if (bad) return { error: `invalid string literal: invalid escape char ${bad}` };
      const err = step(name);
      if (err) return { error: err };
      const close = ts[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else {
      return { error: `expected [ or . but got: ${t}` };
    }
  }
  return { path: out };
}
