// kubectl 1.32 moving between apply modes against a real `jobyard server`: a client-side
// `kubectl apply` followed by `kubectl apply --server-side` (upstream's lastappliedmanager and
// lastappliedupdater: no conflict on client-side apply's own fields, the annotation kept up),
// and `kubectl apply --prune --applyset` (KEP-3659), whose parent Secret kubectl writes by
// server-side apply and whose members it lists by label and deletes.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
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

interface Entry {
  manager: string;
  operation: string;
  fieldsV1: Record<string, unknown>;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const configMap = (name: string, data: Record<string, string>, namespace?: string) =>
  YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: namespace ? { name, namespace } : { name }, data });
const fieldsOf = (o: { metadata: { managedFields?: Entry[] } }, manager: string, operation: string) =>
  o.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation)?.fieldsV1;

describe('kubectl apply, then kubectl apply --server-side', () => {
  it('takes over what client-side apply set without a conflict, owns it, and keeps the annotation for a later client-side apply', async () => {
    const name = unique('upgrade');
    expect(await ok(['apply', '-f', '-'], configMap(name, { a: '1', b: '1' }))).toContain(`configmap/${name} created`);
    let cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(fieldsOf(cm, 'kubectl-client-side-apply', 'Update')).toMatchObject({ 'f:data': { 'f:a': {}, 'f:b': {} } });

    // Any other manager than kubectl gets the conflict on what client-side apply owns.
    const other = await server.kubectl(['apply', '--server-side', '--field-manager=not-kubectl', '-f', '-'], configMap(name, { a: '2', b: '1' }));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a');
    expect(await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: '2', b: '1' }))).toContain(`configmap/${name} serverside-applied`);
    cm = await getJson(['get', 'configmap', name, '--show-managed-fields']);
    expect(cm.data).toEqual({ a: '2', b: '1' });
    expect(fieldsOf(cm, 'kubectl', 'Apply')).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });
    expect(cm.metadata.managedFields.map((e: Entry) => e.manager)).not.toContain('kubectl-client-side-apply');
    // The annotation is the configuration just applied (the server's lastAppliedUpdater).
    expect(JSON.parse(cm.metadata.annotations[LAST_APPLIED])).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '2', b: '1' } });

    // A later client-side apply diffs against it: b, no longer in the file, goes.
    expect(await ok(['apply', '-f', '-'], configMap(name, { a: '5' }))).toContain(`configmap/${name} configured`);
    cm = await getJson(['get', 'configmap', name]);
    expect(cm.data).toEqual({ a: '5' });
  });

  it('a field another manager changed since the client-side apply still conflicts', async () => {
    const name = unique('upgrade-conflict');
    await ok(['apply', '-f', '-'], configMap(name, { a: '1', b: '1' }));
    await ok(['patch', 'configmap', name, '--type', 'merge', '-p', '{"data":{"b":"patched"}}']);

    const refused = await server.kubectl(['apply', '--server-side', '-f', '-'], configMap(name, { a: '2', b: '1' }));
    expect(refused.code).not.toBe(0);
    // Only .data.b: .data.a is client-side apply's, its annotation value still live.
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.b');
    const cm = await getJson(['get', 'configmap', name]);
    expect(cm.data).toEqual({ a: '1', b: 'patched' });
    expect(JSON.parse(cm.metadata.annotations[LAST_APPLIED]).data).toEqual({ a: '1', b: '1' });

    // Keeping b as it is now leaves no conflict.
    await ok(['apply', '--server-side', '-f', '-'], configMap(name, { a: '2', b: 'patched' }));
    expect((await getJson(['get', 'configmap', name])).data).toEqual({ a: '2', b: 'patched' });
  });
});

/** kubectl with KUBECTL_APPLYSET=true (applysets are behind it in 1.32). */
function kubectlApplySet(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', server.kubeconfig, ...args],
      { env: { ...process.env, KUBECTL_APPLYSET: 'true' }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('kubectl apply --prune --applyset', () => {
  it('labels what it applies, prunes what leaves the set, and keeps the parent Secret as upstream', async () => {
    const ns = unique('applyset');
    await ok(['create', 'namespace', ns]);
    const job = YAML.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'work' },
      spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    });
    const both = [configMap('one', { a: '1' }), configMap('two', { a: '2' }), job].join('---\n');
    const first = await kubectlApplySet(['apply', '--prune', '--applyset=myset', '-n', ns, '-f', '-'], both);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('configmap/one created');
    expect(first.stdout).toContain('configmap/two created');
    expect(first.stdout).toContain('job.batch/work created');

    // The parent: upstream's ID (V1ApplySetIdFormat over sha256 of name.namespace.kind.group), set by server-side apply.
    const id = `applyset-${createHash('sha256').update(`myset.${ns}.Secret.`).digest('base64url')}-v1`;
    const parent = await getJson(['get', 'secret', 'myset', '-n', ns, '--show-managed-fields']);
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': id });
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Job.batch');
    expect(parent.metadata.annotations['applyset.kubernetes.io/tooling']).toMatch(/^kubectl\/v1\.32\./);
    expect(parent.metadata.managedFields.map((e: Entry) => `${e.manager}/${e.operation}`)).toEqual(['kubectl-applyset/Apply']);
    const members = await getJson(['get', 'configmaps,jobs', '-n', ns, '-l', `applyset.kubernetes.io/part-of=${id}`]);
    expect(members.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort()).toEqual(['one', 'two', 'work']);

    // Re-applied without two and the Job: both pruned, one left alone.
    const second = await kubectlApplySet(['apply', '--prune', '--applyset=myset', '-n', ns, '-f', '-'], configMap('one', { a: '1' }));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('configmap/one unchanged');
    expect(second.stdout).toContain('configmap/two pruned');
    expect(second.stdout).toContain('job.batch/work pruned');
    const left = await getJson(['get', 'configmaps', '-n', ns, '-l', `applyset.kubernetes.io/part-of=${id}`]);
    expect(left.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['one']);
    expect((await server.kubectl(['get', 'job', 'work', '-n', ns])).code).not.toBe(0);
    const after = await getJson(['get', 'secret', 'myset', '-n', ns]);
    expect(after.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap');
  });

  it('works with --server-side and a ConfigMap parent too', async () => {
    const ns = unique('applyset-ssa');
    await ok(['create', 'namespace', ns]);
    const apply = (yaml: string) => kubectlApplySet(['apply', '--server-side', '--prune', '--applyset=configmaps/parent', '-n', ns, '-f', '-'], yaml);
    const first = await apply([configMap('one', { a: '1' }), configMap('two', { a: '2' })].join('---\n'));
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('configmap/one serverside-applied');
    const id = `applyset-${createHash('sha256').update(`parent.${ns}.ConfigMap.`).digest('base64url')}-v1`;
    const parent = await getJson(['get', 'configmap', 'parent', '-n', ns]);
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': id });
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap');
    const member = await getJson(['get', 'configmap', 'one', '-n', ns, '--show-managed-fields']);
    expect(member.metadata.labels).toEqual({ 'applyset.kubernetes.io/part-of': id });
    expect(fieldsOf(member, 'kubectl', 'Apply')).toEqual({ 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:applyset.kubernetes.io/part-of': {} } } });

    const second = await apply(configMap('one', { a: '1' }));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('configmap/two pruned');
    expect((await getJson(['get', 'configmaps', '-n', ns, '-l', `applyset.kubernetes.io/part-of=${id}`])).items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['one']);
  });
});
