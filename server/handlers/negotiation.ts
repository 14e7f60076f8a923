// Content negotiation: the response forms kubectl and client libraries ask for in Accept
// (plain JSON, meta.k8s.io Table, PartialObjectMetadata) and the request body types.
import type { DeleteOptions, KubeObject, ObjectMeta, Table, TableColumnDefinition, TableRow } from '../../api/index.js';
import { META, type Schema } from '../../api/schema/index.js';
import type { PatchType } from '../registry/generic-registry.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { StatusError, badRequest, failureStatus, notAcceptable, tooLarge, unsupportedMediaType } from '../../machinery/index.js';
import { PROTOBUF_CONTENT_TYPE, decodeKubernetesProtobuf } from '../../machinery/protobuf/index.js';
import { type BodyScanError, checkJson, checkYamlDepth } from '../../machinery/body-scan.js';
import { decodeYaml } from './yaml-pool.js';

export type ResponseForm =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

/** Picks the first Accept clause we can serve, in the client's order. */
export function negotiate(accept: string | undefined): ResponseForm {
  if (!accept) return { as: 'object' };
  let sawUnsupported = false;
  for (const clause of accept.split(',')) {
    const [type, ...params] = clause.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((s) => s.trim())));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*' && type !== 'application/yaml') {
      sawUnsupported = true;
      continue;
    }
    if (!p.as) return { as: 'object' };
    if (p.g !== 'meta.k8s.io') continue;
    const version = p.v === 'v1beta1' ? 'v1beta1' : p.v === 'v1' ? 'v1' : null;
    if (!version) continue;
    if (p.as === 'Table') return { as: 'Table', version };
    if (p.as === 'PartialObjectMetadata' || p.as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version };
  }
  if (sawUnsupported && !accept.includes('application/json')) {
    // Protobuf-only clients: we speak JSON.
    throw notAcceptable('only the following media types are accepted: application/json, application/yaml');
  }
  return { as: 'object' };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const DEFAULT_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
];

export function partialMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

function rowObject(obj: KubeObject, include: IncludeObject, version: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return partialMetadata(obj, version);
}

