// managedFields on every write path and server-side apply, through the generic registry with
// the real resource definitions, codec and SQLite store. Cases follow upstream's
// fieldmanager_test.go / structured-merge-diff merge tests: ownership, shared ownership,
// conflicts, force, removal of fields a manager stops applying, list maps (containers, env).
import { describe, expect, it } from 'vitest';
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { FakeClock, StatusError } from '../../machinery/index.js';
import { SqliteObjectStore } from '../storage/index.js';
import { SchemaCodec } from './codec.js';
import { GenericRegistry, type WriteOptions } from './generic-registry.js';
import { configMaps, cronJobs, jobs, namespaces, pods } from './index.js';
import { prefixFromUserAgent } from './field-manager.js';

function setup() {
  const store = new SqliteObjectStore({ path: ':memory:' });
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces });
  registry.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, {});
  return { registry, clock };
}

const by = (manager: string, extra: WriteOptions = {}): WriteOptions => ({ fieldManager: manager, userAgent: 'test/1.0', ...extra });
const entries = (o: KubeObject) => (o.metadata.managedFields ?? []) as ManagedFieldsEntry[];
const fieldsOf = (o: KubeObject, manager: string, operation = 'Update') => entries(o).find((e) => e.manager === manager && e.operation === operation)?.fieldsV1;
const managers = (o: KubeObject) => entries(o).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('no error');
}

const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', ...extra }, data });

const cronJob = (containers: unknown[]) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'cj' },
  spec: { schedule: '@hourly', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers } } } } },
});

const job = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi' },
  spec: { ...extra, template: { spec: { restartPolicy: 'Never', containers } } },
});

