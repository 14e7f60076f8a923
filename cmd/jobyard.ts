#!/usr/bin/env node
// The jobyard command line: `jobyard server` runs everything; other verbs talk to a server.
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { errorMessage } from '../machinery/index.js';
import { DEFAULT_DATA_DIR, DEFAULT_POD_PIDS_LIMIT, startServer } from './server.js';
import { consoleSignInUrl } from './console-url.js';
import { clustersCommand, logsCommand } from '../cli/index.js';
import { type Level, LEVELS, isLevel } from '../server/index.js';
import { CONTAINER_RUNTIMES, type ContainerRuntimeName, normalizeCriEndpoint } from './container-runtime-choice.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

function nonNegativeSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number of seconds');
  return n;
}

/** --simulated-node-capacity pods=3000,cpu=64: resource=quantity pairs. */
function capacityList(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const m = /^\s*([a-z0-9./-]+)=([0-9.]+[A-Za-z]*)\s*$/.exec(pair);
    if (!m) throw new InvalidArgumentError('must be resource=quantity pairs, e.g. pods=3000,cpu=64');
    out[m[1]!] = m[2]!;
  }
  return out;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** The kubelet's podPidsLimit: -1 (no limit, as upstream) or 1 up to the kernel's PID_MAX_LIMIT. */
function pidsLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || (n !== -1 && (n < 1 || n > 4_194_304))) throw new InvalidArgumentError('must be -1 (no limit) or a number of processes from 1 to 4194304');
  return n;
}

function podSecurityLevel(value: string): Level {
  if (!isLevel(value)) throw new InvalidArgumentError(`must be one of ${LEVELS.join(', ')}`);
  return value;
}