/** Converts objects into a meta.k8s.io Table with the resource's columns. */
export function toTable(
  def: ResourceDefinition,
  objects: KubeObject[],
  now: Date,
  opts: { include: IncludeObject; version: string; listMeta?: Table['metadata']; noHeaders?: boolean },
): Table {
  const columns = def.table?.columns ?? DEFAULT_COLUMNS;
  const rows: TableRow[] = objects.map((obj) => {
    const cells = def.table ? def.table.cells(obj, now) : [obj.metadata.name, obj.metadata.creationTimestamp];
    const row: TableRow = { cells };
    const o = rowObject(obj, opts.include, opts.version);
    if (o !== undefined) row.object = o;
    return row;
  });
  const table: Table = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}` as 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noHeaders ? [] : columns,
    rows,
  };
  return table;
}

export function partialList(def: ResourceDefinition, items: KubeObject[], version: string, listMeta: ObjectMeta | Record<string, unknown>): KubeObject {
  void def;
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta as ObjectMeta,
    items: items.map((o) => partialMetadata(o, version)),
  };
}

/** A request body as Fastify hands it over: text, or bytes for protobuf (see app.ts). */
export type RawBody = string | Uint8Array | undefined;

const JSON_TYPE = 'application/json';
const YAML_TYPES = new Set(['application/yaml']);

/**
 * Parses a create/update body by its content type: JSON, YAML, or Kubernetes protobuf, which
 * is decoded with `schema` (the resource's wire schema) into the object a JSON client would
 * have sent. Without a schema (a subresource handler's body) protobuf is a 415. Any other
 * type (text/plain, forms: what a foreign page can send without asking) is a 415 as upstream
 * answers it, never parsed.
 */
export async function parseBody(contentType: string | undefined, raw: RawBody, schema?: Schema): Promise<unknown> {
  const type = mediaType(contentType) || JSON_TYPE;
  if (type !== JSON_TYPE && type !== PROTOBUF_CONTENT_TYPE && !YAML_TYPES.has(type)) throw unsupportedMediaType(type);
  if (raw === undefined || raw.length === 0) throw badRequest('the request body is empty');
  if (type === PROTOBUF_CONTENT_TYPE) {
    if (!schema) throw unsupportedMediaType(type);
    return decodeKubernetesProtobuf(bytesOf(raw), schema).object;
  }
  const text = textOf(raw);
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === JSON_TYPE) return parseJson(text);
  return parseYaml(text, 'error converting YAML to JSON');
}

/** A DELETE body: JSON as before, or a protobuf meta.k8s.io/v1 DeleteOptions; empty is none. */
export function parseDeleteOptionsBody(contentType: string | undefined, raw: RawBody): DeleteOptions {
  if (raw === undefined || raw.length === 0) return {};
  const type = mediaType(contentType) || JSON_TYPE;
  if (type === PROTOBUF_CONTENT_TYPE) {
    return decodeKubernetesProtobuf(bytesOf(raw), { type: 'ref', ref: META + 'DeleteOptions' }).object as DeleteOptions;
  }
  const text = textOf(raw);
  if (text.trim() === '') return {};
  if (type !== JSON_TYPE) throw unsupportedMediaType(type);
  const options = parseJson(text);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw badRequest(`json: cannot unmarshal ${Array.isArray(options) ? 'array' : typeof options} into Go value of type v1.DeleteOptions`);
  }
  return options as DeleteOptions;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function bytesOf(raw: string | Uint8Array): Uint8Array {
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
}

function textOf(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
}

/**
 * JSON.parse after a linear check of syntax and depth: a body nested deeper than
 * MAX_NESTING_DEPTH is refused before any recursion, and an error gives the position and the
 * kind of problem only (V8's messages quote the text around it).
 */
export function parseJson(text: string): unknown {
  const problem = checkJson(text);
  if (problem?.tooLarge) throw tooLarge(`the JSON body is too large to decode: ${where(problem)}`);
  if (problem) throw badRequest(`couldn't get version/kind; json parse error: ${where(problem)}`);
  return JSON.parse(text);
}

function where(problem: BodyScanError): string {
  return `line ${problem.line}, column ${problem.column}: ${problem.reason}`;
}

/** A YAML body (or apply patch): depth checked here, decoded inline or on a worker (yaml-pool.ts). */
async function parseYaml(text: string, prefix: string): Promise<unknown> {
  // The depth check runs before the body waits for a worker: a deep body is refused at once.
  const deep = checkYamlDepth(text);
  if (deep?.tooLarge) throw tooLarge(`${prefix}: yaml: ${where(deep)}`);
  if (deep) throw badRequest(`${prefix}: yaml: ${where(deep)}`);
  const result = await decodeYaml(text);
  if (!result.ok) throw badRequest(`${prefix}: yaml: ${where(result.error)}`);
  return result.value;
}

/**
 * The patch type named by a PATCH request's Content-Type; anything else is upstream's 415 naming
 * the route's patch types (no strategic merge for custom resources). Upstream 1.32 serves
 * application/apply-patch+cbor only behind the CBORServingAndStorage gate, off by default.
 */
export function patchTypeOf(contentType: string | undefined, strategicMerge = true): PatchType {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      if (strategicMerge) return 'strategic';
      break;
    case 'application/apply-patch+yaml':
      return 'apply';
  }
  const accepted = ['application/json-patch+json', 'application/merge-patch+json', ...(strategicMerge ? ['application/strategic-merge-patch+json'] : []), 'application/apply-patch+yaml'];
  throw new StatusError(failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`));
}

/** The patch document: JSON for every type except server-side apply (YAML). */
export async function parsePatch(type: PatchType, raw: RawBody): Promise<unknown> {
  const text = raw === undefined ? '' : textOf(raw);
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === 'apply') return parseYaml(text, 'error decoding YAML');
  return parseJson(text);
}
