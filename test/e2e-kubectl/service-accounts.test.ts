// ServiceAccounts with the installed kubectl 1.32 against a real `jobyard server`: the default
// account and kube-root-ca.crt in a new namespace (also for a pod created in the same stream), kubectl get sa's columns, kubectl create token,
// and kubectl used with that token: auth whoami and can-i as the account, its own namespace's
// Jobs listed, another namespace's and a pod creation refused with upstream's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer, runKubectl } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

let server: JobyardServer;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[]): Promise<string> {
  const r = await server.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('kubectl and ServiceAccounts', () => {
  it('a new namespace gets its default ServiceAccount and kube-root-ca.crt; the account comes back when deleted', async () => {
    await ok(['create', 'namespace', 'sa-kubectl']);
    await waitFor('default ServiceAccount', async () => (await server.kubectl(['-n', 'sa-kubectl', 'get', 'sa', 'default'])).code === 0);
    expect((await ok(['-n', 'sa-kubectl', 'get', 'sa'])).split('\n')[0]!.split(/\s+/)).toEqual(['NAME', 'SECRETS', 'AGE']);
    const ca = JSON.parse(await ok(['-n', 'sa-kubectl', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json'])) as { data: Record<string, string> };
    expect(ca.data['ca.crt']).toBe(server.caPem);
    const uid = (await ok(['-n', 'sa-kubectl', 'get', 'sa', 'default', '-o', 'jsonpath={.metadata.uid}'])).trim();
    await ok(['-n', 'sa-kubectl', 'delete', 'sa', 'default']);
    await waitFor('default ServiceAccount made again', async () => {
      const r = await server.kubectl(['-n', 'sa-kubectl', 'get', 'sa', 'default', '-o', 'jsonpath={.metadata.uid}']);
      return r.code === 0 && r.stdout.trim() !== uid;
    });
  });

  it('a Namespace and a Pod in one kubectl create stream: the pod finds its default account and gets the token volume', async () => {
    for (const i of [1, 2, 3]) {
      const ns = `sa-stream-${i}`;
      const docs = `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${ns}}\nspec: {automountServiceAccountToken: true, containers: [{name: c, image: busybox}]}\n`;
      const r = await server.kubectl(['create', '-f', '-'], docs);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const volumes = (await ok(['-n', ns, 'get', 'pod', 'p', '-o', 'jsonpath={.spec.serviceAccountName} {.spec.volumes[*].name}'])).trim();
      expect(volumes).toMatch(/^default kube-api-access-[a-z0-9]{5}$/);
    }
  });

  it('kubectl with a token from kubectl create token is the account, reads its namespace and nothing more', async () => {
    await ok(['create', 'namespace', 'sa-team']);
    await waitFor('default ServiceAccount', async () => (await server.kubectl(['-n', 'sa-team', 'get', 'sa', 'default'])).code === 0);
    await ok(['-n', 'sa-team', 'create', 'job', 'mine', '--image=busybox', '--', 'true']);
    const token = (await ok(['-n', 'sa-team', 'create', 'token', 'default', '--duration', '10m'])).trim();
    const as = (args: string[]) => runKubectl(['--kubeconfig', server.kubeconfig, `--token=${token}`, ...args]);
    const whoami = await as(['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(whoami.stdout).status.userInfo).toMatchObject({ username: 'system:serviceaccount:sa-team:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:sa-team', 'system:authenticated'] });
    expect((await as(['-n', 'sa-team', 'auth', 'can-i', 'list', 'jobs'])).stdout).toBe('yes\n');
    expect((await as(['-n', 'sa-team', 'auth', 'can-i', 'create', 'pods'])).stdout).toBe('no\n');
    expect((await as(['-n', 'sa-team', 'auth', 'can-i', 'get', 'secrets'])).stdout).toBe('no\n');
    expect((await as(['-n', 'default', 'auth', 'can-i', 'list', 'jobs'])).stdout).toBe('no\n');
    expect((await as(['-n', 'sa-team', 'get', 'jobs', '-o', 'name'])).stdout).toBe('job.batch/mine\n');
    const other = await as(['-n', 'default', 'get', 'jobs']);
    expect([other.code, other.stderr.trim()]).toEqual([1, 'Error from server (Forbidden): jobs.batch is forbidden: User "system:serviceaccount:sa-team:default" cannot list resource "jobs" in API group "batch" in the namespace "default"']);
    const run = await as(['-n', 'sa-team', 'run', 'x', '--image=busybox']);
    expect([run.code, run.stderr.trim()]).toEqual([1, 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:sa-team:default" cannot create resource "pods" in API group "" in the namespace "sa-team"']);
  });
});
