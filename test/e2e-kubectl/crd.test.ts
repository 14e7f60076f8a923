// CustomResourceDefinitions driven by kubectl 1.32 against a real server, as an operator's
// manifests would: apply a CRD, wait for Established, apply custom resources (defaults set,
// unknown fields pruned), get/list/watch them with the CRD's printer columns, see an invalid
// one refused with the field path, write /status and /scale, and delete the CRD, which deletes
// its objects and stops serving them; kubectl explain reads the schema from OpenAPI v3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-e2e-crd-'));
const ARGS = ['--no-controllers', '--no-agent'];

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['color'],
                properties: {
                  color: { type: 'string', enum: ['red', 'green', 'blue'] },
                  replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                  size: { type: 'string', pattern: '^[0-9]+(Mi|Gi)$' },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } } },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (name: string, spec: Record<string, unknown>) => YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' }, spec });

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  server = await JobyardServer.start({ dataDir, args: ARGS });
  await ok(['apply', '-f', '-'], YAML.stringify(CRD));
  await ok(['wait', '--for', 'condition=Established', '--timeout=30s', 'crd/widgets.example.com']);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CustomResourceDefinition', () => {
  it('is stored with upstream defaults, the cleanup finalizer and NamesAccepted/Established', async () => {
    const crd = JSON.parse(await ok(['get', 'crd', 'widgets.example.com', '-o', 'json']));
    expect(crd.spec.names.listKind).toBe('WidgetList');
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.status.acceptedNames).toEqual(expect.objectContaining({ plural: 'widgets', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] }));
    const conditions = Object.fromEntries(crd.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, `${c.status}/${c.reason}`]));
    expect(conditions).toEqual({ NamesAccepted: 'True/NoConflicts', Established: 'True/InitialNamesAccepted' });
  });

  it('refuses a non-structural schema and a second storage version with upstream field paths', async () => {
    const bad = structuredClone(CRD) as typeof CRD;
    bad.metadata.name = 'gadgets.example.com';
    bad.spec.names = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: [], categories: [] };
    (bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties as Record<string, unknown>).loose = { description: 'no type' };
    bad.spec.versions.push({ ...structuredClone(bad.spec.versions[0]), name: 'v2' });
    const r = await server.kubectl(['apply', '-f', '-'], YAML.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The CustomResourceDefinition "gadgets.example.com" is invalid');
    expect(r.stderr).toContain('spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[loose].type: Required value: must not be empty for specified object fields');
    expect(r.stderr).toContain('must have exactly one version marked as storage version');
  });

  it('is discovered: kubectl api-resources lists the kind with its short name and categories', async () => {
    const out = await ok(['api-resources', '--api-group=example.com', '-o', 'wide']);
    expect(out).toMatch(/widgets\s+wd\s+example\.com\/v1\s+true\s+Widget\s+\S+\s+all\n/);
    const list = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1']));
    expect(list.resources.map((r: { name: string; group?: string; kind: string }) => `${r.name}:${r.group ?? ''}:${r.kind}`)).toEqual([
      'widgets::Widget',
      'widgets/status::Widget',
      'widgets/scale:autoscaling:Scale',
    ]);
  });
});

