// Linear scans of a request body before any parser sees it. A parser given 2 MB of `[` recurses
// (or, for YAML, works quadratically) long before it could refuse the input, and our own
// recursive code (strict decoding, patches, validation) would overflow the stack on a deep value:
// upstream's decoders stop at a nesting depth (encoding/json and go-yaml at 10000); so do we, at a
// depth no Kubernetes object comes near, before parsing. The same scan validates JSON syntax, so
// a parse error is reported by position and kind only: no error echoes request content.

/**
 * The deepest nesting a body may have. Kubernetes objects stay under ~20 levels (a CronJob's
 * pod affinity terms); every recursion of ours is exercised at this depth by the tests.
 */
export const MAX_NESTING_DEPTH = 500;

/**
 * The most values (list items, map entries, scalars) a JSON or protobuf body may hold. Parsing
 * is fast, but what follows on the event loop (strict decoding, validation of every label key,
 * storage, the answer) costs about 2.7 µs a value: 100,000 label keys held the loop 270 ms,
 * 200,000 over a second. At 50,000 the worst body holds it about 140 ms. Kubernetes objects hold
 * hundreds to a few thousand values; a ConfigMap is limited to 1 MiB of data anyway.
 */
export const MAX_JSON_NODES = 50_000;

/**
 * The most collection entries a YAML body may hold, the same bound. The yaml library (on a
 * worker thread for large bodies) spends about 5 µs and 300 bytes a node: 3 MiB of `1,1,1,...`
 * (1.5 million nodes) took 8 s and more than 512 MB.
 */
export const MAX_YAML_NODES = MAX_JSON_NODES;

export interface BodyScanError {
  /** Offset in the text (UTF-16 units) of the problem. */
  offset: number;
  line: number;
  column: number;
  /** What is wrong, in a few words, without quoting the input. */
  reason: string;
  tooDeep: boolean;
  /** Too many values: upstream would decode them, but the event loop cannot afford to. */
  tooLarge?: boolean;
}

function scanError(text: string, offset: number, reason: string, tooDeep = false): BodyScanError {
  const { line, column } = lineColumn(text, offset);
  return { offset, line, column, reason, tooDeep };
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function depthReason(maxDepth: number): string {
  return `exceeded max depth of ${maxDepth}`;
}

const C = {
  Tab: 9,
  LF: 10,
  CR: 13,
  Space: 32,
  Quote: 34,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Zero: 48,
  Nine: 57,
  Colon: 58,
  Open: 91,
  Backslash: 92,
  Close: 93,
  E: 69,
  e: 101,
  u: 117,
  Brace: 123,
  BraceClose: 125,
} as const;

function isWs(c: number): boolean {
  return c === C.Space || c === C.LF || c === C.CR || c === C.Tab;
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Checks that `text` is one JSON value nested at most maxDepth deep, in one pass without
 * recursion. Returns the first problem, or undefined when JSON.parse will accept the text.
 */
export function checkJson(text: string, maxDepth = MAX_NESTING_DEPTH, maxNodes = MAX_JSON_NODES): BodyScanError | undefined {
  const n = text.length;
  let nodes = 0;
  const stack: number[] = [];
  // What may come next: a value, a key, ':' or the end of a container.
  let expect = 'value' as 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';
  let i = 0;
  const afterValue = () => {
    expect = stack.length === 0 ? 'end' : 'commaOrClose';
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWs(c)) {
      i++;
      continue;
    }
    switch (expect) {
      case 'end':
        return scanError(text, i, 'invalid character after top-level value');
      case 'colon':
        if (c !== C.Colon) return scanError(text, i, 'invalid character after object key');
        i++;
        expect = 'value';
        continue;
      case 'commaOrClose': {
        const top = stack[stack.length - 1];
        if (c === C.Comma) {
          i++;
          expect = top === C.Brace ? 'key' : 'value';
          continue;
        }
        if ((top === C.Brace && c === C.BraceClose) || (top === C.Open && c === C.Close)) {
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        return scanError(text, i, top === C.Brace ? 'invalid character after object key:value pair' : 'invalid character after array element');
      }
      case 'key':
      case 'keyOrClose':
        if (c === C.BraceClose && expect === 'keyOrClose') {
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (c !== C.Quote) return scanError(text, i, 'invalid character looking for beginning of object key string');
        {
          const end = scanJsonString(text, i);
          if (end < 0) return scanError(text, -end, end === -n ? 'unexpected end of JSON input' : 'invalid character in string literal');
          i = end;
        }
        expect = 'colon';
        continue;
      case 'value':
      case 'valueOrClose': {
        if (c === C.Close && expect === 'valueOrClose') {
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (++nodes > maxNodes) return { ...scanError(text, i, `more than ${maxNodes} values`), tooLarge: true };
        if (c === C.Brace || c === C.Open) {
          if (stack.length >= maxDepth) return scanError(text, i, depthReason(maxDepth), true);
          stack.push(c);
          i++;
          expect = c === C.Brace ? 'keyOrClose' : 'valueOrClose';
          continue;
        }
        if (c === C.Quote) {
          const end = scanJsonString(text, i);
          if (end < 0) return scanError(text, -end, end === -n ? 'unexpected end of JSON input' : 'invalid character in string literal');
          i = end;
          afterValue();
          continue;
        }
        if (c === C.Minus || isDigit(c)) {
          const end = scanJsonNumber(text, i);
          if (end < 0) return scanError(text, -end, -end >= n ? 'unexpected end of JSON input' : 'invalid character in numeric literal');
          i = end;
          afterValue();
          continue;
        }
        const literal = text.startsWith('true', i) ? 4 : text.startsWith('null', i) ? 4 : text.startsWith('false', i) ? 5 : 0;
        if (literal) {
          i += literal;
          afterValue();
          continue;
        }
        return scanError(text, i, 'invalid character looking for beginning of value');
      }
    }
  }
  if (expect !== 'end') return scanError(text, n, 'unexpected end of JSON input');
  return undefined;
}

/** The offset after a JSON string starting at i, or minus the offset of the problem. */
function scanJsonString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Quote) return i + 1;
    if (c < 0x20) return -i;
    if (c === C.Backslash) {
      const e = text.charCodeAt(i + 1);
      if (i + 1 >= n) return -n;
      if (e === C.u) {
        for (let k = 2; k < 6; k++) {
          if (i + k >= n) return -n;
          if (!isHex(text.charCodeAt(i + k))) return -(i + k);
        }
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== C.Quote && e !== C.Backslash && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return -(i + 1);
      i += 2;
      continue;
    }
    i++;
  }
  return -n;
}

/** The offset after a JSON number starting at i, or minus the offset of the problem. */
function scanJsonNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === C.Minus) i++;
  const digits = () => {
    const from = i;
    while (isDigit(text.charCodeAt(i))) i++;
    return i - from;
  };
  if (text.charCodeAt(i) === C.Zero) i++;
  else if (digits() === 0) return -i;
  if (text.charCodeAt(i) === C.Dot) {
    i++;
    if (digits() === 0) return -i;
  }
  const e = text.charCodeAt(i);
  if (e === C.e || e === C.E) {
    i++;
    const s = text.charCodeAt(i);
    if (s === C.Plus || s === C.Minus) i++;
    if (digits() === 0) return -i;
  }
  return i;
}

