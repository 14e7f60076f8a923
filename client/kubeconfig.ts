// Reading a kubeconfig (ours, or any kubectl one using token auth): the current context's
// cluster server and CA, and its user's bearer token.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClientConfig } from './client-config.js';

interface NamedCluster {
  name: string;
  cluster?: {
    server?: string;
    'certificate-authority-data'?: string;
    'certificate-authority'?: string;
    'insecure-skip-tls-verify'?: boolean;
  };
}
interface NamedUser {
  name: string;
  user?: { token?: string; tokenFile?: string };
}
interface NamedContext {
  name: string;
  context?: { cluster?: string; user?: string; namespace?: string };
}
interface Kubeconfig {
  'current-context'?: string;
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: NamedContext[];
}

/** A ClientConfig plus the context's default namespace ("default" when unset). */
export interface LoadedKubeconfig extends ClientConfig {
  namespace: string;
  context: string;
}

/** Parses kubeconfig YAML text; `baseDir` resolves relative file references. */
export function parseKubeconfig(text: string, options: { context?: string; baseDir?: string } = {}): LoadedKubeconfig {
  const doc = (parseYaml(text) ?? {}) as Kubeconfig;
  const contextName = options.context ?? doc['current-context'];
  if (!contextName) throw new Error('kubeconfig: no current-context and no context given');
  const ctx = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!ctx) throw new Error(`kubeconfig: context "${contextName}" not found`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig: cluster "${ctx.cluster ?? ''}" of context "${contextName}" has no server`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user;
  const fromFile = (p: string) => readFileSync(isAbsolute(p) || !options.baseDir ? p : resolve(options.baseDir, p), 'utf8');

  const config: LoadedKubeconfig = { server: cluster.server, namespace: ctx.namespace || 'default', context: contextName };
  if (cluster['certificate-authority-data']) {
    config.caData = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  } else if (cluster['certificate-authority']) {
    config.caData = fromFile(cluster['certificate-authority']);
  }
  if (cluster['insecure-skip-tls-verify']) config.insecureSkipTLSVerify = true;
  if (user?.token) config.token = user.token;
  else if (user?.tokenFile) config.token = fromFile(user.tokenFile).trim();
  return config;
}

/** Reads a kubeconfig file (current context unless `context` is given). */
export function loadKubeconfig(path: string, options: { context?: string } = {}): LoadedKubeconfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), { ...options, baseDir: dirname(path) });
}
