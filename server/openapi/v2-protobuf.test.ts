import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allResources } from '../registry/index.js';
import { buildOpenAPIV2, encodeOpenAPIV2, gnosticV2Type, negotiateOpenAPIV2, OPENAPI_V2_PROTOBUF, OpenAPIV2Service, type JsonObject } from './index.js';
import { openAPIResources } from './provider.js';

type Msg = Record<string, any>;

const doc = buildOpenAPIV2(openAPIResources(allResources), { version: 'v1.32.0' });

function decode(bytes: Uint8Array): Msg {
  const type = gnosticV2Type('Document');
  return type.toObject(type.decode(bytes), { longs: Number }) as Msg;
}

const snakeToCamel = (k: string) => (k === '_ref' ? '$ref' : k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
const fromAny = (a: Msg) => parse(a.yaml, { version: '1.1' }) as unknown;
const fromPairs = (pairs: Msg[] | undefined, value: (v: any) => unknown) => Object.fromEntries((pairs ?? []).map((p) => [p.name, value(p.value)]));

// The decoded message back in JSON form: the inverse of the encoder's rules, written
// independently of it, so a field written under the wrong number or shape shows as a difference.
const BACK: Record<string, (m: Msg) => unknown> = {
  Document: (m) => generic(m, { info: 'Info', paths: 'Paths', definitions: 'Definitions', security: ['SecurityRequirement'], security_definitions: 'SecurityDefinitions' }),
  Info: (m) => generic(m, {}),
  Paths: (m) => ({ ...fromPairs(m.path, BACK.PathItem!), ...extensions(m) }),
  PathItem: (m) => generic(m, { get: 'Operation', put: 'Operation', post: 'Operation', delete: 'Operation', patch: 'Operation', parameters: ['ParametersItem'] }),
  Operation: (m) => generic(m, { parameters: ['ParametersItem'], responses: 'Responses' }),
  ParametersItem: (m) => (m.json_reference ? generic(m.json_reference, {}) : BACK.Parameter!(m.parameter)),
  Parameter: (m) =>
    m.body_parameter
      ? generic(m.body_parameter, { schema: 'Schema' })
      : generic(m.non_body_parameter.query_parameter_sub_schema ?? m.non_body_parameter.path_parameter_sub_schema, {}),
  Responses: (m) => ({ ...fromPairs(m.response_code, (v: Msg) => (v.json_reference ? generic(v.json_reference, {}) : generic(v.response, { schema: 'SchemaItem' }))), ...extensions(m) }),
  SchemaItem: (m) => BACK.Schema!(m.schema),
  Schema: (m) => {
    const out = generic(m, { all_of: ['Schema'] }, ['type', 'items', 'properties', 'additional_properties', 'enum', 'default']) as Msg;
    if (m.type) out.type = m.type.value.length === 1 ? m.type.value[0] : m.type.value;
    if (m.items) out.items = BACK.Schema!(m.items.schema[0]);
    if (m.properties) out.properties = fromPairs(m.properties.additional_properties, BACK.Schema!);
    if (m.additional_properties) out.additionalProperties = m.additional_properties.schema ? BACK.Schema!(m.additional_properties.schema) : m.additional_properties.boolean;
    if (m.enum) out.enum = m.enum.map(fromAny);
    if (m.default) out.default = fromAny(m.default);
    return out;
  },
  Definitions: (m) => fromPairs(m.additional_properties, BACK.Schema!),
  SecurityRequirement: (m) => fromPairs(m.additional_properties, (v: Msg) => v.value ?? []),
  SecurityDefinitions: (m) => fromPairs(m.additional_properties, (v: Msg) => generic(v.api_key_security ?? v.basic_authentication_security, {})),
};

const extensions = (m: Msg) => fromPairs(m.vendor_extension, fromAny);

/** Scalars and repeated scalars by name; message fields through BACK; x-* from vendor_extension. */
function generic(m: Msg, messages: Record<string, string | [string]>, skip: string[] = []): unknown {
  const out: Msg = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'vendor_extension' || skip.includes(k)) continue;
    const t = messages[k];
    out[snakeToCamel(k)] = t === undefined ? v : Array.isArray(t) ? (v as Msg[]).map(BACK[t[0]]!) : BACK[t]!(v as Msg);
  }
  return { ...out, ...extensions(m) };
}

/**
 * What protobuf 3 cannot carry: false, 0, "" and [] are not written, but in the YAML-kept values
 * and in security requirements (a name and its list of scopes, empty for an API key).
 */
function withoutProtoZeros(v: unknown, key = ''): unknown {
  if (key.startsWith('x-') || ['default', 'enum', 'example', 'security'].includes(key)) return v;
  if (Array.isArray(v)) return v.map((x) => withoutProtoZeros(x));
  if (typeof v !== 'object' || v === null) return v;
  const out: Msg = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === false || x === 0 || x === '' || (Array.isArray(x) && x.length === 0 && !k.startsWith('x-'))) continue;
    out[k] = withoutProtoZeros(x, k);
  }
  return out;
}

