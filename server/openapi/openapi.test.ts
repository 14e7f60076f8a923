import { describe, expect, it } from 'vitest';
import { AUTHORIZATION, BATCH, CORE } from '../../api/schema/index.js';
import { buildOpenAPIV2, buildOpenAPIV3, buildOpenAPIV3GroupVersion, groupVersionKey, openAPIHash, type OpenAPIResource } from './index.js';

const resources: OpenAPIResource[] = [
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, subresources: [{ name: 'status' }], definition: BATCH + 'Job', listKind: 'JobList' },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    subresources: [
      { name: 'status' },
      {
        name: 'log',
        openapi: {
          form: 'text-get',
          query: ['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'previous', 'sinceSeconds', 'stream', 'tailLines', 'timestamps'],
        },
      },
    ],
    definition: CORE + 'Pod',
    listKind: 'PodList',
  },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, subresources: [{ name: 'status' }], definition: CORE + 'Node', listKind: 'NodeList' },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    subresources: [{ name: 'status' }],
    definition: CORE + 'Namespace',
    listKind: 'NamespaceList',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
];

type Doc = Record<string, any>;
const v3 = buildOpenAPIV3(resources, { version: 'v1.32.0' });
const batch = v3.documents['apis/batch/v1'] as Doc;
const core = v3.documents['api/v1'] as Doc;

// What kubectl's QueryParamVerifierV3 does: find a PATCH whose x-kubernetes-group-version-kind
// is the kind, and look for the query parameter among its parameters.
function supportsQueryParam(doc: Doc, gvk: { group: string; version: string; kind: string }, param: string): boolean | 'no patch' {
  for (const item of Object.values(doc.paths) as Doc[]) {
    const op = item.patch;
    if (!op) continue;
    const g = op['x-kubernetes-group-version-kind'];
    if (g?.group !== gvk.group || g?.version !== gvk.version || g?.kind !== gvk.kind) continue;
    return (op.parameters ?? []).some((p: Doc) => p.name === param && p.in === 'query');
  }
  return 'no patch';
}

