// Label selectors: the string syntax of k8s.io/apimachinery/pkg/labels
// ("a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1") and the metav1.LabelSelector form.
import type { LabelSelector } from '../api/index.js';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** A parsed selector; an empty one matches everything. */
export class Selector {
  readonly requirements: Requirement[];

  constructor(requirements: Requirement[]) {
    this.requirements = requirements;
  }

  static everything(): Selector {
    return new Selector([]);
  }

  /** A selector that matches nothing (metav1 nil selector semantics in some callers). */
  static nothing(): Selector {
    return new Selector([{ key: '', operator: 'in', values: [] }]);
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => matchesRequirement(r, l));
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function matchesRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(v);
      if (!Number.isInteger(n)) return false;
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

const KEY_CHARS = /[A-Za-z0-9._\-/]/;
const VALUE_CHARS = /[A-Za-z0-9._\-]/;

/** Parses the string form. Throws SelectorParseError with upstream-like messages. */
export function parseLabelSelector(input: string): Selector {
  const s = input.trim();
  if (s === '') return Selector.everything();
  let i = 0;
  const reqs: Requirement[] = [];

  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const readWhile = (re: RegExp): string => {
    const start = i;
    while (i < s.length && re.test(s[i])) i++;
    return s.slice(start, i);
  };

  for (;;) {
    skipWs();
    if (s[i] === '!') {
      i++;
      skipWs();
      const key = readWhile(KEY_CHARS);
      if (!key) throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: identifier`);
      reqs.push({ key, operator: '!', values: [] });
    } else {
      const key = readWhile(KEY_CHARS);
      if (!key) throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: identifier`);
      skipWs();
      const rest = s.slice(i);
      if (i >= s.length || s[i] === ',') {
        reqs.push({ key, operator: 'exists', values: [] });
      } else if (rest.startsWith('==') || rest.startsWith('!=') || rest.startsWith('=')) {
        const op: Operator = rest.startsWith('==') ? '==' : rest.startsWith('!=') ? '!=' : '=';
        i += op.length;
        skipWs();
        const value = readWhile(VALUE_CHARS);
        reqs.push({ key, operator: op === '==' ? '=' : op, values: [value] });
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        const op: Operator = rest.startsWith('>') ? 'gt' : 'lt';
        i += 1;
        skipWs();
        const value = readWhile(/[0-9\-]/);
        if (!/^-?[0-9]+$/.test(value)) throw new SelectorParseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key, operator: op, values: [value] });
      } else if (/^(in|notin)\s*\(/.test(rest)) {
        const op: Operator = rest.startsWith('notin') ? 'notin' : 'in';
        i += op.length;
        skipWs();
        i++; // (
        const values: string[] = [];
        for (;;) {
          skipWs();
          const v = readWhile(VALUE_CHARS);
          values.push(v);
          skipWs();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: ',', ')'`);
        }
        if (op === 'in' && values.length === 1 && values[0] === '') {
          throw new SelectorParseError(`for 'in', 'notin' operators, values set can't be empty`);
        }
        reqs.push({ key, operator: op, values });
      } else {
        throw new SelectorParseError(`unable to parse requirement: found '${s[i]}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') throw new SelectorParseError(`found '${s[i]}', expected: ',' or 'end of string'`);
    i++;
  }
  return new Selector(reqs);
}

/** metav1.LabelSelectorAsSelector: nil matches nothing, {} matches everything. */
export function labelSelectorAsSelector(sel: LabelSelector | undefined | null): Selector {
  if (!sel) return Selector.nothing();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, operator: 'in', values: [...(e.values ?? [])] });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, operator: 'notin', values: [...(e.values ?? [])] });
        break;
      case 'Exists':
        reqs.push({ key: e.key, operator: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, operator: '!', values: [] });
        break;
      default:
        throw new SelectorParseError(`"${String(e.operator)}" is not a valid label selector operator`);
    }
  }
  return new Selector(reqs);
}

/** "a=b,c=d" for a plain label map, as kubectl prints selectors. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
