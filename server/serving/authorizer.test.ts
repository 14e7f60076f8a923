import { describe, expect, it } from 'vitest';
import { ADMIN_USER } from './auth.js';
import { authorize, rulesFor } from './authorizer.js';

describe('authorizer', () => {
  it('allows the administrator everything, saying why', () => {
    for (const attributes of [{ verb: 'delete', resource: 'pods', namespace: 'kube-system' }, { verb: '*', group: '*', resource: '*' }, { path: '/healthz', verb: 'get' }]) {
      const d = authorize(ADMIN_USER, attributes);
      expect(d).toEqual({ allowed: true, denied: false, reason: expect.stringContaining('group "system:masters" may do everything') });
      expect(d.reason).toContain('the server\'s token');
    }
    expect(rulesFor(ADMIN_USER, 'default')).toEqual({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
  });

  it('has no opinion on anyone else, and lists no rules for them', () => {
    const stranger = { username: 'someone', groups: ['system:authenticated'] };
    expect(authorize(stranger, { verb: 'get', resource: 'pods' })).toEqual({ allowed: false, denied: false, reason: '' });
    expect(authorize(undefined, { verb: 'get', resource: 'pods' }).allowed).toBe(false);
    expect(rulesFor(stranger, 'default')).toEqual({ resourceRules: [], nonResourceRules: [], incomplete: false });
  });

  it('names the administrator as upstream names a cluster admin: in system:masters and system:authenticated', () => {
    expect(ADMIN_USER).toEqual({ username: 'jobyard-admin', groups: ['system:masters', 'system:authenticated'] });
    expect(Object.isFrozen(ADMIN_USER) && Object.isFrozen(ADMIN_USER.groups)).toBe(true);
  });
});
