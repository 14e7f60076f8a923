// Garbage collection of objects owned by custom resources, on a real server with its
// controllers, driven by kubectl 1.32: a ConfigMap, a Job and another custom resource whose
// ownerReferences name a custom resource go with it (background), a foreground deletion waits
// for them and then lets the owner go, and --cascade=orphan leaves them without the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'stacks.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'stacks', singular: 'stack', kind: 'Stack' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
};

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Creates a Stack and returns the owner reference its dependents carry. */
async function stack(name: string): Promise<Record<string, unknown>> {
  const created = JSON.parse(await ok(['create', '-o', 'json', '-f', '-'], YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Stack', metadata: { name, namespace: 'default' }, spec: { size: 1 } })));
  return { apiVersion: 'example.com/v1', kind: 'Stack', name, uid: created.metadata.uid, blockOwnerDeletion: true };
}

const configMap = (name: string, owner: Record<string, unknown>) => YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ownerReferences: [owner] }, data: { a: 'b' } });

/** Waits (kubectl's own wait) until the objects are gone. */
async function gone(...refs: string[]): Promise<void> {
  await ok(['wait', '--for=delete', '--timeout=60s', ...refs]);
  for (const ref of refs) expect((await server.kubectl(['get', ref])).stderr).toContain('NotFound');
}

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
  await ok(['apply', '-f', '-'], YAML.stringify(CRD));
  await ok(['wait', '--for', 'condition=Established', '--timeout=30s', 'crd/stacks.example.com']);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('garbage collection of what custom resources own', () => {
  it('deleting a custom resource deletes its ConfigMap, Job and custom resource dependents (background)', async () => {
    const owner = await stack('bg');
    await ok(['create', '-f', '-'], configMap('bg-config', owner));
    await ok(['create', '-f', '-'], YAML.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bg-job', namespace: 'default', ownerReferences: [owner] }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }));
    await ok(['create', '-f', '-'], YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Stack', metadata: { name: 'bg-child', namespace: 'default', ownerReferences: [owner] }, spec: { size: 2 } }));
    await ok(['delete', 'stack', 'bg']);
    await gone('configmap/bg-config', 'job/bg-job', 'stack/bg-child');
  });

  it('--cascade=foreground keeps the owner until its dependents are gone, then the collector lets it go', async () => {
    const owner = await stack('fg');
    await ok(['create', '-f', '-'], configMap('fg-config', owner));
    await ok(['create', '-f', '-'], YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Stack', metadata: { name: 'fg-child', namespace: 'default', ownerReferences: [owner] }, spec: { size: 2 } }));
    await ok(['delete', 'stack', 'fg', '--cascade=foreground', '--wait=false']);
    await gone('stack/fg', 'configmap/fg-config', 'stack/fg-child');
  });

  it('--cascade=orphan leaves the dependents, their reference to the owner removed (a custom resource too)', async () => {
    const owner = await stack('or');
    await ok(['create', '-f', '-'], configMap('or-config', owner));
    await ok(['create', '-f', '-'], YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Stack', metadata: { name: 'or-child', namespace: 'default', ownerReferences: [owner] }, spec: { size: 2 } }));
    await ok(['delete', 'stack', 'or', '--cascade=orphan']);
    await gone('stack/or');
    for (const ref of ['configmap/or-config', 'stack/or-child']) {
      const obj = JSON.parse(await ok(['get', ref, '-o', 'json']));
      expect(obj.metadata.ownerReferences ?? []).toEqual([]);
    }
  });
});
