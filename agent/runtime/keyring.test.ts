import { describe, expect, it } from 'vitest';
import type { Secret } from '../../api/index.js';
import { DockerKeyring } from './keyring.js';
import { isRuntimeError } from './runtime-error.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function configJSONSecret(name: string, auths: Record<string, unknown>): Secret {
  return {
    metadata: { name, namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
  };
}

describe('DockerKeyring', () => {
  it('matches a registry host with port and decodes "auth" into username and password', () => {
    const k = DockerKeyring.fromSecrets([configJSONSecret('regcred', { '127.0.0.1:5000': { auth: b64('alice:s3cret:x') } })]);
    expect(k.lookup('127.0.0.1:5000/library/busybox:1.36')).toEqual([
      { serverAddress: '127.0.0.1:5000', username: 'alice', password: 's3cret:x' },
    ]);
    expect(k.lookup('127.0.0.1:5001/library/busybox:1.36')).toEqual([]);
    expect(k.lookup('busybox')).toEqual([]);
  });

  it('reads the legacy kubernetes.io/dockercfg format', () => {
    const k = DockerKeyring.fromSecrets([
      {
        metadata: { name: 'old' },
        type: 'kubernetes.io/dockercfg',
        data: { '.dockercfg': b64(JSON.stringify({ 'https://registry.example.com': { username: 'u', password: 'p', email: 'e@x' } })) },
      },
    ]);
    expect(k.lookup('registry.example.com/team/app:1')).toEqual([{ serverAddress: 'https://registry.example.com', username: 'u', password: 'p' }]);
  });

  it('ignores secrets of other types', () => {
    const k = DockerKeyring.fromSecrets([{ metadata: { name: 'x' }, type: 'Opaque', data: { '.dockerconfigjson': b64('{"auths":{"a.b":{}}}') } }]);
    expect(k.lookup('a.b/c')).toEqual([]);
  });

  it('tries the most specific location first and globs one host label per *', () => {
    const k = new DockerKeyring();
    k.add({
      'registry.example.com': { username: 'host' },
      'registry.example.com/team': { username: 'team' },
      '*.example.com': { username: 'wild' },
      '*.com': { username: 'too-short' },
    });
    expect(k.lookup('registry.example.com/team/app').map((a) => a.username)).toEqual(['team', 'host', 'wild']);
    expect(k.lookup('registry.example.com/other/app').map((a) => a.username)).toEqual(['host', 'wild']);
    expect(k.lookup('other.example.com/app').map((a) => a.username)).toEqual(['wild']);
  });

  it('uses Docker Hub credentials for Docker Hub images only', () => {
    const k = new DockerKeyring();
    k.add({ 'https://index.docker.io/v1/': { username: 'hub', password: 'pw' } });
    expect(k.lookup('busybox').map((a) => a.username)).toEqual(['hub']);
    expect(k.lookup('user/app:1').map((a) => a.username)).toEqual(['hub']);
    expect(k.lookup('docker.io/library/busybox').map((a) => a.username)).toEqual(['hub']);
    expect(k.lookup('quay.io/app')).toEqual([]);
  });

  it('rejects a malformed pull secret without echoing its contents', () => {
    const secret: Secret = { metadata: { name: 'broken' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths": hunter2') } };
    try {
      DockerKeyring.fromSecrets([secret]);
      expect.unreachable();
    } catch (err) {
      expect(isRuntimeError(err, 'ErrImagePull')).toBe(true);
      expect(String((err as Error).message)).not.toContain('hunter2');
      expect(String((err as Error).message)).toContain('broken');
    }
  });
});
