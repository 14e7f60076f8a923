// kubectl 1.32 where it reads OpenAPI, against a real `jobyard server`: `apply` of a file with
// an unserved kind (its validator downloads /openapi/v2 as protobuf), `explain` from the v2
// document, `diff` (a dry-run patch or create), and `apply --prune`.
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
  // The API alone: no controller or agent writes.
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  dir = mkdtempSync(join(tmpdir(), 'jobyard-openapi-apply-'));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${counter++}`;

function manifestFile(name: string, docs: Record<string, unknown>[]): string {
  const path = join(dir, name);
  writeFileSync(path, docs.map((d) => YAML.stringify(d)).join('---\n'));
  return path;
}

async function ok(args: string[]): Promise<string> {
  const r = await server.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('kubectl apply, explain and diff read OpenAPI from jobyard', () => {
  it('applies the served objects of a multi-document file and fails only the unserved kind, as upstream', async () => {
    const cm = unique('multi-cm');
    const foo = unique('multi-foo');
    const secret = unique('multi-secret');
    const file = manifestFile(`${cm}.yaml`, [
      configMap(cm, { a: '1' }),
      { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: foo }, spec: { size: 1 } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret }, stringData: { k: 'v' } },
    ]);
    // -v=6 logs each request: the validator's download of /openapi/v2 must succeed.
    const r = await server.kubectl(['apply', '-f', file, '-v=6']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`configmap/${cm} created`);
    expect(r.stdout).toContain(`secret/${secret} created`);
    expect(r.stderr).toMatch(/GET https:\/\/\S+\/openapi\/v2(\?\S*)? 200 OK/);
    expect(r.stderr).toContain(`resource mapping not found for name: "${foo}" namespace: "" from "${file}": no matches for kind "Foo" in version "example.com/v1"`);
    expect(r.stderr).toContain('ensure CRDs are installed first');
    expect(r.stderr).not.toContain('failed to download openapi');
    expect(JSON.parse(await ok(['get', 'configmap', cm, '-o', 'json'])).data).toEqual({ a: '1' });
    await ok(['get', 'secret', secret]);
  });

  it('validates the items of a v1 List against the v2 document on the client, as upstream', async () => {
    // A List gets kubectl's client-side schema validation (the server is not asked to validate it).
    const name = unique('list-job');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: {
        backoffLimit: 2,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            restartPolicy: 'Never',
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: 'c',
                image: 'busybox:1.36',
                env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                resources: { limits: { cpu: '100m', memory: '64Mi' } },
                volumeMounts: [{ name: 'v', mountPath: '/v' }],
              },
            ],
            volumes: [{ name: 'v', emptyDir: {} }],
          },
        },
      },
    };
    const list = (items: unknown[]) => manifestFile(`${name}-${counter++}.yaml`, [{ apiVersion: 'v1', kind: 'List', items }]);
    expect(await ok(['apply', '-f', list([job])])).toContain(`job.batch/${name} created`);

    const bad = await server.kubectl(['apply', '-f', list([{ ...configMap(`${name}-cm`, { a: '1' }), bogusField: 1 }])]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ValidationError(ConfigMap): unknown field "bogusField" in io.k8s.api.core.v1.ConfigMap');
  });

  it('explains a field from the protobuf v2 document (kubectl decodes every definition of it)', async () => {
    const out = await ok(['explain', 'jobs.spec.backoffLimit', '--output=plaintext-openapiv2']);
    expect(out).toMatch(/KIND:\s+Job/);
    expect(out).toMatch(/VERSION:\s+batch\/v1/);
    expect(out).toMatch(/FIELD:\s+backoffLimit <integer>/);
  });

  it('serves /openapi/v2 as JSON to a JSON client', async () => {
    const doc = JSON.parse(await ok(['get', '--raw', '/openapi/v2']));
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.batch.v1.Job']['x-kubernetes-group-version-kind']).toEqual([{ group: 'batch', kind: 'Job', version: 'v1' }]);
  });

  it('diffs a changed, a new and an unchanged object by dry run, changing nothing', async () => {
    const name = unique('diff');
    await ok(['apply', '-f', manifestFile(`${name}-v1.yaml`, [configMap(name, { a: 'one' })])]);
    const before = JSON.parse(await ok(['get', 'configmap', name, '-o', 'json']));

    const changed = await server.kubectl(['diff', '-f', manifestFile(`${name}-v2.yaml`, [configMap(name, { a: 'two' })])]);
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(1); // diff's exit status: differences found
    expect(changed.stdout).toMatch(/^-\s+a: one$/m);
    expect(changed.stdout).toMatch(/^\+\s+a: two$/m);

    const fresh = unique('diff-new');
    const created = await server.kubectl(['diff', '-f', manifestFile(`${fresh}.yaml`, [configMap(fresh, { b: 'new' })])]);
    expect(created.code).toBe(1);
    expect(created.stdout).toMatch(/^\+\s+b: new$/m);
    expect(created.stdout).toMatch(new RegExp(`^\\+\\s+name: ${fresh}$`, 'm'));

    const same = await server.kubectl(['diff', '-f', join(dir, `${name}-v1.yaml`)]);
    expect(same).toMatchObject({ code: 0, stdout: '' });

    // Dry runs only: the live object is as it was, the new one was not created.
    expect(JSON.parse(await ok(['get', 'configmap', name, '-o', 'json'])).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await server.kubectl(['get', 'configmap', fresh])).code).toBe(1);
  });

  it('apply --prune with an allow-list deletes what left the directory, and only what apply made', async () => {
    const app = unique('prune');
    const [keep, gone, foreign] = [`${app}-keep`, `${app}-gone`, `${app}-foreign`];
    const labels = { app };
    const sub = join(dir, app);
    const write = (names: string[]) => {
      rmSync(sub, { recursive: true, force: true });
      mkdirSync(sub);
      for (const n of names) manifestFile(join(app, `${n}.yaml`), [configMap(n, { n }, labels)]);
    };
    write([keep, gone]);
    const prune = ['apply', '--prune', '-l', `app=${app}`, '--prune-allowlist=core/v1/ConfigMap', '-f', sub];
    const first = await ok(prune);
    expect(first).toContain(`configmap/${keep} created`);
    expect(first).toContain(`configmap/${gone} created`);
    // Made without apply (no last-applied annotation): prune leaves it, as upstream.
    await ok(['create', 'configmap', foreign, '--from-literal=n=1']);
    await ok(['label', 'configmap', foreign, `app=${app}`]);

    write([keep]);
    const second = await ok(prune);
    expect(second).toContain(`configmap/${keep} unchanged`);
    expect(second).toContain(`configmap/${gone} pruned`);
    expect(second).not.toContain(foreign);
    expect((await server.kubectl(['get', 'configmap', gone])).stderr).toContain('NotFound');
    await ok(['get', 'configmap', keep]);
    await ok(['get', 'configmap', foreign]);
  });
});
