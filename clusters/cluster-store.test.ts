import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { StatusError } from '../machinery/index.js';
import { ClusterStore } from './cluster-store.js';

const SECRET_TOKEN = 'sekret-token-value-0123456789';

function kubeconfig(over: { server?: string; user?: Record<string, unknown>; cluster?: Record<string, unknown>; current?: string | null; contexts?: string[] } = {}): string {
  const contexts = over.contexts ?? ['prod'];
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c1', cluster: { server: over.server ?? 'https://k8s.example.com:6443', 'certificate-authority-data': 'Q0E=', ...over.cluster } }],
    users: [{ name: 'u1', user: over.user ?? { token: SECRET_TOKEN } }],
    contexts: contexts.map((name) => ({ name, context: { cluster: 'c1', user: 'u1', namespace: 'batch' } })),
    ...(over.current === null ? {} : { 'current-context': over.current ?? contexts[0] }),
  });
}

/** The Status of a rejected add: "field: message" per cause, and the whole message. */
function rejection(fn: () => unknown): { code: number; causes: string[]; message: string } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    const s = err.status;
    return { code: s.code ?? 0, causes: (s.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`), message: s.message ?? '' };
  }
  throw new Error('expected a rejection');
}

describe('ClusterStore', () => {
  let dir: string;
  let store: ClusterStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jobyard-clusters-'));
    store = new ClusterStore(join(dir, 'clusters'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a cluster as a 0600 file holding only the chosen context, and lists, gets and removes it', () => {
    const text = kubeconfig({ contexts: ['prod', 'staging'] }).replace('clusters:', 'preferences: {}\nclusters:');
    const added = store.add({ name: 'prod-eu', kubeconfig: text, context: 'staging' });
    expect(added.cluster).toMatchObject({ kind: 'Cluster', metadata: { name: 'prod-eu' }, spec: { server: 'https://k8s.example.com:6443', context: 'staging', namespace: 'batch' } });
    const file = join(dir, 'clusters', 'prod-eu.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'clusters')).mode & 0o777).toBe(0o700);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('prod\n');
    expect(stored).toContain('current-context: staging');
    expect(added.kubeConfig.getCurrentUser()?.token).toBe(SECRET_TOKEN);

    expect(store.list().items.map((c) => c.cluster.metadata.name)).toEqual(['prod-eu']);
    expect(store.get('prod-eu')?.cluster.spec.context).toBe('staging');
    store.remove('prod-eu');
    expect(store.get('prod-eu')).toBeUndefined();
    expect(store.list().items).toEqual([]);
    expect(rejection(() => store.remove('prod-eu'))).toMatchObject({ code: 404, message: 'clusters.clusters.jobyard.io "prod-eu" not found' });
  });

  it('takes the only context when there is no current-context, and refuses a name taken', () => {
    store.add({ name: 'one', kubeconfig: kubeconfig({ current: null }) });
    expect(store.get('one')?.cluster.spec.context).toBe('prod');
    expect(rejection(() => store.add({ name: 'one', kubeconfig: kubeconfig() }))).toMatchObject({ code: 409, message: 'clusters.clusters.jobyard.io "one" already exists' });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no name, no kubeconfig', {}, ['name: Required value', 'kubeconfig: Required value']],
    ['the local name', { name: 'local', kubeconfig: kubeconfig() }, ['name: Invalid value: "local": is the name of this server’s own engine']],
    ['a name that is no DNS label', { name: 'Prod_EU', kubeconfig: kubeconfig() }, ["name: Invalid value: \"Prod_EU\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]],
    ['text that is not YAML', { name: 'x', kubeconfig: `apiVersion: v1\ntoken: "${SECRET_TOKEN}\n` }, ['kubeconfig: Invalid value: "(redacted)": is not a kubeconfig: not a YAML or JSON mapping (line 3)']],
    ['a context that is not there', { name: 'x', kubeconfig: kubeconfig(), context: 'dev' }, ['context: Not found: "dev"']],
    ['several contexts and none current', { name: 'x', kubeconfig: kubeconfig({ current: null, contexts: ['a', 'b'] }) }, ['context: Required value: the kubeconfig has no current-context; name one of: a, b']],
    ['a server that is no URL', { name: 'x', kubeconfig: kubeconfig({ server: 'k8s.example.com' }) }, ['kubeconfig.clusters[c1].cluster.server: Invalid value: "k8s.example.com": must be an https:// (or http://) URL']],
    ['plain http with TLS verification', { name: 'x', kubeconfig: kubeconfig({ server: 'http://10.0.0.1:8080' }) }, ['kubeconfig.clusters[c1].cluster.server: Invalid value: "http://10.0.0.1:8080": plain http is used only with insecure-skip-tls-verify: true']],
    [
      'files the server cannot read',
      { name: 'x', kubeconfig: kubeconfig({ cluster: { 'certificate-authority': '/home/me/ca.crt' }, user: { 'client-certificate': 'me.crt', 'client-key': 'me.key' } }) },
      [
        'kubeconfig.clusters[c1].cluster.certificate-authority: Forbidden: a file the server cannot read; embed it as certificate-authority-data (jobyard clusters add does)',
        'kubeconfig.users[u1].user.client-certificate: Forbidden: a file the server cannot read; embed it as client-certificate-data (jobyard clusters add does)',
        'kubeconfig.users[u1].user.client-key: Forbidden: a file the server cannot read; embed it as client-key-data (jobyard clusters add does)',
      ],
    ],
  ])('refuses %s with a 422 naming the fields, and stores nothing', (_what, req, causes) => {
    const r = rejection(() => store.add(req));
    expect(r.code).toBe(422);
    expect(r.causes).toEqual(causes);
    expect(r.message).not.toContain(SECRET_TOKEN);
    expect(store.list().items).toEqual([]);
  });

  it('a rejected add leaves the stored cluster of that name as it was', () => {
    store.add({ name: 'prod', kubeconfig: kubeconfig() });
    const before = readFileSync(join(dir, 'clusters', 'prod.yaml'), 'utf8');
    expect(rejection(() => store.add({ name: 'prod', kubeconfig: kubeconfig({ server: 'nope' }) })).code).toBe(422);
    expect(rejection(() => store.add({ name: 'prod', kubeconfig: kubeconfig({ server: 'https://other:6443' }) })).code).toBe(409);
    expect(readFileSync(join(dir, 'clusters', 'prod.yaml'), 'utf8')).toBe(before);
  });
});