/**
 * Bounds the nesting of a YAML text without parsing it: flow collections (`[`, `{`) are counted
 * outside quoted scalars and comments, block collections by indentation (a block level can sit
 * at its parent's indentation, so each indentation step counts two) and by compact `- `, `? `
 * indicators; block scalars (`|`, `>`) are skipped. The count never falls below the real depth
 * (it may exceed it on odd text), so a text that passes cannot make the parser go deeper.
 */
export function checkYamlDepth(text: string, maxDepth = MAX_NESTING_DEPTH, maxNodes = MAX_YAML_NODES): BodyScanError | undefined {
  const n = text.length;
  // Entries seen so far: one a block line or compact indicator, one a flow comma or bracket.
  const counter = { nodes: 0 };
  const indents: number[] = [];
  let blockScalarParent = -1;
  let i = 0;
  while (i < n) {
    // ---- a line in block context
    const lineStart = i;
    let indent = 0;
    while (i < n && text.charCodeAt(i) === C.Space) {
      indent++;
      i++;
    }
    const c0 = text.charCodeAt(i);
    if (i >= n || c0 === C.LF || c0 === C.CR || c0 === 35 /* # */) {
      i = skipLine(text, i);
      continue;
    }
    if (blockScalarParent >= 0) {
      if (indent > blockScalarParent) {
        i = skipLine(text, i);
        continue;
      }
      blockScalarParent = -1;
    }
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 >= n || isWs(text.charCodeAt(i + 3)))) {
      indents.length = 0;
      i += 3;
    } else {
      while (indents.length && indents[indents.length - 1] > indent) indents.pop();
      if (!indents.length || indents[indents.length - 1] < indent) indents.push(indent);
      if (2 * indents.length > maxDepth) return scanError(text, i, depthReason(maxDepth), true);
    }
    if (++counter.nodes > maxNodes) return tooManyNodes(text, i, maxNodes);
    let compact = 0;
    const blockDepth = () => 2 * indents.length + compact;
    // Scan the rest of the line (flows and quoted scalars may run over several lines).
    let tokenStart = true;
    let afterJsonLike = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.LF) {
        i++;
        break;
      }
      if (c === C.Space || c === C.Tab || c === C.CR) {
        i++;
        continue;
      }
      const next = i + 1 < n ? text.charCodeAt(i + 1) : C.LF;
      const nextIsBlank = isWs(next);
      if (c === 35 /* # */ && (i === lineStart || isWs(text.charCodeAt(i - 1)))) {
        i = skipLine(text, i);
        break;
      }
      if (tokenStart && (c === C.Minus || c === 63 /* ? */) && nextIsBlank) {
        compact++;
        if (blockDepth() > maxDepth) return scanError(text, i, depthReason(maxDepth), true);
        if (++counter.nodes > maxNodes) return tooManyNodes(text, i, maxNodes);
        i++;
        continue;
      }
      if (c === C.Colon && (nextIsBlank || afterJsonLike)) {
        tokenStart = true;
        afterJsonLike = false;
        i++;
        continue;
      }
      if (tokenStart && (c === 124 /* | */ || c === 62 /* > */)) {
        blockScalarParent = indent;
        i = skipLine(text, i);
        break;
      }
      if (tokenStart && (c === 38 /* & */ || c === 33 /* ! */)) {
        // An anchor or a tag: the node it belongs to starts after it.
        i = skipProperty(text, i);
        continue;
      }
      if (tokenStart && (c === C.Quote || c === 39)) {
        i = skipQuoted(text, i);
        tokenStart = false;
        afterJsonLike = true;
        continue;
      }
      if (tokenStart && (c === C.Open || c === C.Brace)) {
        const r = scanFlow(text, i, blockDepth(), maxDepth, counter, maxNodes);
        if (typeof r !== 'number') return r;
        i = r;
        tokenStart = false;
        afterJsonLike = true;
        continue;
      }
      tokenStart = false;
      afterJsonLike = false;
      i++;
    }
  }
  return undefined;
}

