import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Cluster, ClusterCreateRequest } from '../../api/index.js';
import { type ClustersClient, clustersCommand, embedKubeconfigFiles, formatClusters } from './clusters-command.js';

const files: Record<string, string> = { '/home/me/.kube/ca.crt': 'CA PEM', '/home/me/.kube/certs/me.crt': 'CERT PEM', '/etc/me.key': 'KEY PEM', '/home/me/.kube/token': 'tok-123\n' };
const readFile = (p: string) => {
  if (!(p in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return Buffer.from(files[p]);
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

const kubeconfig = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://k8s:6443', 'certificate-authority': 'ca.crt' } }],
  users: [
    { name: 'cert', user: { 'client-certificate': 'certs/me.crt', 'client-key': '/etc/me.key' } },
    { name: 'tok', user: { tokenFile: 'token' } },
  ],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'cert' } }],
  'current-context': 'x',
});

describe('embedKubeconfigFiles', () => {
  it('reads the files a kubeconfig names (relative to its folder, as kubectl does) into the -data fields and token', () => {
    const out = parse(embedKubeconfigFiles(kubeconfig, '/home/me/.kube', readFile));
    expect(out.clusters[0].cluster).toEqual({ server: 'https://k8s:6443', 'certificate-authority-data': b64('CA PEM') });
    expect(out.users[0].user).toEqual({ 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64('KEY PEM') });
    expect(out.users[1].user).toEqual({ token: 'tok-123' });
    expect(out['current-context']).toBe('x');
  });

  it('keeps a self-contained kubeconfig as it is, and names the field of a file it cannot read', () => {
    const inline = stringify({ clusters: [{ name: 'c', cluster: { server: 'https://k8s', 'certificate-authority-data': 'QQ==' } }] });
    expect(embedKubeconfigFiles(inline, '/', readFile)).toBe(inline);
    expect(() => embedKubeconfigFiles(kubeconfig, '/elsewhere', readFile)).toThrow('clusters[c].cluster.certificate-authority: cannot read /elsewhere/ca.crt: ENOENT');
  });
});

describe('jobyard clusters', () => {
  const clusters: Cluster[] = [
    { apiVersion: 'clusters.jobyard.io/v1', kind: 'Cluster', metadata: { name: 'local' }, spec: { server: 'https://127.0.0.1:6443', local: true }, status: { reachable: true, version: 'v1.32.0-jobyard', lastProbeTime: '2026-11-28T10:00:00Z' } },
    { apiVersion: 'clusters.jobyard.io/v1', kind: 'Cluster', metadata: { name: 'prod', creationTimestamp: '2026-11-28T07:00:00Z' }, spec: { server: 'https://k8s:6443' }, status: { reachable: false, message: 'cluster "prod" is unreachable: connect ECONNREFUSED', lastProbeTime: '2026-11-28T10:00:00Z' } },
  ];

  it('lists clusters as a table', () => {
    expect(formatClusters(clusters, new Date('2026-11-28T10:00:00Z'))).toBe(
      [
        'NAME    SERVER                   VERSION           STATUS                              AGE',
        'local   https://127.0.0.1:6443   v1.32.0-jobyard   Reachable                           -',
        'prod    https://k8s:6443         -                 Unreachable: connect ECONNREFUSED   3h',
        '',
      ].join('\n'),
    );
  });

  it('add sends the embedded kubeconfig and the context; remove names the cluster', async () => {
    const sent: ClusterCreateRequest[] = [];
    const removed: string[] = [];
    const client: ClustersClient = {
      list: async () => clusters,
      add: async (req) => {
        sent.push(req);
        return { ...clusters[1], metadata: { name: req.name }, status: { reachable: true, version: 'v1.31.4', lastProbeTime: '' } };
      },
      remove: async (name) => void removed.push(name),
      close: () => undefined,
    };
    let out = '';
    const cmd = clustersCommand({ out: (t) => (out += t), readFile: (p) => (p === '/home/me/.kube/config' ? Buffer.from(kubeconfig) : readFile(p)), client: () => client });
    cmd.exitOverride();
    await cmd.parseAsync(['add', 'prod', '/home/me/.kube/config', '--context', 'x', '--kubeconfig', '/k'], { from: 'user' });
    await cmd.parseAsync(['remove', 'prod', '--kubeconfig', '/k'], { from: 'user' });
    expect(sent).toHaveLength(1);
    expect(sent[0].name).toBe('prod');
    expect(sent[0].context).toBe('x');
    expect(parse(sent[0].kubeconfig).users[0].user['client-key-data']).toBe(b64('KEY PEM'));
    expect(removed).toEqual(['prod']);
    expect(out).toBe('cluster/prod added: https://k8s:6443 (reachable, v1.31.4)\ncluster/prod removed\n');
  });
});
