import { describe, expect, it } from 'vitest';
import { HostPathPolicy, isWithin, normalizeHostPath } from './host-path.js';

describe('normalizeHostPath / isWithin', () => {
  it('normalizes dots, repeated and trailing slashes; relative paths are not host paths', () => {
    expect(normalizeHostPath('/srv//data/')).toBe('/srv/data');
    expect(normalizeHostPath('/srv/data/../../etc')).toBe('/etc');
    expect(normalizeHostPath('/')).toBe('/');
    expect(normalizeHostPath('srv/data')).toBeUndefined();
  });
  it('a prefix is not a parent', () => {
    expect(isWithin('/srv/data/x', '/srv/data')).toBe(true);
    expect(isWithin('/srv/data', '/srv/data')).toBe(true);
    expect(isWithin('/srv/database', '/srv/data')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });
});

describe('HostPathPolicy', () => {
  const policy = new HostPathPolicy(['/srv/data/', '/tmp/x'], [
    { path: '/var/run/docker.sock', what: "the container engine's socket" },
    { path: '/home/u/.jobyard', what: "jobyard's data directory" },
  ]);
  it('allows paths under an allowed directory, however written', () => {
    expect(policy.allows('/srv/data')).toBe(true);
    expect(policy.allows('/srv/data/a/b/')).toBe(true);
    expect(policy.allows('/tmp/x/../x/y')).toBe(true);
  });
  it('refuses escapes and look-alike prefixes, naming the path and the list', () => {
    expect(policy.problem('v', '/srv/data/../../etc')).toBe('hostPath volume "v" (path "/srv/data/../../etc") is not under a directory allowed by --allow-host-path (allowed: "/srv/data", "/tmp/x")');
    expect(policy.allows('/srv/database')).toBe(false);
    expect(policy.problem('v', 'relative')).toBe('hostPath volume "v" (path "relative") must be an absolute path');
  });
  it('refuses protected paths, inside or containing, even under an allowed directory', () => {
    const wide = new HostPathPolicy(['/'], [{ path: '/home/u/.jobyard', what: "jobyard's data directory" }]);
    expect(wide.allows('/srv')).toBe(true);
    expect(wide.problem('v', '/home/u')).toBe('hostPath volume "v" (path "/home/u") contains /home/u/.jobyard, jobyard\'s data directory: it is never mounted into a pod');
    expect(wide.problem('v', '/home/u/.jobyard/pki')).toContain('is inside /home/u/.jobyard');
    expect(wide.allows('/home/u/.jobyard2')).toBe(true);
  });
  it('with no allowed directory, no hostPath at all', () => {
    expect(new HostPathPolicy([]).problem('v', '/srv')).toBe('hostPath volume "v" (path "/srv") is not under a directory allowed by --allow-host-path (none is: the server runs without --allow-host-path)');
    expect(new HostPathPolicy([]).problems([{ name: 'e' }, { name: 'h', hostPath: { path: '/' } }])).toHaveLength(1);
  });
});
