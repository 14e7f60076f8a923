// `jobyard clusters`: the deploy targets of a jobyard server, from the command line.
//
//   jobyard clusters list [-o text|json] [--kubeconfig FILE]
//   jobyard clusters add NAME KUBECONFIG_FILE [--context CTX] [--kubeconfig FILE]
//   jobyard clusters remove NAME [--kubeconfig FILE]
//
// `add` sends the chosen context of KUBECONFIG_FILE ("-": standard input) to the server, with
// the certificates, keys and token files it names read and embedded (the server keeps a
// self-contained copy; it cannot read the caller's files). The server then proxies
// /clusters/NAME/... to that cluster, for the console and for any Kubernetes client.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CLUSTERS_PATH, type Cluster, type ClusterCreateRequest, type ClusterList } from '../../api/index.js';
import { loadKubeconfig, RestClient } from '../../client/index.js';
import { translateTimestampSince } from '../../machinery/index.js';
import { DEFAULT_KUBECONFIG } from '../logs/logs-command.js';

export interface ClustersClient {
  list(): Promise<Cluster[]>;
  add(req: ClusterCreateRequest): Promise<Cluster>;
  remove(name: string): Promise<void>;
  close(): void;
}

export class RestClustersClient implements ClustersClient {
  private readonly rest: RestClient;

  constructor(kubeconfig: string) {
    this.rest = new RestClient({ ...loadKubeconfig(kubeconfig), userAgent: 'jobyard-cli' });
  }

  async list(): Promise<Cluster[]> {
    return (await this.rest.request<ClusterList>({ method: 'GET', path: CLUSTERS_PATH })).body.items;
  }

  async add(req: ClusterCreateRequest): Promise<Cluster> {
    return (await this.rest.request<Cluster>({ method: 'POST', path: CLUSTERS_PATH, body: req })).body;
  }

  async remove(name: string): Promise<void> {
    await this.rest.request({ method: 'DELETE', path: `${CLUSTERS_PATH}/${encodeURIComponent(name)}` });
  }

  close(): void {
    this.rest.close();
  }
}

export interface ClustersCommandIO {
  out: (text: string) => void;
  /** Reads a file (tests pass their own). */
  readFile?: (path: string) => Buffer;
  readStdin?: () => string;
  client?: (kubeconfig: string) => ClustersClient;
}

/** Kubeconfig file fields and the embedded field each becomes. */
const EMBED: { section: 'clusters' | 'users'; key: 'cluster' | 'user'; file: string; data: string; base64: boolean }[] = [
  { section: 'clusters', key: 'cluster', file: 'certificate-authority', data: 'certificate-authority-data', base64: true },
  { section: 'users', key: 'user', file: 'client-certificate', data: 'client-certificate-data', base64: true },
  { section: 'users', key: 'user', file: 'client-key', data: 'client-key-data', base64: true },
  { section: 'users', key: 'user', file: 'tokenFile', data: 'token', base64: false },
];

/**
 * The kubeconfig with every file it names read and embedded (paths relative to `baseDir`, as
 * kubectl resolves them). Other fields are kept as they are.
 */
