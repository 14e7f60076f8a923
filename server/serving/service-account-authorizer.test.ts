import { describe, expect, it } from 'vitest';
import { authorize, forbiddenError, rulesFor } from './authorizer.js';

const sa = { username: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] };

describe('authorizer: service accounts until RBAC (view in their own namespace)', () => {
  it('reads its own namespace, pods/log included, and its Namespace object', () => {
    for (const [group, resource, subresource] of [['batch', 'jobs', ''], ['', 'pods', ''], ['', 'pods', 'log'], ['', 'configmaps', ''], ['', 'events', ''], ['batch', 'jobs', 'status']]) {
      for (const verb of ['get', 'list', 'watch']) expect(authorize(sa, { verb, group, resource, subresource, namespace: 'ns' }).allowed).toBe(true);
    }
    expect(authorize(sa, { verb: 'get', group: '', resource: 'namespaces', name: 'ns', namespace: 'ns' }).allowed).toBe(true);
  });

  it('may not read Secrets, write anything, reach another namespace or anything cluster-scoped', () => {
    const refused = [
      { verb: 'get', group: '', resource: 'secrets', namespace: 'ns' },
      { verb: 'create', group: '', resource: 'pods', namespace: 'ns' },
      { verb: 'create', group: 'batch', resource: 'jobs', namespace: 'ns' },
      { verb: 'delete', group: '', resource: 'pods', namespace: 'ns', name: 'x' },
      { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'ns' },
      { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: 'ns' },
      { verb: 'list', group: 'batch', resource: 'jobs', namespace: 'other' },
      { verb: 'list', group: 'batch', resource: 'jobs' },
      { verb: 'list', group: '', resource: 'nodes' },
      { verb: 'get', group: '', resource: 'namespaces', name: 'other', namespace: 'other' },
    ];
    for (const a of refused) expect(authorize(sa, a)).toEqual({ allowed: false, denied: false, reason: '' });
  });

  it('has the self reviews, discovery, health and issuer discovery, and no other path', () => {
    expect(authorize(sa, { verb: 'create', group: 'authentication.k8s.io', resource: 'selfsubjectreviews' }).allowed).toBe(true);
    expect(authorize(sa, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }).allowed).toBe(true);
    for (const path of ['/api', '/apis/batch/v1', '/openapi/v3', '/version', '/healthz', '/livez', '/readyz', '/openid/v1/jwks', '/.well-known/openid-configuration']) {
      expect(authorize(sa, { verb: 'get', path }).allowed).toBe(true);
    }
    for (const path of ['/metrics', '/logs/x', '/clusters/a/api', '/livez/etcd']) expect(authorize(sa, { verb: 'get', path }).allowed).toBe(false);
    expect(authorize(sa, { verb: 'post', path: '/api' }).allowed).toBe(false);
  });

  it("lists its rules for the access reviews: view only in its namespace", () => {
    const own = rulesFor(sa, 'ns');
    const other = rulesFor(sa, 'other');
    expect(own.resourceRules.some((r) => r.resources?.includes('jobs'))).toBe(true);
    expect(own.resourceRules.some((r) => r.resources?.includes('secrets'))).toBe(false);
    expect(other.resourceRules.some((r) => r.resources?.includes('jobs'))).toBe(false);
    expect(other.resourceRules.some((r) => r.resources?.includes('selfsubjectreviews'))).toBe(true);
  });

  it("refuses in upstream's words", () => {
    expect(forbiddenError(sa, { verb: 'list', group: 'batch', resource: 'jobs', namespace: 'other' }).status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'jobs.batch is forbidden: User "system:serviceaccount:ns:sa" cannot list resource "jobs" in API group "batch" in the namespace "other"',
      reason: 'Forbidden',
      details: { group: 'batch', kind: 'jobs' },
      code: 403,
    });
    expect(forbiddenError(sa, { verb: 'create', group: '', resource: 'pods', subresource: 'exec', name: 'p', namespace: 'ns' }).status.message).toBe(
      'pods "p" is forbidden: User "system:serviceaccount:ns:sa" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
    );
    expect(forbiddenError(sa, { verb: 'list', group: '', resource: 'nodes' }).status.message).toBe(
      'nodes is forbidden: User "system:serviceaccount:ns:sa" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenError(sa, { verb: 'get', path: '/metrics' }).status.message).toBe('forbidden: User "system:serviceaccount:ns:sa" cannot get path "/metrics"');
  });
});
