import { describe, expect, it } from 'vitest';
import { applyDefaultImageTag, parseImageReference, tryParseImageReference } from './image-reference.js';
import { isRuntimeError } from './runtime-error.js';

const SHA = 'sha256:' + 'a'.repeat(64);

describe('parseImageReference', () => {
  const cases: { ref: string; normalized: string; familiar: string; domain: string; path: string }[] = [
    { ref: 'busybox', normalized: 'docker.io/library/busybox:latest', familiar: 'busybox:latest', domain: 'docker.io', path: 'library/busybox' },
    { ref: 'busybox:1.36', normalized: 'docker.io/library/busybox:1.36', familiar: 'busybox:1.36', domain: 'docker.io', path: 'library/busybox' },
    { ref: 'library/busybox:1.36', normalized: 'docker.io/library/busybox:1.36', familiar: 'busybox:1.36', domain: 'docker.io', path: 'library/busybox' },
    { ref: 'docker.io/busybox', normalized: 'docker.io/library/busybox:latest', familiar: 'busybox:latest', domain: 'docker.io', path: 'library/busybox' },
    { ref: 'index.docker.io/user/app:v1', normalized: 'docker.io/user/app:v1', familiar: 'user/app:v1', domain: 'docker.io', path: 'user/app' },
    { ref: 'user/app', normalized: 'docker.io/user/app:latest', familiar: 'user/app:latest', domain: 'docker.io', path: 'user/app' },
    {
      ref: 'registry.example.com/team/app:2.0',
      normalized: 'registry.example.com/team/app:2.0',
      familiar: 'registry.example.com/team/app:2.0',
      domain: 'registry.example.com',
      path: 'team/app',
    },
    { ref: '127.0.0.1:5000/library/busybox:1.36', normalized: '127.0.0.1:5000/library/busybox:1.36', familiar: '127.0.0.1:5000/library/busybox:1.36', domain: '127.0.0.1:5000', path: 'library/busybox' },
    { ref: 'localhost/app', normalized: 'localhost/app:latest', familiar: 'localhost/app:latest', domain: 'localhost', path: 'app' },
    { ref: `busybox@${SHA}`, normalized: `docker.io/library/busybox@${SHA}`, familiar: `busybox@${SHA}`, domain: 'docker.io', path: 'library/busybox' },
    { ref: `busybox:1.36@${SHA}`, normalized: `docker.io/library/busybox:1.36@${SHA}`, familiar: `busybox:1.36@${SHA}`, domain: 'docker.io', path: 'library/busybox' },
    { ref: 'a.b/c__d/e-f--g/h.i:T_a.g-1', normalized: 'a.b/c__d/e-f--g/h.i:T_a.g-1', familiar: 'a.b/c__d/e-f--g/h.i:T_a.g-1', domain: 'a.b', path: 'c__d/e-f--g/h.i' },
    { ref: '[::1]:5000/app:1', normalized: '[::1]:5000/app:1', familiar: '[::1]:5000/app:1', domain: '[::1]:5000', path: 'app' },
  ];
  for (const c of cases) {
    it(`normalises ${c.ref}`, () => {
      const r = parseImageReference(c.ref);
      expect(r.normalized).toBe(c.normalized);
      expect(r.familiar).toBe(c.familiar);
      expect(r.domain).toBe(c.domain);
      expect(r.path).toBe(c.path);
    });
  }

  it('keeps tag and digest apart and leaves tag unset when the reference has none', () => {
    expect(parseImageReference('busybox').tag).toBeUndefined();
    expect(parseImageReference(`busybox@${SHA}`).digest).toBe(SHA);
    expect(parseImageReference(`busybox@${SHA}`).tag).toBeUndefined();
  });

  const bad: { ref: string; error: string }[] = [
    { ref: '', error: 'invalid reference format' },
    { ref: 'Busybox', error: 'invalid reference format: repository name (library/Busybox) must be lowercase' },
    { ref: 'registry.example.com/Team/app', error: 'invalid reference format: repository name (Team/app) must be lowercase' },
    { ref: 'busybox:', error: 'invalid reference format' },
    { ref: 'busybox:-tag', error: 'invalid reference format' },
    { ref: 'busybox:' + 'a'.repeat(129), error: 'invalid reference format' },
    { ref: 'bus box', error: 'invalid reference format' },
    { ref: '-busybox', error: 'invalid reference format' },
    { ref: 'busybox/', error: 'invalid reference format' },
    { ref: 'a//b', error: 'invalid reference format' },
    { ref: 'busybox@sha256:abc', error: 'invalid reference format' },
    { ref: 'busybox@sha256:' + 'a'.repeat(63), error: 'invalid checksum digest length' },
    { ref: 'busybox@md5:' + 'a'.repeat(32), error: 'unsupported digest algorithm' },
    { ref: 'a'.repeat(64), error: `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings` },
    { ref: 'example.com/' + 'a'.repeat(250), error: 'repository name must not be more than 255 characters' },
    { ref: 'http://example.com/app', error: 'invalid reference format' },
  ];
  for (const c of bad) {
    it(`rejects ${JSON.stringify(c.ref.slice(0, 40))} with distribution's message`, () => {
      const r = tryParseImageReference(c.ref);
      expect(r).toEqual({ error: c.error });
    });
  }

  it('throws InvalidImageName with the kubelet wording', () => {
    try {
      parseImageReference('bus box!');
      expect.unreachable();
    } catch (err) {
      expect(isRuntimeError(err, 'InvalidImageName')).toBe(true);
      expect((err as Error).message).toBe(`couldn't parse image reference "bus box!": invalid reference format`);
    }
  });
});

describe('applyDefaultImageTag', () => {
  it('appends :latest only when there is neither tag nor digest, keeping the short name', () => {
    expect(applyDefaultImageTag('busybox')).toBe('busybox:latest');
    expect(applyDefaultImageTag('busybox:1.36')).toBe('busybox:1.36');
    expect(applyDefaultImageTag(`busybox@${SHA}`)).toBe(`busybox@${SHA}`);
    expect(applyDefaultImageTag('127.0.0.1:5000/app')).toBe('127.0.0.1:5000/app:latest');
  });
});
