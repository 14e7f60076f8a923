// The request target every request and upgrade is decided on. The router decodes
// percent-encodings while an authenticator that looked at the raw URL would not, so the two
// could see different paths (/%61pi is /api to the router). This turns a raw target into the
// one normalized form both see, or refuses it when it would normalize differently or
// ambiguously somewhere else (RFC 3986 §6.2.2: case and percent-encoding normalization;
// §5.2.4: dot segments, which we refuse rather than remove).

export type RequestTarget = { ok: true; path: string; url: string } | { ok: false; reason: string };

// RFC 3986 unreserved: the only bytes whose percent-encoding is decoded (§6.2.2.2).
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// pchar without pct-encoded and without ';' (path parameters are refused): unreserved,
// sub-delims but ';', ':' and '@'.
const PATH_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,=:@]$/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function refuse(reason: string): RequestTarget {
  return { ok: false, reason };
}

/** Bytes that may not appear percent-encoded, and why. */
function forbiddenEncoded(byte: number): string | undefined {
  if (byte === 0x2f) return 'an encoded "/" (%2F)';
  if (byte === 0x5c) return 'an encoded "\\" (%5C)';
  if (byte === 0x25) return 'an encoded "%" (%25, double encoding)';
  if (byte === 0x3b) return 'an encoded ";" (%3B)';
  if (byte < 0x20 || byte === 0x7f) return 'an encoded control character';
  return undefined;
}

/** One path segment in normal form: unreserved bytes decoded, every other escape upper-cased. */
function normalizeSegment(segment: string): { ok: true; value: string } | { ok: false; reason: string } {
  let out = '';
  // Non-ASCII bytes of the segment, checked as UTF-8 together (a sequence may span escapes).
  const high: number[] = [];
  const flushHigh = (): string | undefined => {
    if (!high.length) return undefined;
    try {
      utf8.decode(Uint8Array.from(high));
    } catch {
      return 'invalid or overlong UTF-8';
    }
    high.length = 0;
    return undefined;
  };
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '%') {
      const hex = segment.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return { ok: false, reason: 'a "%" that is not followed by two hexadecimal digits' };
      i += 2;
      const byte = parseInt(hex, 16);
      if (byte >= 0x80) {
        high.push(byte);
        out += `%${hex.toUpperCase()}`;
        continue;
      }
      const bad = flushHigh() ?? forbiddenEncoded(byte);
      if (bad) return { ok: false, reason: bad };
      const ch = String.fromCharCode(byte);
      out += UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
      continue;
    }
    const bad = flushHigh();
    if (bad) return { ok: false, reason: bad };
    if (c === ';') return { ok: false, reason: 'a ";" (path parameters)' };
    if (c === '\\') return { ok: false, reason: 'a "\\"' };
    if (!PATH_CHAR.test(c)) return { ok: false, reason: `the character ${JSON.stringify(c)}` };
    out += c;
  }
  const bad = flushHigh();
  if (bad) return { ok: false, reason: bad };
  if (out === '.' || out === '..') return { ok: false, reason: 'a "." or ".." segment' };
  return { ok: true, value: out };
}

/**
 * The normalized origin-form of a raw request target (`req.url` as Node read it from the
 * request line). Only origin-form is taken: absolute-form (`http://host/path`), authority-form
 * (CONNECT's `host:port`, which Node hands to 'connect' anyway) and asterisk-form (`OPTIONS *`)
 * are refused. The query is kept byte for byte; it is not part of the routing decision.
 */
export function normalizeRequestTarget(raw: string | undefined): RequestTarget {
  if (!raw) return refuse('an empty request target');
  if (raw === '*') return refuse('the asterisk-form request target "*"');
  if (raw[0] !== '/') return refuse('a request target that is not a path (absolute-form or authority-form)');
  if (raw.startsWith('//')) return refuse('an empty path segment ("//")');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q);
  if (path.includes('#')) return refuse('a "#" in the path');
  for (let i = 0; i < query.length; i++) {
    const code = query.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return refuse('a control, space or non-ASCII character in the query');
  }
  const segments = path.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    // One trailing "/" is allowed ("/api/"); an empty segment anywhere else is "//".
    if (segment === '') {
      if (i === segments.length - 1) {
        out.push('');
        continue;
      }
      return refuse('an empty path segment ("//")');
    }
    const n = normalizeSegment(segment);
    if (!n.ok) return refuse(n.reason);
    out.push(n.value);
  }
  const normalized = `/${out.join('/')}`;
  return { ok: true, path: normalized, url: normalized + query };
}
