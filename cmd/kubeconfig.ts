// The kubeconfig jobyard server writes on start: ready for `kubectl --kubeconfig DIR/kubeconfig`.
import { chmodSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';

export interface KubeconfigParams {
  server: string;
  caPem: string;
  token: string;
  clusterName?: string;
  namespace?: string;
}

export function kubeconfigYaml(p: KubeconfigParams): string {
  const name = p.clusterName ?? 'jobyard';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: p.server, 'certificate-authority-data': Buffer.from(p.caPem).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token: p.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: p.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  };
  return YAML.stringify(doc);
}

export function writeKubeconfig(path: string, p: KubeconfigParams): void {
  writeFileSync(path, kubeconfigYaml(p), { mode: 0o600 });
  // It holds the token: 0600 even when an older file was more open (mode applies on creation only).
  chmodSync(path, 0o600);
}
