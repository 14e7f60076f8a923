// The JSON paths of printer columns (upstream evaluates them with client-go's jsonpath inside
// "{...}"): ".a.b", ".a[0]", ".a[*].b", ".a['b.c']" and the filter ".a[?(@.type=="Ready")].status",
// which is what CRDs use in practice. Returns every value found (none: the column is empty).

type Step = { key: string } | { index: number } | { all: true } | { filter: { path: string[]; value: unknown } };

const cache = new Map<string, Step[] | null>();

export function parseJsonPath(path: string): Step[] | null {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const steps: Step[] = [];
  let s = path.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  let i = 0;
  let ok = true;
  while (i < s.length && ok) {
    if (s[i] === '.') {
      const m = /^\.([A-Za-z0-9_-]+)/.exec(s.slice(i));
      if (!m) ok = false;
      else {
        steps.push({ key: m[1]! });
        i += m[0].length;
      }
    } else if (s[i] === '[') {
      const rest = s.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
      else if ((m = /^\[\*\]/.exec(rest))) steps.push({ all: true });
      else if ((m = /^\['([^']*)'\]/.exec(rest)) || (m = /^\["([^"]*)"\]/.exec(rest))) steps.push({ key: m[1]! });
      else if ((m = /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?|true|false))\)\]/.exec(rest))) {
        const value = m[2] ?? m[3] ?? JSON.parse(m[4]!);
        steps.push({ filter: { path: m[1]!.slice(1).split('.'), value } });
      } else ok = false;
      if (m) i += m[0].length;
    } else ok = false;
  }
  const out = ok && steps.length ? steps : null;
  cache.set(path, out);
  return out;
}

function get(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

export function evaluateJsonPath(obj: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  if (!steps) return [];
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('key' in step) {
        const x = get(v, step.key);
        if (x !== undefined) next.push(x);
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          let x: unknown = item;
          for (const k of step.filter.path) x = get(x, k);
          if (x === step.filter.value) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
