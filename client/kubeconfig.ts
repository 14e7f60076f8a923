// Reading a kubeconfig (ours, or any kubectl one using token auth): the current context's
// cluster server and CA, and its user's bearer token. The file is read by
// @kubernetes/client-node's KubeConfig, the same reader clusters/ uses for deploy targets.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { ClientConfig } from './client-config.js';

const require = createRequire(import.meta.url);

/**
 * A new, empty KubeConfig. @kubernetes/client-node (over 800 modules, most of a second to load)
 * is loaded on the first call, not on import: `jobyard server` reaches itself without it.
 */
export function newKubeConfig(): KubeConfig {
  const { KubeConfig: KubeConfigClass } = require('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  return new KubeConfigClass();
}

/** A ClientConfig plus the context's default namespace ("default" when unset). */
export interface LoadedKubeconfig extends ClientConfig {
  namespace: string;
  context: string;
}

/**
 * kubectl's `tokenFile` of a user: KubeConfig keeps only a `token-file` key (read from the
 * working directory), so this one field is looked up in the document itself.
 */
function tokenFileOf(text: string, userName: string): string | undefined {
  const doc = parseYaml(text) as { users?: { name?: string; user?: { tokenFile?: unknown } }[] } | null;
  const file = doc?.users?.find((u) => u.name === userName)?.user?.tokenFile;
  return typeof file === 'string' && file ? file : undefined;
}

/** Parses kubeconfig YAML text; `baseDir` resolves relative file references. */
export function parseKubeconfig(text: string, options: { context?: string; baseDir?: string } = {}): LoadedKubeconfig {
  const kc = newKubeConfig();
  // Entries this context does not use may be incomplete, as kubectl allows.
  kc.loadFromString(text, { onInvalidEntry: 'filter' });
  if (options.baseDir) kc.makePathsAbsolute(options.baseDir);
  const contextName = options.context ?? kc.getCurrentContext();
  if (!contextName) throw new Error('kubeconfig: no current-context and no context given');
  const ctx = kc.getContextObject(contextName);
  if (!ctx) throw new Error(`kubeconfig: context "${contextName}" not found`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster?.server) throw new Error(`kubeconfig: cluster "${ctx.cluster ?? ''}" of context "${contextName}" has no server`);
  const user = ctx.user ? kc.getUser(ctx.user) : null;
  const fromFile = (p: string) => readFileSync(isAbsolute(p) || !options.baseDir ? p : resolve(options.baseDir, p), 'utf8');

  const config: LoadedKubeconfig = { server: cluster.server, namespace: ctx.namespace || 'default', context: contextName };
  if (cluster.caData) config.caData = Buffer.from(cluster.caData, 'base64').toString('utf8');
  else if (cluster.caFile) config.caData = fromFile(cluster.caFile);
  if (cluster.skipTLSVerify) config.insecureSkipTLSVerify = true;
  const tokenFile = user && !user.token ? tokenFileOf(text, user.name) : undefined;
  if (user?.token) config.token = user.token;
  else if (tokenFile) config.token = fromFile(tokenFile).trim();
  return config;
}

/** Reads a kubeconfig file (current context unless `context` is given). */
export function loadKubeconfig(path: string, options: { context?: string } = {}): LoadedKubeconfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), { ...options, baseDir: dirname(path) });
}
