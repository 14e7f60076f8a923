// Server-side apply and managedFields with the installed kubectl and @kubernetes/client-node
// against a real `jobyard server`: create and update by apply, a conflict with a client-side
// PATCH by another manager, --force-conflicts, dry run, and what other writes record.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer, kubectlVersion } from '../support/jobyard-server.js';

let server: JobyardServer;

beforeAll(async () => {
  console.log(`kubectl ${await kubectlVersion()}`);
  // No controllers or agent: only the writes these tests make.
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
});

afterAll(async () => {
  await server?.stop();
});

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${counter++}`;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function getJson<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as T;
}

const configMap = (name: string, data: Record<string, string>) => YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const entries = (o: { metadata: { managedFields?: Entry[] } }) => o.metadata.managedFields ?? [];

describe('kubectl apply --server-side', () => {
  it('creates, updates and prunes what the applier stops applying', async () => {
    const name = unique('ssa');
    expect(await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: '1', b: '1' }))).toContain(`configmap/${name} serverside-applied`);
    let cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(cm.data).toEqual({ a: '1', b: '1' });
    expect(entries(cm)).toEqual([
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } } },
    ]);
    expect(await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: '2' }))).toContain(`configmap/${name} serverside-applied`);
    cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(cm.data).toEqual({ a: '2' });
    expect(entries(cm).map((e) => e.fieldsV1)).toEqual([{ 'f:data': { 'f:a': {} } }]);
  });

  it('conflicts with a field another manager changed; --force-conflicts takes it over', async () => {
    const name = unique('conflict');
    await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: '1', b: '1' }));
    // A client-side PATCH by another manager (kubectl patch's fieldManager is kubectl-patch).
    await ok(['patch', 'configmap', name, '--type', 'merge', '-p', '{"data":{"a":"changed"}}']);
    let cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(entries(cm).map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply', 'kubectl-patch/Update']);
    expect(entries(cm).find((e) => e.manager === 'kubectl-patch')?.fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });

    const refused = await server.kubectl(['apply', '--server-side', '-f', '-'], configMap(name, { a: '1', b: '1' }));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.a');
    expect((await getJson(['get', 'configmap', name])).data.a).toBe('changed');

    // The same value is no conflict: both own it.
    await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: 'changed', b: '1' }));
    cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(entries(cm).find((e) => e.manager === 'kubectl')?.fieldsV1).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });

    await ok(['patch', 'configmap', name, '--type', 'merge', '-p', '{"data":{"a":"again"}}']);
    expect(await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], configMap(name, { a: '1', b: '1' }))).toContain('serverside-applied');
    cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(cm.data).toEqual({ a: '1', b: '1' });
    expect(entries(cm).map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply']);
  });

  it('applies a Job (containers by name) and --dry-run=server changes nothing', async () => {
    const name = unique('job');
    const job = (image: string) =>
      YAML.stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name },
        spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image, env: [{ name: 'A', value: '1' }] }] } } },
      });
    await ok(['apply', '--server-side', '-f', '-'], job('busybox:1.36'));
    const created = await getJson(['get', 'job', name, '--show-managed-fields']);
    const fields = entries(created).find((e) => e.manager === 'kubectl')!.fieldsV1 as any;
    expect(fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"main"}']).toEqual({
      '.': {},
      'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
      'f:image': {},
      'f:name': {},
    });
    expect(await ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], configMap(unique('dry'), { a: '1' }))).toContain('serverside-applied (server dry run)');
    const after = await getJson(['get', 'job', name, '--show-managed-fields']);
    expect(after.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('records the manager of client-side writes: kubectl create, label and replace', async () => {
    const name = unique('writes');
    await ok(['create', 'configmap', name, '--from-literal=a=1', '--from-literal=b=1']);
    await ok(['label', 'configmap', name, 'team=x']);
    const read = await getJson(['get', 'configmap', name]);
    read.data.b = '2';
    await ok(['replace', '-f', '-'], JSON.stringify(read));
    const cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(entries(cm).map((e) => `${e.manager}/${e.operation}`).sort()).toEqual(['kubectl-create/Update', 'kubectl-label/Update', 'kubectl-replace/Update']);
    const fieldsOf = (m: string) => entries(cm).find((e) => e.manager === m)?.fieldsV1;
    expect(fieldsOf('kubectl-create')).toEqual({ 'f:data': { '.': {}, 'f:a': {} } });
    expect(fieldsOf('kubectl-label')).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } } });
    expect(fieldsOf('kubectl-replace')).toEqual({ 'f:data': { 'f:b': {} } });
  });
});

describe('@kubernetes/client-node server-side apply', () => {
  it('creates and updates with the apply patch type, a 409 on conflict, force to take over', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const name = unique('client-node');
    const spec = (data: Record<string, string>): k8s.KubernetesObject & { data: Record<string, string> } => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
    const created = await objects.patch(spec({ a: '1' }), undefined, undefined, 'my-operator', false, k8s.PatchStrategy.ServerSideApply);
    expect(created.metadata?.managedFields?.map((e) => `${e.manager}/${e.operation}`)).toEqual(['my-operator/Apply']);
    const updated = (await objects.patch(spec({ a: '2' }), undefined, undefined, 'my-operator', false, k8s.PatchStrategy.ServerSideApply)) as typeof created & { data: Record<string, string> };
    expect(updated.data).toEqual({ a: '2' });
    const conflict = await objects.patch(spec({ a: '3' }), undefined, undefined, 'other-operator', false, k8s.PatchStrategy.ServerSideApply).then(
      () => undefined,
      (err: { code?: number; body?: string }) => err,
    );
    expect(conflict?.code).toBe(409);
    expect(JSON.parse(conflict!.body!)).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "my-operator": .data.a',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "my-operator"', field: '.data.a' }] },
    });
    const forced = (await objects.patch(spec({ a: '3' }), undefined, undefined, 'other-operator', true, k8s.PatchStrategy.ServerSideApply)) as typeof updated;
    expect(forced.data).toEqual({ a: '3' });
  });
});
