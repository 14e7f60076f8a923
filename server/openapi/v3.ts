// OpenAPI v3 as the API server serves it: GET /openapi/v3 (the root: one entry per
// group-version with a hashed URL) and GET /openapi/v3/<api/v1 | apis/group/version>.
//
// kubectl 1.32 reads these: `kubectl explain`, client-side apply (x-kubernetes-patch-* on
// components.schemas, kinds found by their x-kubernetes-group-version-kind array), and the
// field-validation check, which looks for a PATCH operation whose x-kubernetes-group-version-kind
// is the kind and whose parameters include the query parameter fieldValidation: when present,
// kubectl leaves validation to the server (fieldValidation=Strict) instead of fetching OpenAPI v2.
import { createHash } from 'node:crypto';
import { META, definitions as allDefinitions, type Definitions, type GroupVersionKind } from '../../api/schema/index.js';
import { PARAMETERS, discoveryPath, resourcePaths, type OperationSpec, type PathSpec, type ResponseSpec } from './paths.js';
import { collectDefinitions, renderDefinitions } from './schemas.js';
import type { JsonObject, OpenAPIOptions, OpenAPIResource } from './types.js';

export interface OpenAPIV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** "apis/batch/v1" or "api/v1": the key of a group-version in the root document and its URL. */
export function groupVersionKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The hash upstream puts in serverRelativeURL: SHA-512 of the document, upper-case hex. */
export function openAPIHash(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function parameter(name: string, where: 'query' | 'path'): JsonObject {
  const p = PARAMETERS[name];
  const out: JsonObject = { name, in: where, description: p.description };
  if (where === 'path') out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function response(r: ResponseSpec): JsonObject {
  if (r.text) return { description: r.description, content: { 'text/plain': { schema: { type: 'string' } } } };
  if (!r.definition) return { description: r.description };
  const content: JsonObject = {};
  for (const type of r.contentTypes ?? ['application/json', 'application/yaml']) content[type] = { schema: ref(r.definition) };
  return { description: r.description, content };
}

function operation(o: OperationSpec): JsonObject {
  const out: JsonObject = { tags: [o.tag], description: o.description, operationId: o.operationId };
  if (o.query.length) out.parameters = o.query.map((q) => parameter(q, 'query'));
  if (o.body) {
    const content: JsonObject = {};
    for (const type of o.body.contentTypes) content[type] = { schema: ref(o.body.definition) };
    out.requestBody = { content, required: o.method !== 'delete' };
  }
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries(o.responses)) responses[code] = response(r);
  out.responses = responses;
  if (o.deprecated) out.deprecated = true;
  out['x-kubernetes-action'] = o.action;
  out['x-kubernetes-group-version-kind'] = o.gvk;
  return out;
}

function pathItem(p: PathSpec): JsonObject {
  const out: JsonObject = {};
  for (const o of p.operations) out[o.method] = operation(o);
  const params = p.pathParams.map((n) => parameter(n, 'path'));
  if (p.pretty) params.push(parameter('pretty', 'query'));
  if (params.length) out.parameters = params;
  return out;
}

/** The definitions a resource's routes name: its kind, its list kind when it has one, and its subresources' bodies. */
export function definitionsOf(r: OpenAPIResource): string[] {
  const bodies = r.subresources.flatMap((s) => (s.openapi?.body ? [s.openapi.body.definition] : []));
  return [...(r.listKind ? [r.definition, `${r.definition}List`] : [r.definition]), ...bodies];
}

/** The x-kubernetes-group-version-kind lists of components.schemas for one group-version. */
export function kindsOfDefinitions(resources: OpenAPIResource[], group: string, version: string): Record<string, GroupVersionKind[]> {
  const gvks: Record<string, GroupVersionKind[]> = {};
  const add = (name: string, gvk: GroupVersionKind) => {
    const list = (gvks[name] ??= []);
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
  };
  for (const r of resources) {
    add(r.definition, { group: r.group, version: r.version, kind: r.kind });
    if (r.listKind) add(`${r.definition}List`, { group: r.group, version: r.version, kind: r.listKind });
    for (const s of r.subresources) {
      const body = s.openapi?.body;
      if (body) add(body.definition, { group: body.group, version: body.version, kind: body.kind });
    }
  }
  // Kinds every group-version serves, listed upstream for each group.
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    add(META + kind, { group: '', version: 'v1', kind });
    if (group) add(META + kind, { group, version, kind });
  }
  add(META + 'Status', { group: '', version: 'v1', kind: 'Status' });
  return gvks;
}

/** The OpenAPI 3.0 document of one group-version. `resources` may hold others; they are skipped. */
export function buildOpenAPIV3GroupVersion(
  allResources: OpenAPIResource[],
  group: string,
  version: string,
  options: OpenAPIOptions = {},
  defs: Definitions = allDefinitions,
): JsonObject {
  const resources = allResources.filter((r) => r.group === group && r.version === version);
  const paths: JsonObject = {};
  const discovery = discoveryPath(group, version);
  paths[discovery.path] = {
    get: {
      tags: [discovery.tag],
      description: 'get available resources',
      operationId: discovery.operationId,
      responses: { '200': response({ description: 'OK', definition: META + 'APIResourceList' }), '401': { description: 'Unauthorized' } },
    },
  };
  for (const r of resources) for (const p of resourcePaths(r)) paths[p.path] = pathItem(p);

  const roots = [...resources.flatMap(definitionsOf), META + 'Status', META + 'DeleteOptions', META + 'WatchEvent', META + 'Patch', META + 'APIResourceList'];
  const names = collectDefinitions(roots, defs);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: options.version ?? 'unversioned' },
    paths,
    components: {
      schemas: renderDefinitions(names, kindsOfDefinitions(resources, group, version), 'v3', defs),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

export interface OpenAPIV3Documents {
  root: OpenAPIV3Root;
  /** Keyed by groupVersionKey: "api/v1", "apis/batch/v1". */
  documents: Record<string, JsonObject>;
  /** The hash of each document, as in its serverRelativeURL (an ETag for the handler). */
  hashes: Record<string, string>;
}

/** Every group-version document and the root that points at them. */
export function buildOpenAPIV3(resources: OpenAPIResource[], options: OpenAPIOptions = {}, defs: Definitions = allDefinitions): OpenAPIV3Documents {
  const groupVersions = new Map<string, { group: string; version: string }>();
  for (const r of resources) groupVersions.set(groupVersionKey(r.group, r.version), { group: r.group, version: r.version });
  const documents: Record<string, JsonObject> = {};
  const hashes: Record<string, string> = {};
  const root: OpenAPIV3Root = { paths: {} };
  for (const key of [...groupVersions.keys()].sort()) {
    const { group, version } = groupVersions.get(key)!;
    const document = buildOpenAPIV3GroupVersion(resources, group, version, options, defs);
    documents[key] = document;
    hashes[key] = openAPIHash(document);
    root.paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashes[key]}` };
  }
  return { root, documents, hashes };
}
