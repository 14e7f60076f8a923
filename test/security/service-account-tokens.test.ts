// Service-account tokens at the front door of a real server: only tokens this server signed, for
// its audience, within their lifetime, whose ServiceAccount and bound pod still exist, pass (else
// 401 and nothing said about why); a service account reads its own namespace and nothing else
// (403 with upstream's message, nothing stored); no token reaches a log.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';
import { rawRequest, type RawResponse } from './auth-support.js';

let server: JobyardServer;
const issued: string[] = [];

function send(target: string, token: string, method = 'GET', body?: unknown): Promise<RawResponse> {
  return rawRequest({
    side: 'https',
    port: server.port,
    ca: server.caPem,
    target,
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}
const admin = (target: string, method = 'GET', body?: unknown) => send(target, server.token, method, body);
const json = (res: RawResponse) => JSON.parse(res.body) as Record<string, any>;

/** TokenRequest as the administrator; the token. */
async function requestToken(ns: string, sa: string, spec: Record<string, unknown> = {}): Promise<string> {
  const res = await admin(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, 'POST', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
  expect(res.status, res.body).toBe(201);
  const token = json(res).status.token as string;
  issued.push(token);
  return token;
}

async function sign(key: KeyObject, claims: Record<string, unknown>): Promise<string> {
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(key);
  issued.push(token);
  return token;
}

function expect401(res: RawResponse): void {
  expect([res.status, json(res).reason, json(res).message]).toEqual([401, 'Unauthorized', 'Unauthorized']);
}

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
  for (const ns of ['team-a', 'team-b']) expect((await admin('/api/v1/namespaces', 'POST', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
  await waitFor('default ServiceAccounts', async () => (await admin('/api/v1/namespaces/team-a/serviceaccounts/default')).status === 200 && (await admin('/api/v1/namespaces/team-b/serviceaccounts/default')).status === 200);
  const job = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
  expect((await admin('/apis/batch/v1/namespaces/team-a/jobs', 'POST', job('mine'))).status).toBe(201);
  expect((await admin('/apis/batch/v1/namespaces/team-b/jobs', 'POST', job('theirs'))).status).toBe(201);
  expect((await admin('/api/v1/namespaces/team-a/secrets', 'POST', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 's3cr3t' } })).status).toBe(201);
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe('service-account tokens', () => {
  it('reads its own namespace; every write, other namespace, Secret and cluster-scoped read is 403 and stores nothing', async () => {
    const token = await requestToken('team-a', 'default');
    const own = await send('/apis/batch/v1/namespaces/team-a/jobs', token);
    expect(own.status).toBe(200);
    expect(json(own).items.map((j: { metadata: { name: string } }) => j.metadata.name)).toEqual(['mine']);
    expect((await send('/api/v1/namespaces/team-a', token)).status).toBe(200);
    const user = 'system:serviceaccount:team-a:default';
    const refused: [string, string, unknown, string][] = [
      ['/apis/batch/v1/namespaces/team-b/jobs', 'GET', undefined, `jobs.batch is forbidden: User "${user}" cannot list resource "jobs" in API group "batch" in the namespace "team-b"`],
      ['/apis/batch/v1/jobs', 'GET', undefined, `jobs.batch is forbidden: User "${user}" cannot list resource "jobs" in API group "batch" at the cluster scope`],
      ['/api/v1/namespaces/team-a/secrets/s', 'GET', undefined, `secrets "s" is forbidden: User "${user}" cannot get resource "secrets" in API group "" in the namespace "team-a"`],
      ['/api/v1/nodes', 'GET', undefined, `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`],
      ['/api/v1/namespaces/team-a/pods', 'POST', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'escape' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, `pods is forbidden: User "${user}" cannot create resource "pods" in API group "" in the namespace "team-a"`],
      ['/api/v1/namespaces/team-a/serviceaccounts/default/token', 'POST', { spec: {} }, `serviceaccounts "default" is forbidden: User "${user}" cannot create resource "serviceaccounts/token" in API group "" in the namespace "team-a"`],
      ['/apis/batch/v1/namespaces/team-a/jobs/mine', 'DELETE', undefined, `jobs.batch "mine" is forbidden: User "${user}" cannot delete resource "jobs" in API group "batch" in the namespace "team-a"`],
      ['/metrics', 'GET', undefined, `forbidden: User "${user}" cannot get path "/metrics"`],
    ];
    for (const [target, method, body, message] of refused) {
      const res = await send(target, token, method, body);
      expect([res.status, json(res).reason, json(res).message], `${method} ${target}`).toEqual([403, 'Forbidden', message]);
    }
    expect((await admin('/api/v1/namespaces/team-a/pods/escape')).status).toBe(404);
    expect((await admin('/apis/batch/v1/namespaces/team-a/jobs/mine')).status).toBe(200);
    // Who it is, and the issuer's keys.
    const review = await send('/apis/authentication.k8s.io/v1/selfsubjectreviews', token, 'POST', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(json(review).status.userInfo).toMatchObject({ username: user, groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'] });
    expect(json(await send('/openid/v1/jwks', token)).keys).toHaveLength(1);
    // A service-account token opens no console session.
    const login = await rawRequest({ side: 'https', port: server.port, ca: server.caPem, target: '/auth/login', method: 'POST', headers: { 'Content-Type': 'application/json', Origin: `https://127.0.0.1:${server.port}` }, body: JSON.stringify({ token }) });
    expect(login.status).toBe(401);
  });

  it('refuses forged, altered, expired, not-yet-valid and wrong-audience tokens with 401', async () => {
    const good = await requestToken('team-a', 'default');
    expect((await send('/apis/batch/v1/namespaces/team-a/jobs', good)).status).toBe(200);
    const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()) as Record<string, any>;
    const now = Math.floor(Date.now() / 1000);
    // Signed with another key.
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', await sign(stranger, claims)));
    // Our signature over other claims (another namespace's account).
    const [h, , s] = good.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:team-b:default' })).toString('base64url');
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', `${h}.${altered}.${s}`));
    // alg none.
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${good.split('.')[1]}.`;
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', none));
    // The server's own key (read from its data directory), out of its lifetime.
    const own = createPrivateKey(readFileSync(join(server.dataDir, 'pki', 'sa.key')));
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', await sign(own, { ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 })));
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', await sign(own, { ...claims, nbf: now + 3600, exp: now + 7200 })));
    // ...and within it, it passes (the two above fail for their times only).
    expect((await send('/apis/batch/v1/namespaces/team-a/jobs', await sign(own, { ...claims, iat: now, nbf: now, exp: now + 600 }))).status).toBe(200);
    // For another audience.
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', await requestToken('team-a', 'default', { audiences: ['vault'] })));
  });

  it("refuses a deleted pod's token, and a re-created ServiceAccount's", async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const made = await admin('/api/v1/namespaces/team-a/pods', 'POST', pod);
    expect(made.status).toBe(201);
    const token = await requestToken('team-a', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'worker', uid: json(made).metadata.uid } });
    expect((await send('/apis/batch/v1/namespaces/team-a/jobs', token)).status).toBe(200);
    // Unscheduled, it goes at once; a pod of the same name later is another pod.
    expect((await admin('/api/v1/namespaces/team-a/pods/worker', 'DELETE')).status).toBe(200);
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', token));
    expect((await admin('/api/v1/namespaces/team-a/pods', 'POST', pod)).status).toBe(201);
    expect401(await send('/apis/batch/v1/namespaces/team-a/jobs', token));

    expect((await admin('/api/v1/namespaces/team-b/serviceaccounts', 'POST', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } })).status).toBe(201);
    const bot = await requestToken('team-b', 'bot');
    expect((await send('/apis/batch/v1/namespaces/team-b/jobs', bot)).status).toBe(200);
    expect((await admin('/api/v1/namespaces/team-b/serviceaccounts/bot', 'DELETE')).status).toBe(200);
    expect((await admin('/api/v1/namespaces/team-b/serviceaccounts', 'POST', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } })).status).toBe(201);
    expect401(await send('/apis/batch/v1/namespaces/team-b/jobs', bot));
  });

  it("TokenRequest refuses what upstream refuses, in its words", async () => {
    const post = (sa: string, spec: unknown) => admin(`/api/v1/namespaces/team-a/serviceaccounts/${sa}/token`, 'POST', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
    const short = await post('default', { expirationSeconds: 10 });
    expect([short.status, json(short).message]).toEqual([422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes']);
    const kind = await post('default', { boundObjectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } });
    expect([kind.status, json(kind).message]).toEqual([400, 'cannot bind token to object of type apps/v1, Kind=Deployment']);
    const ghost = await post('ghost', {});
    expect([ghost.status, json(ghost).message]).toEqual([404, 'serviceaccounts "ghost" not found']);
    expect((await admin('/api/v1/namespaces/team-a/serviceaccounts', 'POST', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other' } })).status).toBe(201);
    const wrongSa = await post('other', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'worker' } });
    expect([wrongSa.status, json(wrongSa).message]).toEqual([400, 'cannot bind token for serviceaccount "other" to pod running with different serviceaccount name.']);
    const ok = await post('default', {});
    expect(json(ok).spec).toEqual({ audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 });
    issued.push(json(ok).status.token);
  });

  it('a pod of a missing ServiceAccount is refused as upstream refuses it', async () => {
    const res = await admin('/api/v1/namespaces/team-a/pods', 'POST', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lost' }, spec: { serviceAccountName: 'nobody', containers: [{ name: 'c', image: 'busybox' }] } });
    expect([res.status, json(res).message]).toEqual([403, 'pods "lost" is forbidden: error looking up service account team-a/nobody: serviceaccount "nobody" not found']);
  });

  it('writes no token to its log', () => {
    expect(issued.length).toBeGreaterThan(5);
    const log = server.logs();
    for (const t of issued) expect(log).not.toContain(t.split('.')[2] || t);
  });
});
