// x-kubernetes-validations (CEL) driven by kubectl 1.32 against a real server: a CRD whose
// rule does not compile is refused with the rule's path; a custom resource that breaks a rule
// is refused with the rule's message at its field path (or its fieldPath, reason); a
// transition rule (oldSelf) lets the create through and refuses a changing update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-e2e-crd-rules-'));

const crd = (specRules: unknown[], replicasRules: unknown[] = []) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': specRules,
                properties: {
                  replicas: { type: 'integer', 'x-kubernetes-validations': replicasRules },
                  maxReplicas: { type: 'integer' },
                  storageClass: { type: 'string' },
                  tags: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    ],
  },
});

const RULES = [
  { rule: 'self.replicas <= self.maxReplicas', messageExpression: "'replicas (' + string(self.replicas) + ') must not exceed maxReplicas (' + string(self.maxReplicas) + ')'" },
  { rule: '!has(self.storageClass) || self.storageClass == oldSelf.storageClass', message: 'storageClass is immutable', fieldPath: '.storageClass' },
  { rule: '!has(self.tags) || self.tags.all(t, t.matches("^[a-z]+$"))', message: 'tags must be lower case words', fieldPath: '.tags', reason: 'FieldValueForbidden' },
];
const REPLICAS_RULES = [{ rule: 'self >= 0', message: 'must be non-negative' }];

const gadget = (name: string, spec: Record<string, unknown>) => YAML.stringify({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name, namespace: 'default' }, spec });

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  server = await JobyardServer.start({ dataDir, args: ['--no-controllers', '--no-agent'] });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('x-kubernetes-validations with kubectl', () => {
  it('a CRD whose rule does not compile is refused at the rule, nothing stored', async () => {
    const r = await server.kubectl(['apply', '-f', '-'], YAML.stringify(crd([{ rule: 'self.replicas <' }, { rule: 'self.replicaz > 0' }])));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The CustomResourceDefinition "gadgets.example.com" is invalid');
    const at = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    expect(r.stderr).toContain(`${at}[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas <", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:16: Syntax error:`);
    expect(r.stderr).toMatch(/x-kubernetes-validations\[1\]\.rule: Invalid value: apiextensions\.ValidationRule\{Rule:"self\.replicaz > 0".*compilation failed: ERROR: <input>:1:\d+: .*replicaz/);
    expect((await server.kubectl(['get', 'crd', 'gadgets.example.com'])).code).not.toBe(0);
  });

  it('a custom resource that breaks a rule is refused with the rule\'s message at its path', async () => {
    await ok(['apply', '-f', '-'], YAML.stringify(crd(RULES, REPLICAS_RULES)));
    await ok(['wait', '--for', 'condition=Established', '--timeout=30s', 'crd/gadgets.example.com']);
    const r = await server.kubectl(['apply', '-f', '-'], gadget('big', { replicas: 5, maxReplicas: 3, tags: ['ok', 'Not-OK'] }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Gadget "big" is invalid');
    expect(r.stderr).toContain('spec: Invalid value: "object": replicas (5) must not exceed maxReplicas (3)');
    expect(r.stderr).toContain('spec.tags: Forbidden: tags must be lower case words');
    const negative = await server.kubectl(['create', '-f', '-'], gadget('neg', { replicas: -1, maxReplicas: 3 }));
    expect(negative.stderr).toContain('spec.replicas: Invalid value: "integer": must be non-negative');
    expect((await server.kubectl(['get', 'gadget', 'big'])).code).not.toBe(0);
    expect((await server.kubectl(['get', 'gadget', 'neg'])).code).not.toBe(0);
  });

  it('a transition rule lets the create through and refuses a change on update, kubectl apply and patch alike', async () => {
    await ok(['apply', '-f', '-'], gadget('g1', { replicas: 1, maxReplicas: 3, storageClass: 'fast' }));
    await ok(['apply', '-f', '-'], gadget('g1', { replicas: 2, maxReplicas: 3, storageClass: 'fast' }));
    const changed = await server.kubectl(['apply', '-f', '-'], gadget('g1', { replicas: 2, maxReplicas: 3, storageClass: 'slow' }));
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('spec.storageClass: Invalid value: "object": storageClass is immutable');
    const patched = await server.kubectl(['patch', 'gadget', 'g1', '--type=merge', '-p', '{"spec":{"storageClass":"slow"}}']);
    expect(patched.stderr).toContain('spec.storageClass: Invalid value: "object": storageClass is immutable');
    const stored = JSON.parse(await ok(['get', 'gadget', 'g1', '-o', 'json']));
    expect(stored.spec).toEqual({ replicas: 2, maxReplicas: 3, storageClass: 'fast' });
  });
});
