import { afterEach, describe, expect, it } from 'vitest';
import type { CustomResourceDefinition, KubeObject } from '../../../api/index.js';
import { FakeClock, StatusError } from '../../../machinery/index.js';
import { SqliteObjectStore } from '../../storage/index.js';
import { ResourceCatalog } from '../catalog.js';
import { SchemaCodec } from '../codec.js';
import { customResourceDefinitions } from '../customresourcedefinitions/index.js';
import { GenericRegistry } from '../generic-registry.js';
import { allResources, namespaces } from '../index.js';
import { CustomResourceDefinitionController } from './controller.js';

const crd = (plural: string, kind: string, group = 'example.com', singular?: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, kind, ...(singular ? { singular } : {}) },
    versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } } } } },
      { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
});

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

function setup() {
  const store = new SqliteObjectStore({ path: ':memory:' });
  const registry = new GenericRegistry({ store, clock: new FakeClock('2026-05-01T10:00:00Z'), codec: new SchemaCodec(), namespaces });
  registry.create(namespaces, '', { metadata: { name: 'default' } });
  const catalog = new ResourceCatalog(allResources);
  const controller = new CustomResourceDefinitionController({ registry, catalog, clock: new FakeClock('2026-05-01T10:00:00Z') });
  stops.push(() => controller.stop(), () => store.close());
  return { store, registry, catalog, controller };
}

const getCRD = (registry: GenericRegistry, name: string) => registry.get(customResourceDefinitions, '', name) as CustomResourceDefinition;
const conditions = (c: CustomResourceDefinition) => Object.fromEntries((c.status?.conditions ?? []).map((x) => [x.type, `${x.status}/${x.reason}`]));

describe('CustomResourceDefinitionController', () => {
  it('establishes a CRD: accepted names, conditions, and its served versions in the catalog (not the unserved one)', () => {
    const { registry, catalog, controller } = setup();
    registry.create(customResourceDefinitions, '', crd('widgets', 'Widget'));
    controller.start();
    const c = getCRD(registry, 'widgets.example.com');
    expect(conditions(c)).toEqual({ NamesAccepted: 'True/NoConflicts', Established: 'True/InitialNamesAccepted' });
    expect(c.status?.acceptedNames).toEqual({ plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' });
    expect(catalog.resolve('example.com', 'v1', 'widgets')?.names.kind).toBe('Widget');
    expect(catalog.resolve('example.com', 'v1beta1', 'widgets')).toBeUndefined();
    // Custom resources go through the registry with the CRD's defaults.
    const def = catalog.resolve('example.com', 'v1', 'widgets')!;
    const w = registry.create(def, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }).object as KubeObject & { spec: unknown };
    expect(w.spec).toEqual({ size: 1 });
  });

  it('refuses names another CRD of the group holds, and names of built-in resources', () => {
    const { registry, catalog, controller } = setup();
    registry.create(customResourceDefinitions, '', crd('widgets', 'Widget'));
    controller.start();
    controller.sync('widgets.example.com');
    registry.create(customResourceDefinitions, '', crd('gizmos', 'Widget', 'example.com', 'gizmo'));
    controller.sync('gizmos.example.com');
    expect(conditions(getCRD(registry, 'gizmos.example.com'))).toEqual({ NamesAccepted: 'False/KindConflict', Established: 'False/NotAccepted' });
    expect(getCRD(registry, 'gizmos.example.com').status?.conditions?.[0]?.message).toBe('"Widget" is already in use');
    registry.create(customResourceDefinitions, '', crd('gadgets', 'Gadget', 'example.com', 'widget'));
    controller.sync('gadgets.example.com');
    expect(conditions(getCRD(registry, 'gadgets.example.com')).NamesAccepted).toBe('False/SingularConflict');
    expect(catalog.resolve('example.com', 'v1', 'gizmos')).toBeUndefined();
    registry.create(customResourceDefinitions, '', crd('logstores', 'Store', 'logs.jobyard.io'));
    controller.sync('logstores.logs.jobyard.io');
    expect(conditions(getCRD(registry, 'logstores.logs.jobyard.io')).NamesAccepted).toBe('False/PluralConflict');
    expect(catalog.resolve('logs.jobyard.io', 'v1', 'logstores')?.names.kind).toBe('Logstore');
  });

  it('a deleted CRD terminates: its objects are deleted, creates refused, then the CRD and its serving go', () => {
    const { registry, catalog, controller, store } = setup();
    registry.create(customResourceDefinitions, '', crd('widgets', 'Widget'));
    controller.start();
    const def = catalog.resolve('example.com', 'v1', 'widgets')!;
    registry.create(def, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a' } });
    registry.create(def, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const marked = registry.delete(customResourceDefinitions, '', 'widgets.example.com');
    expect(marked.removed).toBe(false);
    controller.sync('widgets.example.com');
    expect(conditions(getCRD(registry, 'widgets.example.com')).Terminating).toBe('True/InstanceDeletionCheck');
    expect(store.list('example.com/widgets').items.map((o) => o.metadata.name)).toEqual(['held']);
    const served = catalog.resolve('example.com', 'v1', 'widgets')!;
    expect(() => registry.create(served, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'late' } })).toThrow(StatusError);
    // The object's own finalizer goes (its controller is done): the next sync lets the CRD go.
    registry.guaranteedUpdate(served, 'default', 'held', (o) => (o.metadata.finalizers = []));
    const written: string[] = [];
    const stop = store.watch('apiextensions.k8s.io/customresourcedefinitions', undefined, store.currentRv(), (e) => {
      const c = (e.object as { status?: { conditions?: { type: string; status: string; reason: string }[] } } | undefined)?.status?.conditions?.find((x) => x.type === 'Terminating');
      if (c) written.push(`${c.status}/${c.reason}`);
    });
    controller.sync('widgets.example.com');
    stop();
    // Upstream's last status before the finalizer goes: Terminating False, all instances removed.
    expect(written).toContain('False/InstanceDeletionCompleted');
    expect(() => getCRD(registry, 'widgets.example.com')).toThrow(/not found/);
    controller.sync('widgets.example.com');
    expect(catalog.resolve('example.com', 'v1', 'widgets')).toBeUndefined();
    expect(store.list('example.com/widgets').items).toEqual([]);
  });
});
