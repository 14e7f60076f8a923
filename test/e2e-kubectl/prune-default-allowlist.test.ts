// kubectl 1.32 against a real `jobyard server` where it needs every kind of its default prune
// allow-list served (core/v1 ConfigMap, Endpoints, Namespace, PersistentVolumeClaim,
// PersistentVolume, Pod, ReplicationController, Secret, Service; batch/v1 Job, CronJob;
// networking.k8s.io/v1 Ingress; apps/v1 DaemonSet, Deployment, ReplicaSet, StatefulSet): those
// jobyard runs no controller for are served read-only and empty, so `apply --prune` without an
// allow-list works, `get all` answers, and applying a Deployment fails on that object alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer, kubectlVersion } from '../support/jobyard-server.js';

let server: JobyardServer;
let dir: string;

beforeAll(async () => {
  console.log(`kubectl ${await kubectlVersion()}`);
  // The API alone: no controller runs the Job, no agent runs pods.
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  dir = mkdtempSync(join(tmpdir(), 'jobyard-prune-'));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${counter++}`;

async function ok(args: string[]): Promise<string> {
  const r = await server.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const configMap = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { n: name } });
// data, not stringData: a re-applied stringData is always "configured" (upstream too: it is never in the live object).
const secret = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, data: { k: 'dg==' } });
const job = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, labels },
  spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:latest', command: ['true'] }] } } },
});

/** Writes one file per object into a fresh directory `sub` (what was there before is gone). */
function writeDir(sub: string, objects: Record<string, unknown>[]): string {
  const path = join(dir, sub);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
  for (const o of objects) writeFileSync(join(path, `${(o as { metadata: { name: string } }).metadata.name}.yaml`), YAML.stringify(o));
  return path;
}

describe('kubectl apply --prune with the default allow-list', () => {
  it('prunes a labelled ConfigMap that left the directory and keeps the Job and the Secret', async () => {
    const app = unique('prune');
    const labels = { app };
    const [cm, jb, sec] = [`${app}-cm`, `${app}-job`, `${app}-secret`];
    const prune = (path: string) => ['apply', '--prune', '-l', `app=${app}`, '-f', path];

    const first = await server.kubectl(prune(writeDir(app, [configMap(cm, labels), job(jb, labels), secret(sec, labels)])));
    // kubectl maps each kind of its default allow-list first: one it cannot map fails the whole command ("invalid resource ...").
    expect(first.stderr).not.toContain('invalid resource');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`configmap/${cm} created`);
    expect(first.stdout).toContain(`job.batch/${jb} created`);
    expect(first.stdout).toContain(`secret/${sec} created`);

    const second = await server.kubectl(prune(writeDir(app, [job(jb, labels), secret(sec, labels)])));
    expect(second.stderr).not.toContain('invalid resource');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`configmap/${cm} pruned`);
    expect(second.stdout).toContain(`job.batch/${jb} unchanged`);
    expect(second.stdout).toContain(`secret/${sec} unchanged`);
    expect((await server.kubectl(['get', 'configmap', cm])).stderr).toContain('NotFound');
    await ok(['get', 'job', jb]);
    await ok(['get', 'secret', sec]);
  });

  it('prunes with --all in a namespace, leaving what apply did not make', async () => {
    const ns = unique('prune-all');
    // Made by create, not apply (no last-applied annotation): --all, which also looks at
    // Namespaces and PersistentVolumes cluster-wide, leaves it.
    await ok(['create', 'namespace', ns]);
    const [keep, gone] = [`${ns}-keep`, `${ns}-gone`];
    await ok(['create', 'configmap', `${ns}-foreign`, '-n', ns, '--from-literal=a=1']);
    const prune = (path: string) => ['apply', '-n', ns, '--prune', '--all', '-f', path];

    const first = await server.kubectl(prune(writeDir(ns, [configMap(keep, {}), configMap(gone, {})])));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`configmap/${gone} created`);
    // kubectl 1.32's warning for the cluster-scoped kinds of the default allow-list under --namespace.
    expect(first.stderr).toContain('will no longer prune non-namespaced resources by default when used with the --namespace flag');

    const second = await server.kubectl(prune(writeDir(ns, [configMap(keep, {})])));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`configmap/${keep} unchanged`);
    expect(second.stdout).toContain(`configmap/${gone} pruned`);
    expect(second.stdout).not.toContain('namespace/');
    expect((await ok(['get', 'configmaps', '-n', ns, '-o', 'name'])).split('\n').filter(Boolean).sort()).toEqual(
      expect.arrayContaining([`configmap/${keep}`, `configmap/${ns}-foreign`]),
    );
    expect((await server.kubectl(['get', 'configmap', gone, '-n', ns])).stderr).toContain('NotFound');
    await ok(['get', 'namespace', ns]);
  });
});

describe('the kinds jobyard serves read-only', () => {
  it('kubectl get all answers, with the Job and no error for the empty kinds', async () => {
    const name = unique('all');
    const r = await server.kubectl(['apply', '-f', '-'], YAML.stringify(job(name, { app: name })));
    expect(r.code).toBe(0);
    const all = await server.kubectl(['get', 'all', '-o', 'name']);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')).toContain(`job.batch/${name}`);
    const empty = await server.kubectl(['get', 'deployments,replicasets,statefulsets,daemonsets,replicationcontrollers,ingresses']);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toContain('No resources found in default namespace.');
    expect(await server.kubectl(['get', 'pv'])).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found\n' });
  });

  it('apply of a multi-document file with a Deployment fails that object alone with the 405', async () => {
    const name = unique('deploy');
    const file = join(dir, `${name}.yaml`);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      },
    };
    writeFileSync(file, [configMap(`${name}-cm`, {}), deployment, secret(`${name}-secret`, {})].map((o) => YAML.stringify(o)).join('---\n'));
    const r = await server.kubectl(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`configmap/${name}-cm created`);
    expect(r.stdout).toContain(`secret/${name}-secret created`);
    expect(r.stderr.trim()).toBe(
      `Error from server (MethodNotAllowed): error when creating "${file}": create is not supported on resources of kind "deployments.apps": jobyard runs batch workloads (Jobs, CronJobs, Pods)`,
    );
    expect((await server.kubectl(['get', 'deployment', name])).stderr).toContain(`deployments.apps "${name}" not found`);
    // Server-side apply is a patch: refused the same way.
    const ssa = await server.kubectl(['apply', '--server-side', '-f', '-'], YAML.stringify(deployment));
    expect(ssa.code).toBe(1);
    expect(ssa.stderr).toContain('patch is not supported on resources of kind "deployments.apps": jobyard runs batch workloads (Jobs, CronJobs, Pods)');
  });

  it('kubectl explain reads their schema', async () => {
    const out = await ok(['explain', 'deployments.spec.replicas']);
    expect(out).toMatch(/GROUP:\s+apps/);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+replicas <integer>/);
    expect(await ok(['explain', 'pv.spec'])).toMatch(/FIELD:\s+spec <PersistentVolumeSpec>/);
  });
});