describe('OpenAPI v3 root', () => {
  it('lists each group-version with a hashed serverRelativeURL', () => {
    expect(Object.keys(v3.root.paths)).toEqual(['api/v1', 'apis/batch/v1']);
    expect(v3.root.paths['apis/batch/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/batch/v1?hash=${v3.hashes['apis/batch/v1']}`);
    expect(v3.hashes['api/v1']).toMatch(/^[0-9A-F]{128}$/);
    expect(openAPIHash(core)).toBe(v3.hashes['api/v1']);
    expect(groupVersionKey('', 'v1')).toBe('api/v1');
  });

  it('is stable: the same input gives the same hashes', () => {
    expect(buildOpenAPIV3(resources, { version: 'v1.32.0' }).hashes).toEqual(v3.hashes);
  });
});

describe('OpenAPI v3 group-version document', () => {
  it('is an OpenAPI 3.0 document with bearer auth', () => {
    expect(batch.openapi).toBe('3.0.0');
    expect(batch.info).toEqual({ title: 'Kubernetes', version: 'v1.32.0' });
    expect(batch.components.securitySchemes.BearerToken).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'authorization' }));
  });

  it('has every route of a namespaced resource, and only its group-version', () => {
    expect(Object.keys(batch.paths).sort()).toEqual([
      '/apis/batch/v1/',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/namespaces/{namespace}/jobs',
      '/apis/batch/v1/namespaces/{namespace}/jobs/{name}',
      '/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status',
      '/apis/batch/v1/watch/jobs',
      '/apis/batch/v1/watch/namespaces/{namespace}/jobs',
      '/apis/batch/v1/watch/namespaces/{namespace}/jobs/{name}',
    ]);
    const collection = batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs'];
    expect(Object.keys(collection).sort()).toEqual(['delete', 'get', 'parameters', 'post']);
    expect(collection.get.operationId).toBe('listBatchV1NamespacedJob');
    expect(collection.post.operationId).toBe('createBatchV1NamespacedJob');
    expect(collection.delete.operationId).toBe('deleteBatchV1CollectionNamespacedJob');
    expect(collection.delete['x-kubernetes-action']).toBe('deletecollection');
    expect(collection.parameters.map((p: Doc) => [p.name, p.in, p.required ?? false])).toEqual([
      ['namespace', 'path', true],
      ['pretty', 'query', false],
    ]);
    const item = batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'];
    expect(Object.fromEntries(['get', 'put', 'patch', 'delete'].map((m) => [item[m].operationId, item[m]['x-kubernetes-action']]))).toEqual({
      readBatchV1NamespacedJob: 'get',
      replaceBatchV1NamespacedJob: 'put',
      patchBatchV1NamespacedJob: 'patch',
      deleteBatchV1NamespacedJob: 'delete',
    });
    expect(batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status'].patch.operationId).toBe('patchBatchV1NamespacedJobStatus');
    expect(batch.paths['/apis/batch/v1/jobs'].get.operationId).toBe('listBatchV1JobForAllNamespaces');
    expect(batch.paths['/apis/batch/v1/watch/namespaces/{namespace}/jobs'].get['x-kubernetes-action']).toBe('watchlist');
    expect(batch.paths['/apis/batch/v1/watch/namespaces/{namespace}/jobs/{name}'].get['x-kubernetes-action']).toBe('watch');
    expect(Object.keys(core.paths).some((p) => p.startsWith('/apis/batch'))).toBe(false);
  });

  it('tags every operation with its group-version-kind as one object', () => {
    for (const [path, item] of Object.entries(batch.paths) as [string, Doc][]) {
      if (path === '/apis/batch/v1/') continue;
      for (const m of ['get', 'put', 'post', 'patch', 'delete']) {
        if (item[m]) expect(item[m]['x-kubernetes-group-version-kind'], `${m} ${path}`).toEqual({ group: 'batch', version: 'v1', kind: 'Job' });
      }
    }
  });

  it('declares fieldValidation on every PATCH, so kubectl leaves validation to the server', () => {
    expect(supportsQueryParam(batch, { group: 'batch', version: 'v1', kind: 'Job' }, 'fieldValidation')).toBe(true);
    expect(supportsQueryParam(core, { group: '', version: 'v1', kind: 'Pod' }, 'fieldValidation')).toBe(true);
    expect(supportsQueryParam(core, { group: '', version: 'v1', kind: 'Node' }, 'fieldValidation')).toBe(true);
    for (const item of [...Object.values(batch.paths), ...Object.values(core.paths)] as Doc[]) {
      if (!item.patch) continue;
      expect(item.patch.parameters.map((p: Doc) => p.name).sort()).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    }
    for (const m of ['post', 'put']) {
      const op = m === 'post' ? batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs'].post : batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].put;
      expect(op.parameters.map((p: Doc) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
      expect(op.parameters.every((p: Doc) => p.in === 'query' && p.schema.type === 'string')).toBe(true);
    }
  });

  it('accepts the four patch content types, strategic merge included (kubectl apply checks it)', () => {
    const patch = batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].patch;
    expect(Object.keys(patch.requestBody.content).sort()).toEqual([
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    expect(patch.requestBody.content['application/strategic-merge-patch+json'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
    expect(patch.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.api.batch.v1.Job' });
  });

  it('serves list and watch parameters and the cluster-scoped routes of nodes', () => {
    const list = core.paths['/api/v1/nodes'].get;
    expect(list.operationId).toBe('listCoreV1Node');
    expect(list.parameters.map((p: Doc) => p.name)).toEqual(expect.arrayContaining(['labelSelector', 'fieldSelector', 'watch', 'resourceVersion', 'limit', 'continue']));
    expect(core.paths['/api/v1/nodes/{name}/status'].get.operationId).toBe('readCoreV1NodeStatus');
    expect(core.paths['/api/v1/watch/nodes'].get.operationId).toBe('watchCoreV1NodeList');
    expect(core.paths['/api/v1/nodes/{name}'].parameters.map((p: Doc) => p.name)).toEqual(['name', 'pretty']);
    // Namespaces have no deletecollection, as upstream.
    expect(core.paths['/api/v1/namespaces'].delete).toBeUndefined();
  });

  it('describes pods/log as text with its query parameters', () => {
    const log = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get;
    expect(log.operationId).toBe('readCoreV1NamespacedPodLog');
    expect(log.responses['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(log.parameters.map((p: Doc) => p.name)).toEqual(expect.arrayContaining(['container', 'follow', 'previous', 'tailLines', 'timestamps', 'sinceSeconds']));
    expect(log['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
  });
});

describe('components.schemas', () => {
  const schemas = batch.components.schemas as Doc;

  it('tags top-level kinds with an x-kubernetes-group-version-kind array (kubectl apply looks them up so)', () => {
    expect(schemas[BATCH + 'Job']['x-kubernetes-group-version-kind']).toEqual([{ group: 'batch', version: 'v1', kind: 'Job' }]);
    expect(schemas[BATCH + 'JobList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'batch', version: 'v1', kind: 'JobList' }]);
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'DeleteOptions' },
      { group: 'batch', version: 'v1', kind: 'DeleteOptions' },
    ]);
    expect(schemas[CORE + 'PodSpec']['x-kubernetes-group-version-kind']).toBeUndefined();
  });

  it('holds every schema the group-version refers to, and no dangling refs', () => {
    const text = JSON.stringify(batch);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    for (const r of refs) expect(schemas[r], r).toBeDefined();
    expect(schemas[CORE + 'PodSpec']).toBeDefined();
    expect(schemas[CORE + 'Node']).toBeUndefined();
  });

  it('carries the strategic-merge extensions on lists', () => {
    const containers = schemas[CORE + 'PodSpec'].properties.containers;
    expect(containers).toEqual(
      expect.objectContaining({
        type: 'array',
        items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    );
    expect(schemas[CORE + 'PodSpec'].properties.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    expect(schemas[CORE + 'PodSpec'].properties.tolerations['x-kubernetes-list-type']).toBe('atomic');
    expect(schemas[CORE + 'PodSpec'].properties.tolerations['x-kubernetes-patch-strategy']).toBeUndefined();
  });

  it('renders refs with a description as allOf (resolved by kubectl), quantities, int-or-string, maps and timestamps', () => {
    expect(schemas[BATCH + 'JobSpec'].properties.template).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }],
      description: expect.any(String),
    });
    expect(schemas[CORE + 'ResourceRequirements'].properties.limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].type).toBe('string');
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toEqual(expect.objectContaining({ format: 'int-or-string', 'x-kubernetes-int-or-string': true }));
    expect(schemas[CORE + 'HTTPGetAction'].properties.port).toEqual(expect.objectContaining({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] }));
    expect(schemas[BATCH + 'JobStatus'].properties.startTime).toEqual(expect.objectContaining({ type: 'string', format: 'date-time' }));
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'].properties.fieldsV1).toEqual(
      expect.objectContaining({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
    );
    expect(schemas[BATCH + 'JobSpec'].required).toEqual(['template']);
    expect(schemas[BATCH + 'JobSpec'].properties.parallelism).toEqual(expect.objectContaining({ type: 'integer', format: 'int32' }));
  });
});

describe('buildOpenAPIV3GroupVersion', () => {
  it('builds one document on its own, ignoring other group-versions', () => {
    const doc = buildOpenAPIV3GroupVersion(resources, 'batch', 'v1') as Doc;
    expect(doc.info.version).toBe('unversioned');
    expect(Object.keys(doc.paths)).toContain('/apis/batch/v1/namespaces/{namespace}/jobs');
  });
});

describe('buildOpenAPIV2', () => {
  const v2 = buildOpenAPIV2(resources, { version: 'v1.32.0' }) as Doc;

  it('is a Swagger 2.0 document with every group-version and #/definitions refs', () => {
    expect(v2.swagger).toBe('2.0');
    expect(v2.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].patch.consumes).toEqual(expect.arrayContaining(['application/strategic-merge-patch+json']));
    expect(v2.paths['/api/v1/namespaces/{namespace}/pods'].post.parameters[0]).toEqual({ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } });
    expect(v2.definitions[BATCH + 'Job']['x-kubernetes-group-version-kind']).toEqual([{ group: 'batch', version: 'v1', kind: 'Job' }]);
    expect(v2.definitions[BATCH + 'JobSpec'].properties.template).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec', description: expect.any(String) });
    const text = JSON.stringify(v2);
    expect(text).not.toContain('#/components/');
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) expect(v2.definitions[m[1]], m[1]).toBeDefined();
    const patch = v2.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].patch;
    expect(patch.parameters.filter((p: Doc) => p.in === 'query').map((p: Doc) => p.name)).toContain('fieldValidation');
    expect(v2.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent']['x-kubernetes-group-version-kind']).toEqual(
      expect.arrayContaining([{ group: '', version: 'v1', kind: 'WatchEvent' }, { group: 'batch', version: 'v1', kind: 'WatchEvent' }]),
    );
  });
});

describe('create-only resources (the access reviews)', () => {
  const review: OpenAPIResource = {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    subresources: [],
    definition: AUTHORIZATION + 'SelfSubjectAccessReview',
    verbs: ['create'],
  };
  const withReview = [...resources, review];
  const doc = buildOpenAPIV3(withReview, { version: 'v1.32.0' }).documents['apis/authorization.k8s.io/v1'] as Doc;

  it('have one route, the collection\'s POST, with upstream\'s operation id and write parameters', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/apis/authorization.k8s.io/v1/', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    const item = doc.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'];
    expect(Object.keys(item).sort()).toEqual(['parameters', 'post']);
    expect(item.post.operationId).toBe('createAuthorizationV1SelfSubjectAccessReview');
    expect(item.post['x-kubernetes-action']).toBe('post');
    expect(item.post['x-kubernetes-group-version-kind']).toEqual({ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' });
    expect(item.post.parameters.map((p: Doc) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
    expect(Object.keys(item.post.responses).sort()).toEqual(['200', '201', '202', '401']);
  });

  it('carry the kind\'s schema with its group-version-kind, and no list schema (upstream has none)', () => {
    const schemas = doc.components.schemas as Doc;
    expect(schemas[AUTHORIZATION + 'SelfSubjectAccessReview']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' },
    ]);
    expect(schemas[AUTHORIZATION + 'SelfSubjectAccessReview'].required).toEqual(['spec']);
    expect(schemas[AUTHORIZATION + 'ResourceAttributes'].properties.fieldSelector).toBeDefined();
    expect(schemas[AUTHORIZATION + 'SelfSubjectAccessReviewList']).toBeUndefined();
  });

  it('are in OpenAPI v2 the same way', () => {
    const v2 = buildOpenAPIV2(withReview, { version: 'v1.32.0' }) as Doc;
    expect(Object.keys(v2.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'])).toEqual(['post', 'parameters']);
    expect(v2.definitions[AUTHORIZATION + 'SelfSubjectAccessReview']).toBeDefined();
    expect(v2.definitions[AUTHORIZATION + 'SelfSubjectAccessReviewList']).toBeUndefined();
  });
});