export function embedKubeconfigFiles(text: string, baseDir: string, readFile: (path: string) => Buffer): string {
  const doc = parseYaml(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error('the file is not a kubeconfig (a YAML mapping)');
  let changed = false;
  for (const e of EMBED) {
    const list = doc[e.section];
    if (!Array.isArray(list)) continue;
    for (const entry of list as Record<string, Record<string, unknown> | undefined>[]) {
      const section = entry?.[e.key];
      const path = section?.[e.file];
      if (!section || typeof path !== 'string' || !path) continue;
      const full = isAbsolute(path) ? path : join(baseDir, path);
      let bytes: Buffer;
      try {
        bytes = readFile(full);
      } catch (err) {
        throw new Error(`${e.section}[${String(entry?.name)}].${e.key}.${e.file}: cannot read ${full}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      section[e.data] = e.base64 ? bytes.toString('base64') : bytes.toString('utf8').trim();
      delete section[e.file];
      changed = true;
    }
  }
  return changed ? stringifyYaml(doc) : text;
}

/** The text table of `clusters list`. */
export function formatClusters(items: Cluster[], now: Date): string {
  const rows = [['NAME', 'SERVER', 'VERSION', 'STATUS', 'AGE']];
  for (const c of items) {
    // The message starts with the cluster's name and "is unreachable", which the row already says.
    const why = (c.status?.message ?? 'not probed').replace(/^cluster "[^"]*" is unreachable: /, '');
    const status = c.status?.reachable ? 'Reachable' : `Unreachable: ${why}`;
    rows.push([c.metadata.name ?? '', c.spec.server, c.status?.version ?? '-', status, c.spec.local || !c.metadata.creationTimestamp ? '-' : translateTimestampSince(c.metadata.creationTimestamp, now)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]))).join('   ').trimEnd()).join('\n')}\n`;
}

export function clustersCommand(io: ClustersCommandIO): Command {
  const clusters = new Command('clusters').description('The deploy targets: local (this server) and clusters added from kubeconfigs.');
  const kubeconfigOption = () => new Option('--kubeconfig <file>', 'the jobyard server and credentials (the file jobyard server writes)').default(process.env.JOBYARD_KUBECONFIG || DEFAULT_KUBECONFIG);
  const client = (kubeconfig: string) => (io.client ?? ((k) => new RestClustersClient(k)))(kubeconfig);
  const readFile = io.readFile ?? ((p: string) => readFileSync(p));

  clusters
    .command('list')
    .description('List the clusters, each probed (GET /version).')
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .addOption(kubeconfigOption())
    .action(async (o: { output: 'text' | 'json'; kubeconfig: string }) => {
      const c = client(o.kubeconfig);
      try {
        const items = await c.list();
        io.out(o.output === 'json' ? `${JSON.stringify({ apiVersion: 'clusters.jobyard.io/v1', kind: 'ClusterList', metadata: {}, items }, null, 2)}\n` : formatClusters(items, new Date()));
      } finally {
        c.close();
      }
    });

  clusters
    .command('add')
    .description('Add a cluster from a kubeconfig file: jobs can then be deployed to it from the console, or through /clusters/NAME/.')
    .argument('<name>', 'the cluster’s name in jobyard (a DNS label; not "local")')
    .argument('<file>', 'a kubeconfig file ("-": standard input)')
    .option('--context <name>', 'the kubeconfig context to use (default: its current-context)')
    .addOption(kubeconfigOption())
    .action(async (name: string, file: string, o: { context?: string; kubeconfig: string }) => {
      const text = file === '-' ? (io.readStdin ?? (() => readFileSync(0, 'utf8')))() : readFile(file).toString('utf8');
      const kubeconfig = embedKubeconfigFiles(text, file === '-' ? process.cwd() : dirname(file), readFile);
      const c = client(o.kubeconfig);
      try {
        const added = await c.add({ name, kubeconfig, ...(o.context ? { context: o.context } : {}) });
        const st = added.status;
        io.out(`cluster/${name} added: ${added.spec.server}${st ? (st.reachable ? ` (reachable, ${st.version ?? 'version unknown'})` : ` (not reachable now: ${st.message ?? ''})`) : ''}\n`);
      } finally {
        c.close();
      }
    });

  clusters
    .command('remove')
    .description('Remove an added cluster (what runs on it is not touched).')
    .argument('<name>', 'the cluster')
    .addOption(kubeconfigOption())
    .action(async (name: string, o: { kubeconfig: string }) => {
      const c = client(o.kubeconfig);
      try {
        await c.remove(name);
        io.out(`cluster/${name} removed\n`);
      } finally {
        c.close();
      }
    });
  return clusters;
}
