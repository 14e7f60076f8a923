// Wildcard paths for files inside containers (the log service's "text-file paths with
// wildcards"): `*`, `?` and `[...]` match within one path segment as Go's filepath.Match does;
// a segment that is exactly `**` matches any number of directories.

const GLOB_CHARS = /[*?[]/;

/** An absolute path inside a container with `.`, `..` and repeated slashes resolved (`..` stops at `/`). */
export function normalizeContainerPath(p: string): string {
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (!s || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return '/' + parts.join('/');
}

/** True when the string has a wildcard. */
export function hasGlob(s: string): boolean {
  return GLOB_CHARS.test(s);
}

/** A RegExp for one path segment (no `/` inside). */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < segment.length) re += escapeRe(segment[++i]);
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, (m) => '\\' + m)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function splitPath(p: string): string[] {
  return p.split('/').filter((s) => s !== '');
}

/** Whether absolute `path` matches absolute `pattern`. */
export function matchPathGlob(pattern: string, path: string): boolean {
  const pats = splitPath(pattern).map((s) => (s === '**' ? null : segmentRegExp(s)));
  const segs = splitPath(path);
  const memo = new Map<string, boolean>();
  const go = (pi: number, si: number): boolean => {
    const key = `${pi}:${si}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let ok: boolean;
    if (pi === pats.length) ok = si === segs.length;
    else {
      const p = pats[pi];
      if (p === null) ok = go(pi + 1, si) || (si < segs.length && go(pi, si + 1));
      else ok = si < segs.length && p.test(segs[si]) && go(pi + 1, si + 1);
    }
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

/** The longest directory of `pattern` without wildcards: where a search must start. */
export function globBase(pattern: string): string {
  const segs = splitPath(pattern);
  const out: string[] = [];
  for (const s of segs) {
    if (hasGlob(s)) break;
    out.push(s);
  }
  if (out.length === segs.length) out.pop(); // no wildcard: the file's directory
  return '/' + out.join('/');
}