describe('custom resources', () => {
  it('kubectl explain reads the CRD schema from OpenAPI v3', async () => {
    const out = await ok(['explain', 'widgets.spec']);
    expect(out).toMatch(/GROUP:\s+example\.com\nKIND:\s+Widget\nVERSION:\s+v1/);
    expect(out).toMatch(/FIELD: spec <Object>/);
    expect(out).toMatch(/color\s+<string> -required-\n\s+enum: red, green, blue/);
    expect(out).toMatch(/replicas\s+<integer>/);
    const top = await ok(['explain', 'wd']);
    expect(top).toMatch(/metadata\s+<ObjectMeta>/);
    const root = JSON.parse(await ok(['get', '--raw', '/openapi/v3']));
    expect(Object.keys(root.paths)).toContain('apis/example.com/v1');
    const doc = JSON.parse(await ok(['get', '--raw', '/openapi/v3/apis/example.com/v1']));
    expect(doc.components.schemas['com.example.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
  });

  it('are created with defaults and pruned of unknown fields, and listed with the printer columns', async () => {
    // kubectl's default --validate=strict makes an unknown field a 400, as upstream; warn keeps it a warning.
    const r = await server.kubectl(['apply', '--validate=warn', '-f', '-'], widget('w1', { color: 'red', unknown: 'dropped', extra: { kept: { deep: true } } }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('unknown field "spec.unknown"');
    const w1 = JSON.parse(await ok(['get', 'widget', 'w1', '-o', 'json']));
    expect(w1.spec).toEqual({ color: 'red', replicas: 1, extra: { kept: { deep: true } } });
    expect(w1.metadata.generation).toBe(1);
    await ok(['apply', '-f', '-'], widget('w2', { color: 'blue', replicas: 3 }));
    const table = await ok(['get', 'wd']);
    const lines = table.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+COLOR\s+REPLICAS\s+READY\s+AGE$/);
    // A column with no value is an empty (null) cell, which kubectl prints blank.
    expect(lines[1]).toMatch(/^w1\s+red\s+1\s+\d+s$/);
    expect(lines[2]).toMatch(/^w2\s+blue\s+3\s+\d+s$/);
    expect((await ok(['get', 'all', '-o', 'name'])).split('\n')).toEqual(expect.arrayContaining(['widget.example.com/w1', 'widget.example.com/w2']));
  });

  it('refuses an invalid object with 422 and the field paths', async () => {
    const r = await server.kubectl(['apply', '-f', '-'], widget('bad', { color: 'pink', replicas: 11, size: 'big' }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Widget "bad" is invalid');
    expect(r.stderr).toContain('spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"');
    expect(r.stderr).toContain('spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
    expect(r.stderr).toContain(`spec.size: Invalid value: "big": spec.size in body should match '^[0-9]+(Mi|Gi)$'`);
    const missing = await server.kubectl(['create', '-f', '-'], widget('bad2', { replicas: 'two' }));
    expect(missing.stderr).toContain('spec.color: Required value');
    expect(missing.stderr).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    const strict = await server.kubectl(['create', '--validate=strict', '-f', '-'], widget('bad3', { color: 'red', nope: 1 }));
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.nope"');
  });

  it('keeps status apart: /status writes only status, the main resource only the rest; generation follows spec', async () => {
    await ok(['patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ spec: { color: 'green' }, status: { replicas: 1, conditions: [{ type: 'Ready', status: 'True' }] } })]);
    let w1 = JSON.parse(await ok(['get', 'widget', 'w1', '-o', 'json']));
    expect(w1.spec.color).toBe('red');
    expect(w1.status.replicas).toBe(1);
    expect(w1.metadata.generation).toBe(1);
    await ok(['patch', 'widget', 'w1', '--type=merge', '-p', JSON.stringify({ spec: { color: 'green' }, status: { replicas: 5 } })]);
    w1 = JSON.parse(await ok(['get', 'widget', 'w1', '-o', 'json']));
    expect(w1.spec.color).toBe('green');
    expect(w1.status.replicas).toBe(1);
    expect(w1.metadata.generation).toBe(2);
    expect(await ok(['get', 'widget', 'w1', '--no-headers'])).toMatch(/^w1\s+green\s+1\s+True\s+\d+s/);
    const smp = await server.kubectl(['patch', 'widget', 'w1', '-p', '{"spec":{"color":"blue"}}']);
    expect(smp.stderr).toContain('application/merge-patch+json');
  });

  it('are updated by kubectl apply (merge patch with the last-applied configuration) and server-side apply', async () => {
    await ok(['apply', '-f', '-'], widget('w2', { color: 'green', replicas: 3 }));
    expect(JSON.parse(await ok(['get', 'widget', 'w2', '-o', 'json'])).spec.color).toBe('green');
    await ok(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], widget('w4', { color: 'red', replicas: 2 }));
    await ok(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], widget('w4', { color: 'blue', replicas: 2 }));
    const w4 = JSON.parse(await ok(['get', 'widget', 'w4', '-o', 'json', '--show-managed-fields']));
    expect(w4.spec).toEqual({ color: 'blue', replicas: 2 });
    expect(w4.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('e2e/Apply');
    await ok(['delete', 'widget', 'w4']);
    await ok(['apply', '-f', '-'], widget('w2', { color: 'blue', replicas: 3 }));
  });

  it('scale through /scale (kubectl scale)', async () => {
    await ok(['scale', 'widget', 'w2', '--replicas=4']);
    const w2 = JSON.parse(await ok(['get', 'widget', 'w2', '-o', 'json']));
    expect(w2.spec.replicas).toBe(4);
    const scale = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets/w2/scale']));
    expect(scale).toEqual(expect.objectContaining({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 }, status: { replicas: 0 } }));
  });

  it('are watched: kubectl get -w sees a create and a delete', async () => {
    const watcher = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'get', 'widgets', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      return re.test(out);
    };
    try {
      // Watched as Tables (the printer columns), each row with its event type.
      expect(await until(/\bw2\s+blue\s+4\b/)).toBe(true);
      await ok(['apply', '-f', '-'], widget('w3', { color: 'green' }));
      expect(await until(/ADDED\s+w3\s+green\s+1\s/)).toBe(true);
      await ok(['delete', 'widget', 'w3']);
      expect(await until(/DELETED\s+w3\s+green/)).toBe(true);
    } finally {
      watcher.kill();
    }
  });

  it('deleting the CRD deletes its objects, ends their watches and stops serving them', async () => {
    // An open watch sees the objects deleted, then ends (upstream destroys the CRD's storage).
    const watcher = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'get', '--raw', '/apis/example.com/v1/namespaces/default/widgets?watch=1&resourceVersion=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => watcher.on('exit', resolve));
    for (let i = 0; i < 200 && !out.includes('"ADDED"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('"ADDED"');
    await ok(['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still watching'), 20_000))]);
    watcher.kill();
    expect(code).toBe(0);
    const events = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    const added = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name).sort()).toEqual(added.sort());
    expect((await server.kubectl(['get', 'crd', 'widgets.example.com'])).code).not.toBe(0);
    const raw = await server.kubectl(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets']);
    expect(raw.stderr).toContain('NotFound');
    const groups = JSON.parse(await ok(['get', '--raw', '/apis']));
    expect(groups.groups.map((g: { name: string }) => g.name)).not.toContain('example.com');
    // A new CRD of the same name starts empty: the old objects went with the old one.
    await ok(['apply', '-f', '-'], YAML.stringify(CRD));
    await ok(['wait', '--for', 'condition=Established', '--timeout=30s', 'crd/widgets.example.com']);
    const list = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1/widgets']));
    expect(list.items).toEqual([]);
  });

  it('a restarted server serves the stored CRDs and their objects from its first request', async () => {
    await ok(['apply', '-f', '-'], widget('kept', { color: 'red' }));
    await server.stop();
    server = await JobyardServer.start({ dataDir, args: ARGS });
    const raw = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets/kept']));
    expect(raw.spec).toEqual({ color: 'red', replicas: 1 });
    expect(await ok(['get', 'wd', 'kept', '--no-headers'])).toMatch(/^kept\s+red\s+1\s+/);
  });
});

describe('with the controllers running', () => {
  let full: JobyardServer;
  beforeAll(async () => {
    full = await JobyardServer.start({ args: ['--no-agent'] });
  }, 120_000);
  afterAll(async () => {
    await full?.stop();
  });

  it('kubectl delete namespace deletes the custom resources in it (the namespace controller finds them through the CRDs)', async () => {
    const run = async (args: string[], input?: string) => {
      const r = await full.kubectl(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    await run(['apply', '-f', '-'], YAML.stringify(CRD));
    await run(['wait', '--for', 'condition=Established', '--timeout=30s', 'crd/widgets.example.com']);
    await run(['create', 'namespace', 'crns']);
    await run(['apply', '-f', '-'], YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'inside', namespace: 'crns' }, spec: { color: 'red' } }));
    await run(['delete', 'namespace', 'crns', '--timeout=60s']);
    const list = JSON.parse(await run(['get', '--raw', '/apis/example.com/v1/widgets']));
    expect(list.items).toEqual([]);
    expect((await full.kubectl(['get', 'namespace', 'crns'])).code).not.toBe(0);
  });
});