describe('OpenAPI v2 in protobuf (gnostic openapi.v2.Document)', () => {
  const bytes = encodeOpenAPIV2(doc);
  const decoded = decode(bytes);

  it('decodes to the JSON document, every path and definition', () => {
    const back = BACK.Document!(decoded) as JsonObject;
    expect(Object.keys(back.paths as JsonObject)).toEqual(Object.keys(doc.paths as JsonObject));
    expect(Object.keys(back.definitions as JsonObject)).toEqual(Object.keys(doc.definitions as JsonObject));
    expect(back).toEqual(withoutProtoZeros(doc));
  });

  it('writes the shapes kubectl reads: definitions with their group-version-kind, typed query parameters', () => {
    const job = (decoded.definitions.additional_properties as Msg[]).find((d) => d.name === 'io.k8s.api.batch.v1.Job')!.value;
    const gvk = (job.vendor_extension as Msg[]).find((e) => e.name === 'x-kubernetes-group-version-kind')!;
    expect(parse(gvk.value.yaml, { version: '1.1' })).toEqual([{ group: 'batch', kind: 'Job', version: 'v1' }]);
    expect(job.type.value).toEqual(['object']);
    const jobs = (decoded.paths.path as Msg[]).find((p) => p.name === '/apis/batch/v1/namespaces/{namespace}/jobs')!.value;
    const params = (jobs.get.parameters as Msg[]).map((p) => p.parameter.non_body_parameter.query_parameter_sub_schema?.name);
    expect(params).toContain('labelSelector');
    expect(jobs.parameters.map((p: Msg) => p.parameter.non_body_parameter.path_parameter_sub_schema?.name ?? p.parameter.non_body_parameter.query_parameter_sub_schema?.name)).toEqual(['namespace', 'pretty']);
    const body = (jobs.post.parameters as Msg[]).find((p) => p.parameter.body_parameter)!.parameter.body_parameter;
    expect(body).toMatchObject({ name: 'body', in: 'body', required: true, schema: { _ref: '#/definitions/io.k8s.api.batch.v1.Job' } });
  });

  it('keeps YAML-kept values YAML 1.1-safe, as go-yaml v2 reads them back', () => {
    const small = { swagger: '2.0', definitions: { X: { type: 'string', enum: ['yes', 'on', 'No', 'plain'], default: 'off' } } };
    const schema = decode(encodeOpenAPIV2(small)).definitions.additional_properties[0].value;
    expect(schema.enum.map(fromAny)).toEqual(['yes', 'on', 'No', 'plain']);
    expect(fromAny(schema.default)).toBe('off');
    expect(schema.enum[0].yaml).not.toBe('yes\n');
  });

  it('refuses what it has no field for, naming where, instead of dropping it', () => {
    expect(() => encodeOpenAPIV2({ swagger: '2.0', bogus: 1 })).toThrow('.bogus is not a field of openapi.v2.Document');
    expect(() => encodeOpenAPIV2({ swagger: '2.0', definitions: { X: { type: 'string', maxLength: 1.5 } } })).toThrow('.definitions.X.maxLength must be an integer');
    expect(() => encodeOpenAPIV2({ swagger: '2.0', paths: { '/x': { get: { parameters: [{ name: 'h', in: 'header', type: 'string' }] } } } })).toThrow(
      'parameter "in": "header"',
    );
  });
});

describe('GET /openapi/v2 negotiation and caching (kube-openapi handler)', () => {
  it('picks the form as goautoneg and the handler do', () => {
    expect(negotiateOpenAPIV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2('application/json')).toBe('json');
    expect(negotiateOpenAPIV2('application/json, */*')).toBe('json');
    expect(negotiateOpenAPIV2(undefined)).toBe('json');
    expect(negotiateOpenAPIV2('*/*')).toBe('json');
    expect(negotiateOpenAPIV2('application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2('text/html')).toBeUndefined();
    expect(negotiateOpenAPIV2('application/yaml')).toBeUndefined();
  });

  it('answers both forms under one ETag, 304 to a matching If-None-Match or a later If-Modified-Since, 406 to nothing acceptable', () => {
    let built = 0;
    const service = new OpenAPIV2Service(() => (built++, doc), () => new Date('2026-12-07T05:00:00.750Z'));
    const json = service.serve({ accept: 'application/json' });
    const pb = service.serve({ accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(json.status).toBe(200);
    expect(json.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(json.body!.toString())).toEqual(doc);
    expect(pb.headers['Content-Type']).toBe(OPENAPI_V2_PROTOBUF);
    expect(decode(pb.body!).swagger).toBe('2.0');
    expect(pb.headers.Etag).toMatch(/^"[0-9A-F]{128}"$/);
    expect(pb.headers.Etag).toBe(json.headers.Etag);
    expect(json.headers.Vary).toBe('Accept');
    expect(json.headers['Last-Modified']).toBe('Mon, 07 Dec 2026 05:00:00 GMT');
    expect(built).toBe(1);

    const etag = json.headers.Etag!;
    expect(service.serve({ accept: 'application/json', 'if-none-match': etag })).toEqual({ status: 304, headers: { Vary: 'Accept', Etag: etag } });
    expect(service.serve({ accept: OPENAPI_V2_PROTOBUF, 'if-none-match': `"other", W/${etag}` }).status).toBe(304);
    expect(service.serve({ accept: OPENAPI_V2_PROTOBUF, 'if-none-match': '"other"' }).status).toBe(200);
    expect(service.serve({ 'if-modified-since': 'Mon, 07 Dec 2026 05:00:00 GMT' }).status).toBe(304);
    expect(service.serve({ 'if-modified-since': 'Mon, 07 Dec 2026 04:59:59 GMT' }).status).toBe(200);
    expect(service.serve({ accept: 'text/html' })).toEqual({ status: 406, headers: { Vary: 'Accept' } });
  });
});