function containerRuntime(value: string): ContainerRuntimeName {
  if (!(CONTAINER_RUNTIMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be ${CONTAINER_RUNTIMES.join(' or ')}`);
  return value as ContainerRuntimeName;
}

function criEndpoint(value: string): string {
  try {
    return normalizeCriEndpoint(value);
  } catch (err) {
    throw new InvalidArgumentError(errorMessage(err));
  }
}

function proxyMode(value: string): 'iptables' | 'none' {
  if (value !== 'iptables' && value !== 'none') throw new InvalidArgumentError('must be iptables or none');
  return value;
}

/** --allow-host-path: an absolute directory, repeatable. */
function hostPathDir(value: string, previous: string[]): string[] {
  if (!value.startsWith('/')) throw new InvalidArgumentError('must be an absolute path');
  return [...previous, value];
}

/** How to run `console-url` for this data directory, as this process was started. */
function consoleUrlCommand(dataDir: string): string {
  const self = process.argv[1] ?? 'jobyard';
  const run = basename(self) === 'jobyard' ? 'jobyard' : `node ${relativeOrAbsolute(self)}`;
  return `${run} console-url${resolve(dataDir) === resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${resolve(dataDir)}`}`;
}

function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const program = new Command();
program.name('jobyard').description('Batch jobs from container images, with Kubernetes Job semantics.');

program
  .command('server')
  .description('Run the API server, the controllers, the node agent and the console in one process.')
  .option('--data-dir <dir>', 'where state, certificates, the token and the kubeconfig live', DEFAULT_DATA_DIR)
  .option('--port <port>', 'the port for the API (HTTPS) and the console (HTTP on loopback)', port, 6443)
  .option('--host <address>', 'the address to listen on (loopback unless told otherwise)', '127.0.0.1')
  .option('--tls-san <name...>', 'extra names or addresses for the serving certificate', [])
  .option('--pod-api-address <address>', "the address pods reach the API on (HTTPS and tokens only, same port; the `kubernetes` Service's endpoint); default: the container engine's bridge gateway (e.g. 172.17.0.1)")
  .option('--no-pod-api', 'do not listen where pods can reach the API')
  .option('--service-cluster-ip-range <cidr>', "the IPv4 CIDR Services' ClusterIPs come from; its first address is the `kubernetes` Service's", '10.96.0.0/12')
  .option('--service-node-port-range <range>', "the ports NodePort Services' node ports come from", '30000-32767')
  .option('--service-account-issuer <url>', "the iss of service-account tokens, and the audience the API takes them for", 'https://kubernetes.default.svc.cluster.local')
  .option('--proxy-mode <mode>', "how the node implements Services' cluster IPs and node ports: iptables (kube-proxy's rules, needs root; one proxying server per machine) or none", proxyMode, 'iptables')
  .option('--cluster-domain <domain>', "the cluster's DNS domain (the kubelet's clusterDomain): Services are <name>.<namespace>.svc.<domain>", 'cluster.local')
  .option('--cluster-dns', 'serve cluster DNS to pods on the pod address, port 53 (the default)')
  .option('--no-cluster-dns', 'do not serve cluster DNS to pods (they then get the host\'s resolvers, as dnsPolicy Default)')
  .option('--cluster-dns-port <port>', "the cluster DNS server's port on the pod address; another than 53 needs kube-proxy (--proxy-mode iptables), which carries the kube-dns Service's port 53 to it", port, 53)
  .option('--no-controllers', 'do not run the controllers in this process')
  .option('--no-agent', 'do not run the node agent in this process')
  .option('--runtime <engine>', `the container engine the node agent runs pods on: docker (the Docker Engine API at DOCKER_HOST) or containerd (through the CRI at --container-runtime-endpoint; scripts/containerd.sh sets it up)`, containerRuntime, 'docker')
  .option('--container-runtime-endpoint <endpoint>', "the CRI runtime's socket with --runtime containerd (the kubelet's flag; CRI-O's socket works too, untested) (default: unix:///run/jobyard/containerd/containerd.sock, jobyard's own containerd)", criEndpoint)
  .option('--node-name <name>', "the node agent's Node name (default: the host's name)")
  .option('--simulated-nodes <n>', 'also run N simulated nodes sim-node-0..N-1 (kwok-like: pods that tolerate node.jobyard.io/simulated run for their simulated.jobyard.io/duration annotation, without containers)', nonNegative, 0)
  .option('--simulated-node-capacity <list>', 'capacity of each simulated node over the defaults cpu=32,memory=256Gi,pods=1000', capacityList)
  .option('--job-backoff-base <seconds>', "the Job controller's first pod-failure backoff", seconds, 10)
  .option('--job-backoff-max <seconds>', "the Job controller's backoff cap (the console's default: 6 minutes; upstream's is 10)", seconds, 360)
  .option('--job-sync-batch-period <seconds>', "how long the Job controller batches pod events before a sync (upstream's syncJobBatchPeriod, fixed at 1 s there to bound a cluster's API load; 0: sync on every event, a replacement pod sooner)", nonNegativeSeconds, 1)
  .option('--watch-history-max-age <seconds>', 'how long watch events are kept for clients that resume', nonNegative, 900)
  .option('--watch-history-min-events <n>', 'how many of the newest watch events are always kept', nonNegative, 10_000)
  .option('--pod-pids-limit <n>', "the most processes and threads a pod may have, all its containers together (per container where pod cgroups are not available; the kubelet's podPidsLimit; -1: no limit)", pidsLimit, DEFAULT_POD_PIDS_LIMIT)
  .option('--engine-operation-deadline <seconds>', "an engine call not answered in this long marks the node NotReady until the engine answers again (upstream's PLEG threshold: 180)", seconds, 180)
  .option('--engine-max-concurrency <n>', 'the most calls the node agent makes to the container engine at once; the rest queue', positiveInteger, 8)
  .option('--always-pause-container', 'give every pod a pause container, also a pod whose one container needs nothing shared (slower; every network sandbox is then made and torn down under the agent\'s lock against Docker 20.10\'s libnetwork deadlock)', false)
  .option('--pod-security-default <level>', `the Pod Security level (${LEVELS.join(', ')}) enforced, audited and warned in namespaces without pod-security.kubernetes.io labels; kube-system is exempt`, podSecurityLevel, 'baseline')
  .option('--allow-host-path <dir>', 'a directory hostPath volumes may lie under (repeatable); without it no pod may use hostPath', hostPathDir, [])
  .action(async (opts: {
    dataDir: string;
    port: number;
    host: string;
    tlsSan: string[];
    podApiAddress?: string;
    serviceClusterIpRange: string;
    serviceNodePortRange: string;
    serviceAccountIssuer: string;
    proxyMode: 'iptables' | 'none';
    clusterDomain: string;
    clusterDns?: boolean;
    clusterDnsPort: number;
    podApi: boolean;
    controllers: boolean;
    agent: boolean;
    runtime: ContainerRuntimeName;
    containerRuntimeEndpoint?: string;
    nodeName?: string;
    simulatedNodes: number;
    simulatedNodeCapacity?: Record<string, string>;
    jobBackoffBase: number;
    jobSyncBatchPeriod: number;
    jobBackoffMax: number;
    watchHistoryMaxAge: number;
    watchHistoryMinEvents: number;
    podPidsLimit: number;
    engineOperationDeadline: number;
    engineMaxConcurrency: number;
    alwaysPauseContainer: boolean;
    podSecurityDefault: Level;
    allowHostPath: string[];
  }) => {
    if (opts.containerRuntimeEndpoint && opts.runtime !== 'containerd') {
      throw new InvalidArgumentError('--container-runtime-endpoint is for --runtime containerd (Docker is reached at DOCKER_HOST)');
    }
    const running = await startServer({
      dataDir: opts.dataDir,
      host: opts.host,
      port: opts.port,
      controllers: opts.controllers,
      agent: opts.agent,
      runtime: opts.runtime,
      ...(opts.containerRuntimeEndpoint ? { containerRuntimeEndpoint: opts.containerRuntimeEndpoint } : {}),
      nodeName: opts.nodeName,
      simulatedNodes: opts.simulatedNodes,
      simulatedNodeCapacity: opts.simulatedNodeCapacity,
      jobBackoffBaseSeconds: opts.jobBackoffBase,
      jobSyncBatchPeriodSeconds: opts.jobSyncBatchPeriod,
      jobBackoffMaxSeconds: opts.jobBackoffMax,
      tlsSans: opts.tlsSan,
      podApiAddress: opts.podApi ? opts.podApiAddress : false,
      serviceClusterIPRange: opts.serviceClusterIpRange,
      serviceNodePortRange: opts.serviceNodePortRange,
      serviceAccountIssuer: opts.serviceAccountIssuer,
      proxyMode: opts.proxyMode,
      clusterDns: opts.clusterDns !== false,
      clusterDnsPort: opts.clusterDnsPort,
      clusterDomain: opts.clusterDomain,
      quiet: false,
      watchHistoryMaxAgeSeconds: opts.watchHistoryMaxAge,
      watchHistoryMinEvents: opts.watchHistoryMinEvents,
      podPidsLimit: opts.podPidsLimit,
      engineOperationDeadlineSeconds: opts.engineOperationDeadline,
      engineMaxConcurrency: opts.engineMaxConcurrency,
      alwaysPauseContainer: opts.alwaysPauseContainer,
      podSecurityDefault: opts.podSecurityDefault,
      allowHostPaths: opts.allowHostPath,
    });
    process.stdout.write(
      [
        `jobyard is running on port ${running.port}.`,
        `  kubectl:  kubectl --kubeconfig ${running.kubeconfigPath} get jobs`,
        // The link with the token only once, when the token is new: stdout often ends in a log.
        ...(running.tokenCreated
          ? [`  console:  ${running.consoleUrl}`, `            (shown this once; ${consoleUrlCommand(opts.dataDir)} prints it again)`]
          : [`  console:  ${running.consoleAddress}/`, `            (sign-in link: ${consoleUrlCommand(opts.dataDir)})`]),
        ...(running.podEndpoint ? [`  pods reach the API at https://${running.podEndpoint.ip}:${running.podEndpoint.port}`] : []),
        '',
      ].join('\n'),
    );
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

// Ctrl-C ends a follow cleanly (the server keeps running its own handlers).
const interrupted = new AbortController();
program.addCommand(
  logsCommand({
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    signal: interrupted.signal,
  }),
);
program.addCommand(clustersCommand({ out: (text) => process.stdout.write(text) }));
program
  .command('console-url')
  .description("Print the console's sign-in link (it holds the token: keep it out of logs and shared screens).")
  .option('--data-dir <dir>', 'the data directory of the server', DEFAULT_DATA_DIR)
  .action((opts: { dataDir: string }) => {
    process.stdout.write(`${consoleSignInUrl(resolve(opts.dataDir))}\n`);
  });
program.hook('preAction', (_cmd, action) => {
  if (action.parent?.name() === 'logs') process.once('SIGINT', () => interrupted.abort());
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`jobyard: ${errorMessage(err)}\n`);
  process.exit(1);
});
