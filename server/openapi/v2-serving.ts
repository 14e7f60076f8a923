// GET /openapi/v2 as kube-openapi's handler answers it (pkg/handler/handler.go): JSON or gnostic
// protobuf by the Accept header (first acceptable clause by q; nothing acceptable is a bare 406),
// `Vary: Accept`, one ETag for both forms (the SHA-512 of the JSON, upper-case hex, quoted), and
// Go's http.ServeContent preconditions (If-None-Match, else If-Modified-Since → 304).
// Each form is made on its first request and kept: the served resources do not change at run time.
import { createHash } from 'node:crypto';
import { encodeOpenAPIV2 } from './v2-protobuf.js';
import type { JsonObject } from './types.js';

/** What kube-openapi answers for protobuf, whichever of its two names was asked for. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** The media types the handler serves, in its order of preference for `*` clauses. */
const SERVED: { type: string; subtype: string; form: OpenAPIV2Form }[] = [
  { type: 'application', subtype: 'json', form: 'json' },
  // client-go's discovery client asks for this older name.
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', form: 'protobuf' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', form: 'protobuf' },
];

export type OpenAPIV2Form = 'json' | 'protobuf';

/** The request headers the answer depends on. */
export interface OpenAPIV2RequestHeaders {
  accept?: string;
  'if-none-match'?: string;
  'if-modified-since'?: string;
}

export interface OpenAPIV2Answer {
  status: 200 | 304 | 406;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Clause {
  type: string;
  subtype: string;
  q: number;
}

/** goautoneg.ParseAccept: clauses sorted by q, then concrete types before wildcards. */
function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) continue;
    const [type, subtype = '*'] = range.split('/');
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/.exec(p);
      if (m) q = Number(m[1]);
    }
    clauses.push({ type: type!, subtype, q });
  }
  const rank = (c: Clause) => (c.type === '*' ? 0 : 1) + (c.subtype === '*' ? 0 : 1);
  return clauses.sort((a, b) => b.q - a.q || rank(b) - rank(a));
}

/** The form an Accept header gets, or undefined (406). An absent header accepts anything. */
export function negotiateOpenAPIV2(accept: string | undefined): OpenAPIV2Form | undefined {
  for (const clause of parseAccept(accept || '*/*')) {
    for (const served of SERVED) {
      if ((clause.type === served.type || clause.type === '*') && (clause.subtype === served.subtype || clause.subtype === '*')) return served.form;
    }
  }
  return undefined;
}

/** If-None-Match against one ETag, with the weak comparison Go's checkIfNoneMatch uses. */
function noneMatch(header: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/** The /openapi/v2 document in both forms, with the headers upstream sends. */
export class OpenAPIV2Service {
  private json?: Buffer;
  private protobuf?: Buffer;
  private etag?: string;
  private lastModified?: Date;
  private readonly build: () => JsonObject;
  private readonly now: () => Date;

  constructor(build: () => JsonObject, now: () => Date = () => new Date()) {
    this.build = build;
    this.now = now;
  }

  /** The document's JSON bytes (built on first use). */
  jsonBody(): Buffer {
    if (!this.json) {
      this.json = Buffer.from(JSON.stringify(this.build()));
      this.etag = `"${createHash('sha512').update(this.json).digest('hex').toUpperCase()}"`;
      // http.ServeContent sends whole seconds.
      this.lastModified = new Date(Math.floor(this.now().getTime() / 1000) * 1000);
    }
    return this.json;
  }

  /** The document as an encoded gnostic openapi.v2.Document (built on first use). */
  protobufBody(): Buffer {
    return (this.protobuf ??= encodeOpenAPIV2(JSON.parse(this.jsonBody().toString('utf8')) as JsonObject));
  }

  /** The answer to a GET with these headers. */
  serve(headers: OpenAPIV2RequestHeaders): OpenAPIV2Answer {
    const form = negotiateOpenAPIV2(headers.accept);
    if (!form) return { status: 406, headers: { Vary: 'Accept' } };
    const body = form === 'json' ? this.jsonBody() : this.protobufBody();
    const etag = this.etag!;
    const lastModified = this.lastModified!.toUTCString();
    const ifNoneMatch = headers['if-none-match'];
    const ifModifiedSince = headers['if-modified-since'] ? Date.parse(headers['if-modified-since']) : NaN;
    const notModified = ifNoneMatch !== undefined ? noneMatch(ifNoneMatch, etag) : !Number.isNaN(ifModifiedSince) && this.lastModified!.getTime() <= ifModifiedSince;
    // Go's writeNotModified drops Last-Modified when an ETag is sent.
    if (notModified) return { status: 304, headers: { Vary: 'Accept', Etag: etag } };
    return {
      status: 200,
      headers: {
        Vary: 'Accept',
        'Content-Type': form === 'json' ? 'application/json' : OPENAPI_V2_PROTOBUF,
        Etag: etag,
        'Last-Modified': lastModified,
      },
      body,
    };
  }
}
