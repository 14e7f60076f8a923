// Builds the OpenAPI documents once from the served resources (they do not change at run time).
import { buildOpenAPIV2, buildOpenAPIV3, OpenAPIV2Service, type OpenAPIResource } from './index.js';
import type { OpenAPIProvider } from '../app.js';
import { type ResourceDefinition, subresourcesOf } from '../registry/resource.js';

export function openAPIResources(defs: ResourceDefinition[]): OpenAPIResource[] {
  return defs.map((d) => ({
    group: d.names.group,
    version: d.names.version,
    resource: d.names.resource,
    kind: d.names.kind,
    namespaced: d.names.namespaced,
    subresources: subresourcesOf(d).map((s) => ({ name: s.name, openapi: s.openapi })),
    definition: d.schema.type === 'ref' ? d.schema.ref : d.names.kind,
    listKind: d.names.listKind,
    verbs: d.verbs,
  }));
}

/** The documents are built on the first request for them, not at start (kubectl asks only for apply and explain). */
export function buildOpenAPIProvider(defs: ResourceDefinition[]): OpenAPIProvider {
  const resources = openAPIResources(defs);
  let v3: ReturnType<typeof buildOpenAPIV3> | undefined;
  const built = () => (v3 ??= buildOpenAPIV3(resources, { version: 'v1.32.0' }));
  const v2 = new OpenAPIV2Service(() => buildOpenAPIV2(resources, { version: 'v1.32.0' }));
  return {
    root: () => built().root,
    document: (path) => built().documents[path],
    v2: () => v2,
  };
}