function tooManyNodes(text: string, offset: number, maxNodes: number): BodyScanError {
  return { ...scanError(text, offset, `more than ${maxNodes} YAML nodes; send a document this large as JSON`), tooLarge: true };
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl + 1;
}

/** The offset after a quoted scalar starting at i (YAML escapes: \x in "...", '' in '...'). */
function skipQuoted(text: string, start: number): number {
  const n = text.length;
  const q = text.charCodeAt(start);
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (q === C.Quote && c === C.Backslash) {
      i += 2;
      continue;
    }
    if (c === q) {
      if (q === 39 && text.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

/** Scans a flow collection starting at i; returns the offset after it, or the depth error. */
function scanFlow(text: string, start: number, base: number, maxDepth: number, counter: { nodes: number }, maxNodes: number): number | BodyScanError {
  const n = text.length;
  let depth = 0;
  let tokenStart = true;
  let afterJsonLike = false;
  let i = start;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Open || c === C.Brace) {
      depth++;
      if (base + depth > maxDepth) return scanError(text, i, depthReason(maxDepth), true);
      if (++counter.nodes > maxNodes) return tooManyNodes(text, i, maxNodes);
      tokenStart = true;
      afterJsonLike = false;
      i++;
      continue;
    }
    if (c === C.Close || c === C.BraceClose) {
      depth--;
      i++;
      if (depth <= 0) return i;
      tokenStart = false;
      afterJsonLike = true;
      continue;
    }
    if (c === C.Comma) {
      if (++counter.nodes > maxNodes) return tooManyNodes(text, i, maxNodes);
      tokenStart = true;
      afterJsonLike = false;
      i++;
      continue;
    }
    if (isWs(c)) {
      i++;
      continue;
    }
    if (c === 35 /* # */ && isWs(text.charCodeAt(i - 1))) {
      i = skipLine(text, i);
      continue;
    }
    const next = i + 1 < n ? text.charCodeAt(i + 1) : C.LF;
    if ((c === C.Colon || c === 63 /* ? */) && (isWs(next) || next === C.Comma || afterJsonLike)) {
      tokenStart = true;
      afterJsonLike = false;
      i++;
      continue;
    }
    if (tokenStart && (c === 38 /* & */ || c === 33 /* ! */)) {
      i = skipProperty(text, i);
      continue;
    }
    if (tokenStart && (c === C.Quote || c === 39)) {
      i = skipQuoted(text, i);
      tokenStart = false;
      afterJsonLike = true;
      continue;
    }
    tokenStart = false;
    afterJsonLike = false;
    i++;
  }
  return n;
}

/** The offset after an anchor (&a) or tag (!t, !!str, !<...>): up to a blank or a flow indicator. */
function skipProperty(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWs(c) || c === C.Comma || c === C.Open || c === C.Close || c === C.Brace || c === C.BraceClose) break;
    i++;
  }
  return i;
}
