// The deploy targets added from kubeconfigs: one file per cluster in DIR/clusters/<name>.yaml
// (mode 0600: it holds credentials), each a minimal, self-contained kubeconfig of one context.
// Nothing is cached: the files are the state, so a restart or a second reader sees the same.
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import { CLUSTERS_API_VERSION, type Cluster, type ClusterCreateRequest, LOCAL_CLUSTER_NAME } from '../api/index.js';
import { alreadyExists, type FieldError, fieldErrors, invalid, isDNS1123Label, notFound } from '../machinery/index.js';
import { newKubeConfig } from '../client/index.js';

const GROUP = 'clusters.jobyard.io';

type Named<K extends string> = { name?: unknown } & Partial<Record<K, Record<string, unknown>>>;

interface RawKubeconfig {
  clusters?: Named<'cluster'>[];
  users?: Named<'user'>[];
  contexts?: Named<'context'>[];
  'current-context'?: unknown;
}

/** File fields a stored kubeconfig may not use: the server could not read the caller's files. */
const FILE_FIELDS: Record<'cluster' | 'user', string[]> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

/** A stored cluster: its description and the kubeconfig to reach it. */
export interface StoredCluster {
  cluster: Cluster;
  kubeConfig: KubeConfig;
}

export class ClusterStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private file(name: string): string {
    return join(this.dir, `${name}.yaml`);
  }

  /** The added clusters, by name. Unreadable files are skipped (and named in `errors`). */
  list(): { items: StoredCluster[]; errors: string[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
    } catch {
      return { items: [], errors: [] };
    }
    const items: StoredCluster[] = [];
    const errors: string[] = [];
    for (const name of names.sort()) {
      if (isDNS1123Label(name).length || name === LOCAL_CLUSTER_NAME) continue;
      try {
        const c = this.get(name);
        if (c) items.push(c);
      } catch (err) {
        errors.push(`cluster ${name}: ${(err as Error).message}`);
      }
    }
    return { items, errors };
  }

  /** One added cluster, or undefined. */
  get(name: string): StoredCluster | undefined {
    if (isDNS1123Label(name).length || name === LOCAL_CLUSTER_NAME) return undefined;
    let text: string;
    let created: Date;
    try {
      text = readFileSync(this.file(name), 'utf8');
      created = statSync(this.file(name)).mtime;
    } catch {
      return undefined;
    }
    const kc = newKubeConfig();
    kc.loadFromString(text);
    return { cluster: describe(name, kc, created), kubeConfig: kc };
  }

  /** Adds a cluster from a kubeconfig; 422 with field paths when it cannot be used, 409 when the name is taken. */
  add(req: Partial<ClusterCreateRequest>): StoredCluster {
    const name = typeof req.name === 'string' ? req.name : '';
    const errs: FieldError[] = [];
    if (!name) errs.push(fieldErrors.required('name'));
    else if (name === LOCAL_CLUSTER_NAME) errs.push(fieldErrors.invalid('name', name, 'is the name of this server’s own engine'));
    else for (const m of isDNS1123Label(name)) errs.push(fieldErrors.invalid('name', name, m));
    const minimal = typeof req.kubeconfig === 'string' && req.kubeconfig.trim() ? minimalKubeconfig(req.kubeconfig, req.context, errs) : undefined;
    if (req.kubeconfig === undefined || (typeof req.kubeconfig === 'string' && !req.kubeconfig.trim())) errs.push(fieldErrors.required('kubeconfig'));
    else if (typeof req.kubeconfig !== 'string') errs.push(fieldErrors.invalid('kubeconfig', '(not a string)', 'must be the text of a kubeconfig'));
    if (req.context !== undefined && typeof req.context !== 'string') errs.push(fieldErrors.invalid('context', req.context, 'must be a string'));
    if (errs.length || !minimal) throw invalid('Cluster', GROUP, name, errs);
    if (this.get(name)) throw alreadyExists('clusters', GROUP, name);

    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file(name)}.${process.pid}.tmp`;
    writeFileSync(tmp, minimal, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file(name));
    const stored = this.get(name);
    if (!stored) throw new Error(`cluster ${name} was written but cannot be read back`);
    return stored;
  }

  /** Removes an added cluster; 404 when there is none of that name. */
  remove(name: string): void {
    if (!this.get(name)) throw notFound('clusters', GROUP, name);
    rmSync(this.file(name), { force: true });
  }
}

function describe(name: string, kc: KubeConfig, created: Date): Cluster {
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const server = kc.getCurrentCluster()?.server ?? '';
  return {
    apiVersion: CLUSTERS_API_VERSION,
    kind: 'Cluster',
    metadata: { name, creationTimestamp: created.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    spec: { server, context: kc.getCurrentContext(), ...(ctx?.namespace ? { namespace: ctx.namespace } : {}) },
  };
}

/**
 * The one context of `text` that the cluster uses, as a kubeconfig of its own (YAML), or
 * undefined with `errs` filled. Errors name fields, never values of credentials.
 */
export function minimalKubeconfig(text: string, context: string | undefined, errs: FieldError[]): string | undefined {
  let raw: RawKubeconfig;
  try {
    const doc = parseYaml(text) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a mapping');
    raw = doc as RawKubeconfig;
  } catch (err) {
    // The parser's message may quote the text (credentials); say only where.
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    errs.push(fieldErrors.invalid('kubeconfig', '(redacted)', `is not a kubeconfig: not a YAML or JSON mapping${where}`));
    return undefined;
  }
  const byName = <K extends 'cluster' | 'user' | 'context'>(list: Named<K>[] | undefined, name: string) =>
    Array.isArray(list) ? list.find((x) => x && x.name === name) : undefined;
  const contextName = context ?? (typeof raw['current-context'] === 'string' && raw['current-context'] ? raw['current-context'] : undefined);
  const contextNames = Array.isArray(raw.contexts) ? raw.contexts.map((c) => c?.name).filter((n): n is string => typeof n === 'string') : [];
  const chosen = contextName ?? (contextNames.length === 1 ? contextNames[0] : undefined);
  if (!chosen) {
    errs.push(fieldErrors.required('context', `the kubeconfig has no current-context; name one of: ${contextNames.join(', ') || '(none)'}`));
    return undefined;
  }
  const ctx = byName(raw.contexts, chosen)?.context;
  if (!ctx) {
    errs.push(fieldErrors.notFound(context !== undefined ? 'context' : 'kubeconfig.current-context', chosen));
    return undefined;
  }
  const clusterName = typeof ctx.cluster === 'string' ? ctx.cluster : '';
  const cluster = byName(raw.clusters, clusterName)?.cluster;
  if (!cluster) {
    errs.push(fieldErrors.notFound(`kubeconfig.contexts[${chosen}].context.cluster`, clusterName));
    return undefined;
  }
  const server = typeof cluster.server === 'string' ? cluster.server : '';
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    errs.push(fieldErrors.invalid(`kubeconfig.clusters[${clusterName}].cluster.server`, server, 'must be an https:// (or http://) URL'));
  } else if (url.protocol === 'http:' && cluster['insecure-skip-tls-verify'] !== true) {
    errs.push(fieldErrors.invalid(`kubeconfig.clusters[${clusterName}].cluster.server`, server, 'plain http is used only with insecure-skip-tls-verify: true'));
  }
  const userName = typeof ctx.user === 'string' ? ctx.user : '';
  const user = userName ? byName(raw.users, userName)?.user : {};
  if (userName && !user) errs.push(fieldErrors.notFound(`kubeconfig.contexts[${chosen}].context.user`, userName));
  for (const f of FILE_FIELDS.cluster) {
    if (cluster[f] !== undefined) errs.push(fieldErrors.forbidden(`kubeconfig.clusters[${clusterName}].cluster.${f}`, `a file the server cannot read; embed it as ${f}-data (jobyard clusters add does)`));
  }
  for (const f of FILE_FIELDS.user) {
    if (user?.[f] !== undefined) {
      const embedded = f === 'tokenFile' ? 'token' : `${f}-data`;
      errs.push(fieldErrors.forbidden(`kubeconfig.users[${userName}].user.${f}`, `a file the server cannot read; embed it as ${embedded} (jobyard clusters add does)`));
    }
  }
  if (errs.length) return undefined;
  const out = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster }],
    users: userName ? [{ name: userName, user }] : [],
    contexts: [{ name: chosen, context: ctx }],
    'current-context': chosen,
  };
  const yamlText = stringifyYaml(out);
  // The client library must read it as we do.
  try {
    const kc = newKubeConfig();
    kc.loadFromString(yamlText);
    if (!kc.getCurrentCluster()) throw new Error('no cluster');
  } catch (err) {
    errs.push(fieldErrors.invalid('kubeconfig', '(redacted)', `cannot be loaded: ${(err as Error).message.split('\n')[0]}`));
    return undefined;
  }
  return yamlText;
}