describe('managedFields on Update', () => {
  it('a create gives its manager every field it set, with the operation, version and time', () => {
    const { registry } = setup();
    const o = registry.create(configMaps, 'default', cm({ a: '1' }, { labels: { app: 'x' } }), by('kubectl-create')).object;
    expect(entries(o)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  it('the manager defaults to the User-Agent before its first "/"', () => {
    const { registry } = setup();
    const o = registry.create(configMaps, 'default', cm({ a: '1' }), { userAgent: 'kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc' }).object;
    expect(managers(o)).toEqual(['kubectl-edit/Update']);
    expect(prefixFromUserAgent('node-fetch/1.0 (+https://github.com/bitinn/node-fetch)')).toBe('node-fetch');
  });

  it('the fields a write changes move to its manager and leave the others; an emptied entry goes', () => {
    const { registry, clock } = setup();
    registry.create(configMaps, 'default', cm({ a: '1', b: '2' }), by('creator'));
    clock.step(60_000);
    let o = registry.patch(configMaps, 'default', 'cm', 'merge', { data: { a: 'changed' } }, by('patcher')).object;
    expect(fieldsOf(o, 'creator')).toEqual({ 'f:data': { '.': {}, 'f:b': {} } });
    expect(fieldsOf(o, 'patcher')).toEqual({ 'f:data': { 'f:a': {} } });
    expect(entries(o).find((e) => e.manager === 'patcher')?.time).toBe('2026-05-01T10:01:00Z');
    o = registry.patch(configMaps, 'default', 'cm', 'json', [{ op: 'replace', path: '/data/b', value: 'x' }], by('patcher')).object;
    expect(fieldsOf(o, 'creator')).toEqual({ 'f:data': {} });
    o = registry.patch(configMaps, 'default', 'cm', 'strategic', { data: null }, by('other')).object;
    expect(managers(o)).toEqual([]);
  });

  it('a no-op write keeps managedFields and the resourceVersion', () => {
    const { registry, clock } = setup();
    const first = registry.create(configMaps, 'default', cm({ a: '1' }), by('creator')).object;
    clock.step(60_000);
    const again = registry.patch(configMaps, 'default', 'cm', 'merge', { data: { a: '1' } }, by('someone')).object;
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(again.metadata.managedFields).toEqual(first.metadata.managedFields);
  });

  it('status writes are their own entry with subresource status; the resource itself cannot take status', () => {
    const { registry } = setup();
    registry.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, by('creator'));
    const o = registry.patch(pods, 'default', 'p', 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, by('kubelet', { subresource: 'status' })).object;
    expect(managers(o)).toEqual(['creator/Update', 'kubelet/Update/status']);
    expect(fieldsOf(o, 'kubelet')).toEqual({ 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} } });
    const after = registry.patch(pods, 'default', 'p', 'merge', { metadata: { labels: { a: 'b' } }, status: { phase: 'Failed' } }, by('editor')).object;
    expect(fieldsOf(after, 'editor')).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
    expect(fieldsOf(after, 'kubelet')).toEqual(fieldsOf(o, 'kubelet'));
  });

  it('managedFields a client sends are taken when valid, [{}] clears them, invalid ones are ignored', () => {
    const { registry } = setup();
    const o = registry.create(configMaps, 'default', cm({ a: '1' }), by('creator')).object;
    const bogus = { ...o, metadata: { ...o.metadata, managedFields: [{ manager: 'x', operation: 'Bogus' }] } };
    expect(managers(registry.update(configMaps, 'default', 'cm', bogus, by('editor')).object)).toEqual(['creator/Update']);
    const mine = [{ manager: 'me', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const taken = registry.update(configMaps, 'default', 'cm', { ...o, metadata: { ...o.metadata, managedFields: mine } }, by('editor')).object;
    expect(entries(taken)).toEqual(mine);
    const cleared = registry.update(configMaps, 'default', 'cm', { ...taken, metadata: { ...taken.metadata, managedFields: [{}] } }, by('editor')).object;
    expect(cleared.metadata.managedFields).toBeUndefined();
  });

  it('at most 10 Update entries: the oldest are merged into ancient-changes', () => {
    const { registry, clock } = setup();
    registry.create(configMaps, 'default', cm({ a: '1' }), by('m0'));
    for (let i = 1; i <= 11; i++) {
      clock.step(1000);
      registry.patch(configMaps, 'default', 'cm', 'merge', { metadata: { labels: { [`l${i}`]: 'x' } } }, by(`m${i}`));
    }
    const o = registry.get(configMaps, 'default', 'cm');
    expect(managers(o)).toEqual(['ancient-changes/Update', ...Array.from({ length: 9 }, (_, i) => `m${i + 3}/Update`)]);
    expect(fieldsOf(o, 'ancient-changes')).toEqual({ 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:l1': {}, 'f:l2': {} } } });
    expect(entries(o)[0].time).toBe('2026-05-01T10:00:02Z');
  });

  it('an object created without fields of its own gets no managedFields from updates, until an apply (before-first-apply)', () => {
    const { registry } = setup();
    registry.create(configMaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, by('kubectl-create'));
    const labelled = registry.patch(configMaps, 'default', 'cm', 'merge', { metadata: { labels: { a: 'b' } }, data: { x: '1' } }, by('kubectl-label')).object;
    expect(labelled.metadata.managedFields).toBeUndefined();
    const err = statusOf(() => registry.patch(configMaps, 'default', 'cm', 'apply', cm({ x: '2' }), by('applier')));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.x');
    const o = registry.patch(configMaps, 'default', 'cm', 'apply', cm({ x: '1' }), by('applier')).object;
    expect(managers(o)).toEqual(['applier/Apply', 'before-first-apply/Update']);
    expect(fieldsOf(o, 'before-first-apply')).toEqual({ 'f:data': { '.': {}, 'f:x': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
  });

  it('writes by the server itself (no request) keep managedFields as they are', () => {
    const { registry } = setup();
    const o = registry.create(configMaps, 'default', cm({ a: '1' }), by('creator')).object;
    const after = registry.guaranteedUpdate(configMaps, 'default', 'cm', (obj) => {
      (obj as unknown as { data: Record<string, string> }).data.a = '2';
    }).object;
    expect(after.metadata.managedFields).toEqual(o.metadata.managedFields);
  });
});

describe('server-side apply', () => {
  const apply = (registry: GenericRegistry, manager: string, config: unknown, extra: WriteOptions = {}, def = configMaps) =>
    registry.patch(def, 'default', (config as { metadata: { name: string } }).metadata.name, 'apply', config, by(manager, extra)).object;

  it('creates when absent, owning what it applied as an Apply entry', () => {
    const { registry } = setup();
    const o = apply(registry, 'kubectl', cm({ a: '1' }));
    expect(o.metadata.uid).toBeTruthy();
    expect(entries(o)).toEqual([
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);
  });

  it('needs fieldManager (422 on PatchOptions); force only on apply; a matching version and kind; no managedFields', () => {
    const { registry } = setup();
    const noManager = statusOf(() => registry.patch(configMaps, 'default', 'cm', 'apply', cm({ a: '1' }), { userAgent: 'kubectl/v1.32' }));
    expect(noManager.status.code).toBe(422);
    expect(noManager.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    registry.create(configMaps, 'default', cm({ a: '1' }), by('creator'));
    expect(statusOf(() => registry.patch(configMaps, 'default', 'cm', 'merge', {}, by('x', { force: true }))).message).toContain('force: Forbidden: may not be specified for non-apply patch');
    expect(statusOf(() => apply(registry, 'm', { ...cm({}), apiVersion: 'v2' })).message).toBe('invalid object type: /v2, Kind=ConfigMap');
    expect(statusOf(() => apply(registry, 'm', { ...cm({}), kind: 'Secret' })).message).toBe('invalid object type: /v1, Kind=Secret');
    expect(statusOf(() => apply(registry, 'm', { ...cm({}), apiVersion: 'a/b/c' })).message).toBe('invalid object type: /, Kind=');
    expect(statusOf(() => apply(registry, 'm', cm({}, { managedFields: [] }))).message).toBe('metadata.managedFields must be nil');
    const unknown = statusOf(() => apply(registry, 'm', { ...cm({}), spec: {} }));
    expect(unknown.status.code).toBe(400);
    expect(unknown.message).toContain('.spec: field not declared in schema');
  });

  it('two appliers of the same value share it without conflict; the one that stops leaves it to the other', () => {
    const { registry } = setup();
    apply(registry, 'a', cm({ shared: 'x', onlyA: '1' }));
    let o = apply(registry, 'b', cm({ shared: 'x' }));
    expect(fieldsOf(o, 'a', 'Apply')).toEqual({ 'f:data': { 'f:onlyA': {}, 'f:shared': {} } });
    expect(fieldsOf(o, 'b', 'Apply')).toEqual({ 'f:data': { 'f:shared': {} } });
    o = apply(registry, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    expect((o as { data?: Record<string, string> }).data).toEqual({ shared: 'x' });
    expect(managers(o)).toEqual(['b/Apply']);
  });

  it('a field another manager owns with another value is a 409 naming each field; force takes it over', () => {
    const { registry } = setup();
    apply(registry, 'kubectl', cm({ a: '1', b: '1' }));
    registry.patch(configMaps, 'default', 'cm', 'merge', { data: { a: '2', b: '2' } }, by('kubectl-edit'));
    const err = statusOf(() => apply(registry, 'kubectl', cm({ a: '1', b: '1' })));
    expect(err.status.code).toBe(409);
    expect(err.status.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:\n- .data.a\n- .data.b');
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.a' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.b' },
    ]);
    const one = statusOf(() => apply(registry, 'other', cm({ a: '3' })));
    expect(one.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a');
    const o = apply(registry, 'kubectl', cm({ a: '1', b: '1' }), { force: true });
    expect((o as { data?: Record<string, string> }).data).toEqual({ a: '1', b: '1' });
    expect(managers(o)).toEqual(['kubectl/Apply']);
  });

  it('removes the fields a manager stops applying, but not those an Update manager also set', () => {
    const { registry } = setup();
    apply(registry, 'kubectl', cm({ a: '1', b: '1', c: '1' }));
    registry.patch(configMaps, 'default', 'cm', 'merge', { data: { c: '2' } }, by('kubectl-edit'));
    const o = apply(registry, 'kubectl', cm({ a: '1' }), { force: false });
    expect((o as { data?: Record<string, string> }).data).toEqual({ a: '1', c: '2' });
  });

  it('merges containers and env by name; an applier owns only its items', () => {
    const { registry } = setup();
    type Containers = { name: string; env?: { name: string }[] }[];
    const containersOf = (o: KubeObject) => (o as unknown as { spec: { jobTemplate: { spec: { template: { spec: { containers: Containers } } } } } }).spec.jobTemplate.spec.template.spec.containers;
    apply(registry, 'a', cronJob([{ name: 'main', image: 'busybox', env: [{ name: 'A', value: '1' }] }]), {}, cronJobs);
    let o = apply(registry, 'b', cronJob([{ name: 'main', env: [{ name: 'B', value: '2' }] }, { name: 'side', image: 'busybox' }]), {}, cronJobs);
    expect(containersOf(o).map((c) => c.name)).toEqual(['main', 'side']);
    expect(containersOf(o)[0].env?.map((e) => e.name)).toEqual(['A', 'B']);
    const bFields = JSON.stringify(fieldsOf(o, 'b', 'Apply'));
    expect(bFields).toContain('"k:{\\"name\\":\\"B\\"}":{".":{},"f:name":{},"f:value":{}}');
    expect(bFields).not.toContain('"k:{\\"name\\":\\"A\\"}"');
    o = apply(registry, 'b', cronJob([{ name: 'main' }]), {}, cronJobs);
    expect(containersOf(o).map((c) => c.name)).toEqual(['main']);
    expect(containersOf(o)[0].env?.map((e) => e.name)).toEqual(['A']);
  });

  it('a changed replica count owned by another manager conflicts on .spec.parallelism; dryRun changes nothing', () => {
    const { registry } = setup();
    apply(registry, 'kubectl', job([{ name: 'main', image: 'busybox' }], { parallelism: 2 }), {}, jobs);
    registry.patch(jobs, 'default', 'pi', 'merge', { spec: { parallelism: 3 } }, by('kubectl-scale'));
    expect(statusOf(() => apply(registry, 'kubectl', job([{ name: 'main', image: 'busybox' }], { parallelism: 2 }), {}, jobs)).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using batch/v1: .spec.parallelism',
    );
    const before = registry.get(jobs, 'default', 'pi');
    const dry = apply(registry, 'kubectl', job([{ name: 'main', image: 'busybox' }], { parallelism: 5 }), { force: true, dryRun: true }, jobs);
    expect((dry as unknown as { spec: { parallelism: number } }).spec.parallelism).toBe(5);
    expect(registry.get(jobs, 'default', 'pi')).toEqual(before);
  });

  it('re-applying the same configuration writes nothing', () => {
    const { registry, clock } = setup();
    const first = apply(registry, 'kubectl', cm({ a: '1' }));
    clock.step(60_000);
    const again = apply(registry, 'kubectl', cm({ a: '1' }));
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(again.metadata.managedFields).toEqual(first.metadata.managedFields);
  });
});
