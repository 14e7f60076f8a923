// OpenAPI v3 documents of the custom resources CRDs define (upstream: the apiextensions-apiserver's
// OpenAPI controller publishes one document per group-version built from the CRD's schema): the
// same paths and operations as a built-in resource, and components.schemas holding the
// structural schema itself (with apiVersion, kind and metadata as ObjectMeta), named as upstream
// names them (the group reversed: com.example.v1.Widget). kubectl explain reads them; kubectl's
// field-validation probe finds the PATCH operation's fieldValidation parameter and leaves
// validation to the server. Rebuilt when the served CRDs change.
import type { JSONSchemaProps } from '../../api/index.js';
import { META, definitions as allDefinitions, type Definitions } from '../../api/schema/index.js';
import { list, object, ref, str } from '../../api/schema/builders.js';
import type { OpenAPIProvider } from '../app.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import { openAPIV3SchemaOf } from '../registry/customresources/index.js';
import { type ResourceDefinition, subresourcesOf } from '../registry/resource.js';
import type { JsonObject, OpenAPIResource } from './types.js';
import { buildOpenAPIV3GroupVersion, groupVersionKey, openAPIHash, type OpenAPIV3Root } from './v3.js';

/** Upstream's definition name of a custom resource: "com.example.v1.Widget". */
export function customResourceDefinitionName(def: ResourceDefinition): string {
  return `${def.names.group.split('.').reverse().join('.')}.${def.names.version}.${def.names.kind}`;
}

const TYPE_META: JsonObject = {
  apiVersion: {
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    type: 'string',
  },
  kind: {
    description:
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    type: 'string',
  },
};

/** The CRD's schema as a component: its own JSON, type meta described, metadata as ObjectMeta. */
function componentOf(schema: JSONSchemaProps | undefined, metadataRef: unknown): JsonObject {
  const out = structuredClone((schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JsonObject);
  const properties = ((out.properties as JsonObject | undefined) ?? {}) as JsonObject;
  out.properties = { ...TYPE_META, ...properties, metadata: metadataRef };
  return out;
}

function documentOf(defs: ResourceDefinition[], group: string, version: string): JsonObject {
  const placeholders: Definitions = { ...allDefinitions };
  const resources: OpenAPIResource[] = defs.map((d) => {
    const name = customResourceDefinitionName(d);
    placeholders[name] = object({ apiVersion: str(), kind: str(), metadata: ref(META + 'ObjectMeta') }, { proto: {} });
    placeholders[`${name}List`] = object(
      { apiVersion: str(), items: list(ref(name), undefined, `List of ${d.names.resource}.`), kind: str(), metadata: ref(META + 'ListMeta') },
      { required: ['items'], description: `${d.names.listKind ?? ''} is a list of ${d.names.kind}`, proto: {} },
    );
    return {
      group,
      version,
      resource: d.names.resource,
      kind: d.names.kind,
      namespaced: d.names.namespaced,
      subresources: subresourcesOf(d).map((s) => ({ name: s.name, openapi: s.openapi })),
      definition: name,
      listKind: d.names.listKind,
      verbs: d.verbs,
    };
  });
  const doc = buildOpenAPIV3GroupVersion(resources, group, version, { version: 'v1.32.0' }, placeholders);
  // No strategic merge patch for custom resources (upstream answers 415): without it in PATCH's
  // request body, kubectl apply sends a JSON merge patch, as it does to a real cluster.
  for (const item of Object.values(doc.paths as JsonObject)) {
    const content = ((item as JsonObject).patch as { requestBody?: { content?: JsonObject } } | undefined)?.requestBody?.content;
    if (content) delete content['application/strategic-merge-patch+json'];
  }
  const schemas = (doc.components as JsonObject).schemas as JsonObject;
  for (const d of defs) {
    const name = customResourceDefinitionName(d);
    const rendered = schemas[name] as JsonObject;
    const metadataRef = (rendered.properties as JsonObject).metadata;
    schemas[name] = { ...componentOf(openAPIV3SchemaOf(d), metadataRef), 'x-kubernetes-group-version-kind': rendered['x-kubernetes-group-version-kind'] };
  }
  return doc;
}

/** `base` (the built-in resources' documents) with a document per custom resource group-version. */
export function withCustomResources(base: OpenAPIProvider, catalog: ResourceCatalog): OpenAPIProvider {
  let built: { paths: OpenAPIV3Root['paths']; documents: Record<string, JsonObject> } | undefined;
  catalog.onChange(() => {
    built = undefined;
  });
  const build = () => {
    if (built) return built;
    const byGroupVersion = new Map<string, ResourceDefinition[]>();
    for (const d of catalog.all()) {
      if (!d.unstructured) continue;
      const key = groupVersionKey(d.names.group, d.names.version);
      byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), d]);
    }
    const paths: OpenAPIV3Root['paths'] = {};
    const documents: Record<string, JsonObject> = {};
    for (const [key, defs] of byGroupVersion) {
      const doc = documentOf(defs, defs[0]!.names.group, defs[0]!.names.version);
      documents[key] = doc;
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${openAPIHash(doc)}` };
    }
    return (built = { paths, documents });
  };
  return {
    root: () => {
      const root = base.root() as OpenAPIV3Root;
      const custom = build();
      if (!Object.keys(custom.paths).length) return root;
      const paths = { ...root.paths, ...custom.paths };
      return { ...root, paths: Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]!])) };
    },
    document: (path) => build().documents[path] ?? base.document(path),
    v2: base.v2,
  };
}
