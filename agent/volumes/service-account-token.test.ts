import { describe, expect, it } from 'vitest';
import type { Pod, TokenRequest } from '../../api/index.js';
import { refreshTime, ServiceAccountTokenManager } from './service-account-token.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { serviceAccountName: 'sa', containers: [] } } as unknown as Pod;

describe('service-account token projection', () => {
  it('asks TokenRequest for a token bound to the pod, with the source audience and lifetime', async () => {
    const asked: [string, string, TokenRequest][] = [];
    let now = Date.parse('2026-01-01T00:00:00Z');
    const manager = new ServiceAccountTokenManager(async (ns, sa, req) => {
      asked.push([ns, sa, req]);
      return { ...req, status: { token: `t${asked.length}`, expirationTimestamp: new Date(now + (req.spec.expirationSeconds ?? 0) * 1000).toISOString() } };
    }, () => now);
    const project = manager.projector();
    const files = await project({ path: 'token', audience: 'vault', expirationSeconds: 1000 }, { pod, defaultMode: 0o644 } as Parameters<typeof project>[1]);
    expect(files).toEqual([{ path: 'token', data: Buffer.from('t1'), mode: 0o644 }]);
    expect(asked).toEqual([['ns', 'sa', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 1000, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' } } }]]);
    // Cached until 80% of the TTL (less up to 10 s of jitter), then asked again.
    now += 700_000;
    expect(await manager.tokenFor(pod, 'vault', 1000)).toBe('t1');
    now += 110_000;
    expect(await manager.tokenFor(pod, 'vault', 1000)).toBe('t2');
    // Another audience is another token; a forgotten pod asks anew.
    expect(await manager.tokenFor(pod, undefined, 1000)).toBe('t3');
    expect(asked[2]![2].spec.audiences).toEqual([]);
    manager.forgetPod('u1');
    expect(await manager.tokenFor(pod, 'vault', 1000)).toBe('t4');
  });

  it("refreshes at upstream's requiresRefresh: 80% of the TTL, or 24 h after issue", () => {
    const at = (seconds: number, exp: string) => refreshTime({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: seconds }, status: { token: 't', expirationTimestamp: exp } }, 0);
    expect(new Date(at(3600, '2026-01-01T01:00:00Z')).toISOString()).toBe('2026-01-01T00:48:00.000Z');
    // A 7-day token: renewed after a day.
    expect(new Date(at(7 * 86400, '2026-01-08T00:00:00Z')).toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('says why a token could not be had, without any token in the message', async () => {
    const manager = new ServiceAccountTokenManager(async () => {
      throw new Error('serviceaccounts "sa" not found');
    });
    const project = manager.projector();
    await expect(project({ path: 'token' }, { pod, defaultMode: 0o644 } as Parameters<typeof project>[1])).rejects.toThrow('failed to fetch token: serviceaccounts "sa" not found');
  });
});
