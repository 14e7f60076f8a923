// The access-review APIs with the installed kubectl against a real `jobyard server`:
// `kubectl auth can-i` (selfsubjectaccessreviews, sent as protobuf), `kubectl auth can-i
// --list` (selfsubjectrulesreviews), `kubectl auth whoami` (selfsubjectreviews), the 422 of a
// hand-written review, discovery, and the same answer through @kubernetes/client-node, the
// JSON path permission-driven UIs use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { JobyardServer, kubectlVersion } from '../support/jobyard-server.js';

let server: JobyardServer;

beforeAll(async () => {
  console.log(`kubectl ${await kubectlVersion()}`);
  server = await JobyardServer.start({ args: ['--no-agent'] });
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const review = (spec: Record<string, unknown>) => YAML.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });

describe('kubectl auth against jobyard', () => {
  it('can-i answers yes for the administrator: create jobs, delete pods in kube-system, everything', async () => {
    expect(await ok(['auth', 'can-i', 'create', 'jobs'])).toBe('yes\n');
    expect(await ok(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system'])).toBe('yes\n');
    expect(await ok(['auth', 'can-i', '*', '*'])).toBe('yes\n');
    expect(await ok(['auth', 'can-i', 'get', '/healthz'])).toBe('yes\n');
  });

  it('can-i --list shows the *.* row and every non-resource URL', async () => {
    const out = await ok(['auth', 'can-i', '--list']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(rows).toContainEqual(['*.*', '[]', '[]', '[*]']);
    expect(rows).toContainEqual(['[*]', '[]', '[*]']);
    // In another namespace too (spec.namespace is sent as kubectl's -n).
    expect(await ok(['auth', 'can-i', '--list', '-n', 'kube-system'])).toContain('*.*');
  });

  it('whoami prints the administrator and its groups', async () => {
    const out = await ok(['auth', 'whoami']);
    expect(out).toMatch(/^Username\s+jobyard-admin$/m);
    expect(out).toMatch(/^Groups\s+\[system:masters system:authenticated\]$/m);
    const asJson = JSON.parse(await ok(['auth', 'whoami', '-o', 'json']));
    expect(asJson).toMatchObject({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      status: { userInfo: { username: 'jobyard-admin', groups: ['system:masters', 'system:authenticated'] } },
    });
    expect(Date.parse(asJson.metadata.creationTimestamp)).not.toBeNaN();
  });

  // kubectl's default client-side validation cannot run for a kind whose OpenAPI has no PATCH
  // route (upstream's create-only kinds): it falls back to OpenAPI v2 as protobuf and a list of
  // CustomResourceDefinitions, which jobyard does not serve. --validate=false leaves validation
  // to the server, which is what is under test here.
  it('create -f of a review with both attributes set: the server\'s 422 at spec.nonResourceAttributes', async () => {
    const r = await server.kubectl(
      ['create', '--validate=false', '-f', '-'],
      review({ resourceAttributes: { verb: 'create', group: 'batch', resource: 'jobs' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'The request is invalid: spec.nonResourceAttributes: Invalid value: {"path":"/healthz","verb":"get"}: cannot be specified in combination with resourceAttributes',
    );
  });

  it('create -f of a valid review answers with status, and nothing is left to get', async () => {
    const out = YAML.parse(await ok(['create', '--validate=false', '-f', '-', '-o', 'yaml'], review({ resourceAttributes: { verb: 'create', group: 'batch', resource: 'jobs', namespace: 'default' } })));
    expect(out.status.allowed).toBe(true);
    expect(out.status.reason).toContain('administrator');
    const get = await server.kubectl(['get', 'selfsubjectaccessreviews']);
    expect(get.code).toBe(1);
    expect(get.stderr).toContain('Error from server (MethodNotAllowed): the server does not allow this method on the requested resource');
  });

  it('api-resources lists the three reviews with verbs create, cluster-scoped', async () => {
    const out = await ok(['api-resources', '-o', 'wide']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const byName = new Map(rows.map((r) => [r[0], r]));
    expect(byName.get('selfsubjectreviews')).toEqual(['selfsubjectreviews', 'authentication.k8s.io/v1', 'false', 'SelfSubjectReview', 'create']);
    expect(byName.get('selfsubjectaccessreviews')).toEqual(['selfsubjectaccessreviews', 'authorization.k8s.io/v1', 'false', 'SelfSubjectAccessReview', 'create']);
    expect(byName.get('selfsubjectrulesreviews')).toEqual(['selfsubjectrulesreviews', 'authorization.k8s.io/v1', 'false', 'SelfSubjectRulesReview', 'create']);
    expect(await ok(['api-resources', '--verbs=create', '--api-group=authorization.k8s.io', '-o', 'name'])).toBe(
      'selfsubjectaccessreviews.authorization.k8s.io\nselfsubjectrulesreviews.authorization.k8s.io\n',
    );
  });
});

describe('@kubernetes/client-node against the reviews', () => {
  it('creates a SelfSubjectAccessReview and a SelfSubjectRulesReview over JSON', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
    const access = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: 'list', group: 'batch', resource: 'jobs', namespace: 'default' } } },
    });
    expect(access.status?.allowed).toBe(true);
    const rules = await authz.createSelfSubjectRulesReview({ body: { spec: { namespace: 'default' } } });
    expect(rules.status?.resourceRules).toEqual([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    expect(rules.status?.incomplete).toBe(false);
  });
});
