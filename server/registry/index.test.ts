import { describe, expect, it } from 'vitest';
import { allResources } from './index.js';
import { create, TEST_NOW } from './testing/strategy-sequence.js';

describe('allResources', () => {
  it('serves each resource once, with upstream names and schema refs', () => {
    expect(allResources.map((d) => `${d.names.group || 'core'}/${d.names.version}/${d.names.resource}`)).toEqual([
      'core/v1/namespaces',
      'core/v1/nodes',
      'core/v1/pods',
      'core/v1/configmaps',
      'core/v1/secrets',
      'core/v1/serviceaccounts',
      'core/v1/events',
      'core/v1/persistentvolumeclaims',
      'core/v1/services',
      'core/v1/endpoints',
      'core/v1/persistentvolumes',
      'core/v1/replicationcontrollers',
      'apps/v1/daemonsets',
      'apps/v1/deployments',
      'apps/v1/replicasets',
      'apps/v1/statefulsets',
      'events.k8s.io/v1/events',
      'authentication.k8s.io/v1/selfsubjectreviews',
      'authorization.k8s.io/v1/selfsubjectaccessreviews',
      'authorization.k8s.io/v1/selfsubjectrulesreviews',
      'batch/v1/cronjobs',
      'batch/v1/jobs',
      'networking.k8s.io/v1/ingresses',
      'policy/v1/poddisruptionbudgets',
      'apiextensions.k8s.io/v1/customresourcedefinitions',
      'scheduling.k8s.io/v1/priorityclasses',
      'coordination.k8s.io/v1/leases',
      'discovery.k8s.io/v1/endpointslices',
      'logs.jobyard.io/v1/logstores',
      'metrics.k8s.io/v1beta1/nodes',
      'metrics.k8s.io/v1beta1/pods',
    ]);
    for (const d of allResources) {
      // Create-only reviews have no List kind upstream.
      expect(d.names.listKind).toBe(d.createOnly ? undefined : `${d.names.kind}List`);
      // Upstream groups under io.k8s.api (metrics-server's under its Go package); our own group
      // reversed, as a CRD's definitions are.
      const prefix = d.names.group === 'metrics.k8s.io'
        ? 'io.k8s.metrics.pkg.apis.metrics'
        : d.names.group.endsWith('.k8s.io')
        ? `io.k8s.api.${d.names.group.slice(0, -'.k8s.io'.length)}`
        : d.names.group.includes('.')
          ? d.names.group.split('.').reverse().join('.')
          : `io.k8s.api.${d.names.group || 'core'}`;
      // CRDs are defined in apiextensions-apiserver's own Go package.
      const base = d.names.group === 'apiextensions.k8s.io' ? 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions' : prefix;
      expect(d.schema).toEqual({ type: 'ref', ref: `${base}.${d.names.version}.${d.names.kind}` });
    }
  });

  it('has a status subresource exactly where upstream does', () => {
    expect(allResources.filter((d) => d.status).map((d) => d.names.resource)).toEqual(['namespaces', 'nodes', 'pods', 'persistentvolumeclaims', 'services', 'cronjobs', 'jobs', 'poddisruptionbudgets', 'customresourcedefinitions', 'logstores']);
  });

  it('marks only namespaces, nodes, persistentvolumes, the reviews, logstores and node metrics cluster-scoped', () => {
    expect(allResources.filter((d) => !d.names.namespaced).map((d) => d.names.resource)).toEqual([
      'namespaces',
      'nodes',
      'persistentvolumes',
      'selfsubjectreviews',
      'selfsubjectaccessreviews',
      'selfsubjectrulesreviews',
      'customresourcedefinitions',
      'priorityclasses',
      'logstores',
      'nodes',
    ]);
  });

  it('serves metrics.k8s.io computed, get and list only, as metrics-server', () => {
    const computed = allResources.filter((d) => d.computed);
    expect(computed.map((d) => `${d.names.group}/${d.names.resource}/${d.names.kind}`)).toEqual(['metrics.k8s.io/nodes/NodeMetrics', 'metrics.k8s.io/pods/PodMetrics']);
    for (const d of computed) expect(d.verbs).toEqual(['get', 'list']);
  });

  it('serves the reviews create-only, with verbs ["create"] and nothing else of a stored resource', () => {
    const createOnly = allResources.filter((d) => d.createOnly);
    expect(createOnly.map((d) => d.names.resource)).toEqual(['selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
    for (const d of createOnly) {
      expect(d.verbs).toEqual(['create']);
      expect(d.status).toBeUndefined();
      expect(d.subresources).toBeUndefined();
      expect(d.table).toBeUndefined();
    }
    for (const d of allResources.filter((r) => !r.createOnly)) expect(d.verbs ?? []).not.toEqual(['create']);
  });

  it('serves the kinds jobyard runs no controller for read-only: get, list and watch, every write refused', () => {
    const readOnly = allResources.filter((d) => d.readOnly);
    expect(readOnly.map((d) => `${d.names.group || 'core'}/${d.names.resource}`)).toEqual([
      'core/persistentvolumes',
      'core/replicationcontrollers',
      'apps/daemonsets',
      'apps/deployments',
      'apps/replicasets',
      'apps/statefulsets',
      'networking.k8s.io/ingresses',
    ]);
    for (const d of readOnly) {
      expect(d.verbs).toEqual(['get', 'list', 'watch']);
      expect(d.status).toBeUndefined();
      expect(d.subresources).toBeUndefined();
      // The strategy refuses too, so no path around the handlers stores one.
      expect(() => create(d, { metadata: { name: 'x' } })).toThrow(`create is not supported on resources of kind "${d.names.group ? `${d.names.resource}.${d.names.group}` : d.names.resource}": jobyard runs batch workloads`);
    }
    // kubectl get all: category "all" where upstream has it (not Ingress, not PersistentVolume).
    expect(allResources.filter((d) => d.names.categories?.includes('all')).map((d) => d.names.resource)).toEqual(
      expect.arrayContaining(['pods', 'replicationcontrollers', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'cronjobs', 'jobs']),
    );
  });

  const stored = allResources.filter((d) => !d.createOnly && !d.computed);

  it.each(allResources.filter((d) => !d.readOnly).map((d) => [d.names.resource, d] as const))('%s: survives a bare object and reports instead of throwing', (_name, def) => {
    const out = create(def, { metadata: { name: 'x' } });
    expect(Array.isArray(out.errors)).toBe(true);
    if (def.table) expect(() => def.table!.cells(out.obj, TEST_NOW)).not.toThrow();
  });

  it.each(stored.map((d) => [d.names.resource, d] as const))('%s: one cell per column', (_name, def) => {
    const cells = def.table!.cells({ metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' } }, TEST_NOW);
    expect(cells).toHaveLength(def.table!.columns.length);
  });

  it.each(allResources.filter((d) => d.selectableFields).map((d) => [d.names.resource, d] as const))(
    '%s: selectable fields list all their keys even for an empty object',
    (_name, def) => {
      const fields = def.selectableFields!({ metadata: {} });
      expect(Object.keys(fields).length).toBeGreaterThan(0);
      for (const v of Object.values(fields)) expect(typeof v).toBe('string');
    },
  );
});
