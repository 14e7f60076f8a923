import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../api/index.js';
import { FakeClock, StatusError, fieldErrors, forbidden, parseLabelSelector, isConflict, isNotFound } from '../../machinery/index.js';
import type { AdmissionAttributes } from '../admission/types.js';
import { SqliteObjectStore } from '../storage/index.js';
import { GenericRegistry, type Codec } from './generic-registry.js';
import type { ResourceDefinition } from './resource.js';

// A resource with just enough rules to exercise the generic sequence.
const widgets: ResourceDefinition = {
  names: { group: 'example.io', version: 'v1', resource: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', namespaced: true },
  schema: { type: 'any' },
  strategy: {
    defaults: (obj) => {
      const spec = ((obj as { spec?: Record<string, unknown> }).spec ??= {});
      spec.size ??= 1;
    },
    prepareForCreate: (obj) => {
      delete (obj as { status?: unknown }).status;
      obj.metadata.generation = 1;
    },
    prepareForUpdate: (obj, old) => {
      (obj as { status?: unknown }).status = (old as { status?: unknown }).status;
      if (JSON.stringify((obj as { spec?: unknown }).spec) !== JSON.stringify((old as { spec?: unknown }).spec)) {
        obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
      }
    },
    validate: (obj) => {
      const size = (obj as { spec?: { size?: number } }).spec?.size ?? 0;
      return size < 0 ? [fieldErrors.invalid('spec.size', size, 'must be greater than or equal to 0')] : [];
    },
    validateUpdate: (obj) => widgets.strategy.validate(obj),
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    deletionGracePeriodSeconds: (obj, requested) => ((obj as { spec?: { graceful?: boolean } }).spec?.graceful ? (requested ?? 30) : 0),
  },
  status: {
    prepareForUpdate: (obj, old) => {
      (obj as { spec?: unknown }).spec = (old as { spec?: unknown }).spec;
    },
    validateUpdate: () => [],
  },
  selectableFields: (obj) => ({ 'spec.color': String((obj as { spec?: { color?: string } }).spec?.color ?? '') }),
};

const namespaces: ResourceDefinition = {
  names: { group: '', version: 'v1', resource: 'namespaces', singular: 'namespace', kind: 'Namespace', listKind: 'NamespaceList', namespaced: false },
  schema: { type: 'any' },
  strategy: {
    prepareForCreate: () => {},
    prepareForUpdate: () => {},
    validate: () => [],
    validateUpdate: () => [],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

// JSON merge patch only; the schema-aware codec has its own tests.
const plainCodec: Codec = {
  decode: (_def, body) => ({ obj: structuredClone(body) as KubeObject, warnings: [] }),
  applyPatch: (_def, original, _type, patch) => mergePatch(original, patch) as KubeObject,
};

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function setup() {
  const store = new SqliteObjectStore({ path: ':memory:' });
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  const registry = new GenericRegistry({
    store,
    clock,
    codec: plainCodec,
    namespaces,
  });
  registry.create(namespaces, '', { metadata: { name: 'default' } });
  return { store, clock, registry };
}

const widget = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'example.io/v1',
  kind: 'Widget',
  metadata: { name, ...meta },
  spec,
});

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('GenericRegistry create', () => {
  it('sets system fields, defaults and generation, and stores the object', () => {
    const { registry } = setup();
    const { object } = registry.create(widgets, 'default', widget('a'));
    expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(object.metadata.creationTimestamp).toBe('2026-05-01T10:00:00Z');
    expect(object.metadata.namespace).toBe('default');
    expect(object.metadata.generation).toBe(1);
    expect(object.metadata.resourceVersion).toBe('2');
    expect((object as unknown as { spec: { size: number } }).spec.size).toBe(1);
    expect(registry.get(widgets, 'default', 'a').metadata.uid).toBe(object.metadata.uid);
  });

  it('generates a name from generateName', () => {
    const { registry } = setup();
    const { object } = registry.create(widgets, 'default', widget('', {}, { generateName: 'job-' }));
    expect(object.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses a name already taken with AlreadyExists, and a missing namespace with NotFound', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    const dup = statusOf(() => registry.create(widgets, 'default', widget('a')));
    expect(dup.status.code).toBe(409);
    expect(dup.status.message).toBe('widgets.example.io "a" already exists');
    const ns = statusOf(() => registry.create(widgets, 'nope', widget('b')));
    expect(ns.status.code).toBe(404);
    expect(ns.status.message).toBe('namespaces "nope" not found');
  });

  it('answers validation failures with 422 and field causes, storing nothing', () => {
    const { registry, store } = setup();
    const rv = store.currentRv();
    const err = statusOf(() => registry.create(widgets, 'default', widget('a', { size: -1 })));
    expect(err.status.code).toBe(422);
    expect(err.status.message).toBe('Widget.example.io "a" is invalid: spec.size: Invalid value: -1: must be greater than or equal to 0');
    expect(err.status.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.size' }]);
    expect(store.currentRv()).toBe(rv);
  });

  it('does not store on a dry run but answers with the object', () => {
    const { registry, store } = setup();
    const rv = store.currentRv();
    const { object } = registry.create(widgets, 'default', widget('a'), { dryRun: true });
    expect(object.metadata.name).toBe('a');
    expect(store.currentRv()).toBe(rv);
    expect(() => registry.get(widgets, 'default', 'a')).toThrow(/not found/);
  });
});

describe('GenericRegistry update and patch', () => {
  it('refuses a stale resourceVersion with Conflict and changes nothing', () => {
    const { registry } = setup();
    const first = registry.create(widgets, 'default', widget('a')).object;
    registry.update(widgets, 'default', 'a', { ...first, spec: { size: 2 } });
    const err = statusOf(() => registry.update(widgets, 'default', 'a', { ...first, spec: { size: 3 } }));
    expect(isConflict(err)).toBe(true);
    expect(err.status.message).toBe(
      'Operation cannot be fulfilled on widgets.example.io "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((registry.get(widgets, "default", "a") as unknown as { spec: { size: number } }).spec.size).toBe(2);
  });

  it('bumps generation on spec change only and keeps status on a main-resource update', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    registry.patch(widgets, 'default', 'a', 'merge', { status: { phase: 'Ready' } }, { subresource: 'status' });
    const afterLabel = registry.patch(widgets, 'default', 'a', 'merge', { metadata: { labels: { x: 'y' } }, status: { phase: 'Hacked' } }).object;
    expect(afterLabel.metadata.generation).toBe(1);
    expect((afterLabel as unknown as { status: { phase: string } }).status.phase).toBe('Ready');
    const afterSpec = registry.patch(widgets, 'default', 'a', 'merge', { spec: { size: 5 } }).object;
    expect(afterSpec.metadata.generation).toBe(2);
  });

  it('status updates keep the spec', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a', { size: 1 }));
    const out = registry.patch(widgets, 'default', 'a', 'merge', { spec: { size: 9 }, status: { phase: 'Done' } }, { subresource: 'status' }).object;
    expect((out as unknown as { spec: { size: number } }).spec.size).toBe(1);
    expect((out as unknown as { status: { phase: string } }).status.phase).toBe('Done');
  });

  it('writes nothing for a no-op update', () => {
    const { registry, store } = setup();
    const a = registry.create(widgets, 'default', widget('a')).object;
    const rv = store.currentRv();
    const out = registry.update(widgets, 'default', 'a', a).object;
    expect(out.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    expect(store.currentRv()).toBe(rv);
  });

  it('refuses a change of uid', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    const err = statusOf(() => registry.patch(widgets, 'default', 'a', 'merge', { metadata: { uid: 'other' } }));
    expect(err.status.code).toBe(422);
    expect(err.status.details?.causes?.[0].field).toBe('metadata.uid');
  });

  it('answers NotFound when patching a missing object', () => {
    const { registry } = setup();
    expect(isNotFound(statusOf(() => registry.patch(widgets, 'default', 'x', 'merge', {})))).toBe(true);
  });
});

describe('GenericRegistry delete', () => {
  it('deletes at once without finalizers or grace', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    const out = registry.delete(widgets, 'default', 'a', { propagationPolicy: 'Background' });
    expect(out.removed).toBe(true);
    expect(() => registry.get(widgets, 'default', 'a')).toThrow(/not found/);
  });

  it('keeps an object with finalizers until the last one is removed', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a', {}, { finalizers: ['example.io/hold'] }));
    const out = registry.delete(widgets, 'default', 'a', {});
    expect(out.removed).toBe(false);
    expect(out.object.metadata.deletionTimestamp).toBe('2026-05-01T10:00:00Z');
    expect(out.object.metadata.deletionGracePeriodSeconds).toBe(0);
    const added = statusOf(() => registry.patch(widgets, 'default', 'a', 'merge', { metadata: { finalizers: ['example.io/hold', 'example.io/more'] } }));
    expect(added.status.code).toBe(422);
    registry.patch(widgets, 'default', 'a', 'merge', { metadata: { finalizers: null } });
    expect(() => registry.get(widgets, 'default', 'a')).toThrow(/not found/);
  });

  it('adds the orphan or foregroundDeletion finalizer for those propagation policies', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    registry.create(widgets, 'default', widget('b'));
    expect(registry.delete(widgets, 'default', 'a', { propagationPolicy: 'Orphan' }).object.metadata.finalizers).toEqual(['orphan']);
    expect(registry.delete(widgets, 'default', 'b', { propagationPolicy: 'Foreground' }).object.metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('uses the grace period of a graceful resource, and lets it only shrink', () => {
    const { registry, clock } = setup();
    registry.create(widgets, 'default', widget('a', { graceful: true }));
    const first = registry.delete(widgets, 'default', 'a', {});
    expect(first.removed).toBe(false);
    expect(first.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(first.object.metadata.deletionTimestamp).toBe('2026-05-01T10:00:30Z');
    clock.step(1000);
    const longer = registry.delete(widgets, 'default', 'a', { gracePeriodSeconds: 60 });
    expect(longer.object.metadata.deletionGracePeriodSeconds).toBe(30);
    const now = registry.delete(widgets, 'default', 'a', { gracePeriodSeconds: 0 });
    expect(now.removed).toBe(true);
  });

  it('checks uid and resourceVersion preconditions', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a'));
    expect(statusOf(() => registry.delete(widgets, 'default', 'a', { preconditions: { uid: 'x' } })).status.code).toBe(409);
    expect(statusOf(() => registry.delete(widgets, 'default', 'a', { preconditions: { resourceVersion: '1' } })).status.code).toBe(409);
  });
});

describe('GenericRegistry list and watch', () => {
  it('filters by label and field selectors and pages with continue', () => {
    const { registry } = setup();
    for (const [n, color, tier] of [['a', 'red', 'web'], ['b', 'blue', 'web'], ['c', 'red', 'db'], ['d', 'red', 'web']]) {
      registry.create(widgets, 'default', widget(n, { color }, { labels: { tier } }));
    }
    const red = registry.list(widgets, { namespace: 'default', fieldSelector: [{ field: 'spec.color', operator: '=', value: 'red' }] });
    expect(red.items.map((o) => o.metadata.name)).toEqual(['a', 'c', 'd']);
    const web = registry.list(widgets, { namespace: 'default', labelSelector: parseLabelSelector('tier in (web),tier!=db') });
    expect(web.items.map((o) => o.metadata.name)).toEqual(['a', 'b', 'd']);
    const page1 = registry.list(widgets, { namespace: 'default', limit: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page1.remainingItemCount).toBe(1);
    const page2 = registry.list(widgets, { namespace: 'default', limit: 3, continue: page1.continue });
    expect(page2.items.map((o) => o.metadata.name)).toEqual(['d']);
    expect(page2.continue).toBeUndefined();
    expect(statusOf(() => registry.list(widgets, { fieldSelector: [{ field: 'spec.size', operator: '=', value: '1' }] })).status.code).toBe(400);
  });

  it('sends the current state first, then changes, with selector transitions', () => {
    const { registry } = setup();
    registry.create(widgets, 'default', widget('a', {}, { labels: { tier: 'web' } }));
    const events: WatchEvent[] = [];
    const { stop } = registry.watch(widgets, { namespace: 'default', labelSelector: parseLabelSelector('tier=web') }, (e) => events.push(e));
    registry.create(widgets, 'default', widget('b', {}, { labels: { tier: 'db' } }));
    registry.patch(widgets, 'default', 'b', 'merge', { metadata: { labels: { tier: 'web' } } });
    registry.patch(widgets, 'default', 'a', 'merge', { metadata: { labels: { tier: 'db' } } });
    registry.delete(widgets, 'default', 'a', {});
    stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });

  it('resumes from a resourceVersion and answers 410 when it was compacted', () => {
    const { registry, store } = setup();
    const a = registry.create(widgets, 'default', widget('a')).object;
    registry.create(widgets, 'default', widget('b'));
    const events: string[] = [];
    registry.watch(widgets, { resourceVersion: a.metadata.resourceVersion }, (e) => events.push(`${e.type} ${e.object.metadata.name}`)).stop();
    expect(events).toEqual(['ADDED b']);
    store.compact(store.currentRv());
    const err = statusOf(() => registry.watch(widgets, { resourceVersion: a.metadata.resourceVersion }, () => {}));
    expect(err.status.code).toBe(410);
    expect(err.status.reason).toBe('Expired');
  });
});

describe('namespace deletion through the real namespaces definition', () => {
  it('keeps a deleted namespace Terminating until finalize empties spec.finalizers', async () => {
    const { namespaces: realNamespaces } = await import('./namespaces/index.js');
    const store = new SqliteObjectStore({ path: ':memory:' });
    const registry = new GenericRegistry({ store, clock: new FakeClock(), codec: plainCodec });
    registry.create(realNamespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const deleted = registry.delete(realNamespaces, '', 'team', {});
    expect(deleted.removed).toBe(false);
    const ns = registry.get(realNamespaces, '', 'team') as unknown as { status: { phase: string }; spec: { finalizers: string[] } };
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    registry.update(realNamespaces, '', 'team', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(() => registry.get(realNamespaces, '', 'team')).toThrow(/not found/);
  });
});

describe('GenericRegistry admission', () => {
  function withAdmission(refuse: (a: AdmissionAttributes) => boolean) {
    const seen: AdmissionAttributes[] = [];
    const store = new SqliteObjectStore({ path: ':memory:' });
    const registry = new GenericRegistry({
      store,
      clock: new FakeClock('2026-05-01T10:00:00Z'),
      codec: plainCodec,
      namespaces,
      admission: {
        name: 'test',
        validate: (a) => {
          seen.push(a);
          if (refuse(a)) throw forbidden(`${a.resource} "${a.name}" is forbidden: no`);
          return [`seen ${a.operation}`];
        },
      },
    });
    registry.create(namespaces, '', { metadata: { name: 'default' } });
    return { registry, store, seen };
  }

  it('runs after validation on create and update, adds its warnings, and nothing is stored when it refuses', () => {
    const { registry, store, seen } = withAdmission((a) => (a.object as { spec?: { size?: number } }).spec?.size === 13);
    expect(registry.create(widgets, 'default', widget('a')).warnings).toEqual(['seen CREATE']);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ operation: 'CREATE', group: 'example.io', resource: 'widgets', kind: 'Widget', namespace: 'default', name: 'a', subresource: '', dryRun: false });
    expect((last.object as unknown as { spec: { size: number } }).spec.size).toBe(1);
    expect(statusOf(() => registry.create(widgets, 'default', widget('b', { size: 13 }))).code).toBe(403);
    expect(store.get('example.io/widgets', 'default', 'b')).toBeUndefined();
    // Invalid objects are refused by validation before admission sees them.
    const before = seen.length;
    expect(statusOf(() => registry.create(widgets, 'default', widget('c', { size: -1 }))).code).toBe(422);
    expect(seen.length).toBe(before);
    const updated = registry.patch(widgets, 'default', 'a', 'merge', { metadata: { labels: { x: 'y' } } }, { subresource: undefined });
    expect(updated.warnings).toEqual(['seen UPDATE']);
    expect(seen[seen.length - 1].oldObject?.metadata.labels).toBeUndefined();
    expect(statusOf(() => registry.patch(widgets, 'default', 'a', 'merge', { spec: { size: 13 } })).code).toBe(403);
    expect((store.get('example.io/widgets', 'default', 'a') as unknown as { spec: { size: number } }).spec.size).toBe(1);
  });

  it('tells the plugin the subresource; a cluster-scoped object has no namespace', () => {
    const { registry, seen } = withAdmission(() => false);
    registry.create(widgets, 'default', widget('a'));
    registry.update(widgets, 'default', 'a', { ...widget('a'), status: { ok: true } }, { subresource: 'status' });
    expect(seen[seen.length - 1].subresource).toBe('status');
    registry.create(namespaces, '', { metadata: { name: 'other' } });
    expect(seen[seen.length - 1]).toMatchObject({ resource: 'namespaces', namespace: '', name: 'other' });
  });
});
