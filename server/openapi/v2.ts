// Swagger 2.0 (GET /openapi/v2), the older document some clients still read: kubectl falls
// back to it when OpenAPI v3 does not answer, and uses it for `explain --output
// plaintext-openapiv2`. Same routes and schemas as v3, one document for every group-version.
import { META, definitions as allDefinitions, type Definitions, type GroupVersionKind } from '../../api/schema/index.js';
import { PARAMETERS, discoveryPath, resourcePaths, type OperationSpec, type PathSpec } from './paths.js';
import { collectDefinitions, renderDefinitions } from './schemas.js';
import type { JsonObject, OpenAPIOptions, OpenAPIResource } from './types.js';
import { definitionsOf, kindsOfDefinitions } from './v3.js';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

function parameter(name: string, where: 'query' | 'path'): JsonObject {
  const p = PARAMETERS[name];
  const out: JsonObject = { uniqueItems: true, type: p.type, description: p.description, name, in: where };
  if (where === 'path') out.required = true;
  return out;
}

function operation(o: OperationSpec): JsonObject {
  const produces = new Set<string>();
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries(o.responses)) {
    if (r.text) {
      responses[code] = { description: r.description, schema: { type: 'string' } };
      produces.add('text/plain');
    } else if (r.definition) {
      responses[code] = { description: r.description, schema: ref(r.definition) };
      for (const t of r.contentTypes ?? ['application/json', 'application/yaml']) produces.add(t);
    } else {
      responses[code] = { description: r.description };
    }
  }
  const parameters: JsonObject[] = [];
  if (o.body) parameters.push({ name: 'body', in: 'body', required: o.method !== 'delete', schema: ref(o.body.definition) });
  parameters.push(...o.query.map((q) => parameter(q, 'query')));
  const out: JsonObject = {
    description: o.description,
    consumes: o.body ? o.body.contentTypes : ['*/*'],
    produces: [...produces],
    schemes: ['https'],
    tags: [o.tag],
    operationId: o.operationId,
  };
  if (parameters.length) out.parameters = parameters;
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

/** The Swagger 2.0 document of every resource. */
export function buildOpenAPIV2(resources: OpenAPIResource[], options: OpenAPIOptions = {}, defs: Definitions = allDefinitions): JsonObject {
  const paths: JsonObject = {};
  const gvks: Record<string, GroupVersionKind[]> = {};
  const groupVersions = new Map<string, { group: string; version: string }>();
  for (const r of resources) groupVersions.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  for (const { group, version } of groupVersions.values()) {
    const d = discoveryPath(group, version);
    paths[d.path] = {
      get: {
        description: 'get available resources',
        consumes: ['application/json', 'application/yaml'],
        produces: ['application/json', 'application/yaml'],
        schemes: ['https'],
        tags: [d.tag],
        operationId: d.operationId,
        responses: { '200': { description: 'OK', schema: ref(META + 'APIResourceList') }, '401': { description: 'Unauthorized' } },
      },
    };
    const own = resources.filter((r) => r.group === group && r.version === version);
    for (const [name, list] of Object.entries(kindsOfDefinitions(own, group, version))) {
      const merged = (gvks[name] ??= []);
      for (const g of list) if (!merged.some((m) => m.group === g.group && m.version === g.version && m.kind === g.kind)) merged.push(g);
    }
  }
  for (const r of resources) for (const p of resourcePaths(r)) paths[p.path] = pathItem(p);
  const roots = [...resources.flatMap(definitionsOf), META + 'Status', META + 'DeleteOptions', META + 'WatchEvent', META + 'Patch', META + 'APIResourceList'];
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: options.version ?? 'unversioned' },
    paths,
    definitions: renderDefinitions(collectDefinitions(roots, defs), gvks, 'v2', defs),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
