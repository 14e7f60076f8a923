import type { KubeObject, ObjectMeta } from '../../../api/index.js';

/** A Secret as stored (data base64), KubeObject-compatible; stringData only on input. */
export interface SecretObject extends KubeObject {
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/** Well-known Secret types and their keys (core/v1 types.go). */
export const SecretTypes = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

export const SecretKeys = {
  serviceAccountName: 'kubernetes.io/service-account.name',
  dockercfg: '.dockercfg',
  dockerConfigJson: '.dockerconfigjson',
  username: 'username',
  password: 'password',
  sshPrivateKey: 'ssh-privatekey',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
} as const;
