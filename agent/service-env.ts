// Service environment variables as the kubelet sets them (pkg/kubelet/envvars FromServices and
// kubelet_pods.go getServiceEnvVarMap): for every Service with a cluster IP in the pod's
// namespace (when spec.enableServiceLinks, the default) and always for `kubernetes` in
// `default`: <NAME>_SERVICE_HOST, _SERVICE_PORT, _SERVICE_PORT_<PORTNAME>, and Docker's link
// variables _PORT, _PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR].
import type { Service } from '../api/service.js';
import { type Clientset, type DeepReadonly, type Logger, noopLogger, type Scheduler, SharedInformer } from '../client/index.js';

type RO<T> = DeepReadonly<T>;

/** The Services whose variables every pod gets (upstream's masterServices). */
const MASTER_SERVICES = new Set(['kubernetes']);

/** makeEnvVariableName: dashes to underscores, upper case. */
function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

function isServiceIPSet(svc: RO<Service>): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** net.JoinHostPort: brackets around an IPv6 address. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** envvars.FromServices: the variables of these Services, in upstream's order. */
export function fromServices(services: readonly RO<Service>[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    const ip = svc.spec!.clusterIP!;
    const prefix = envName(svc.metadata.name ?? '');
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const sp of ports) if (sp.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(sp.name)}`, value: String(sp.port) });
    // Docker-compatible link variables.
    ports.forEach((sp, i) => {
      const protocol = sp.protocol ?? 'TCP';
      const url = `${protocol.toLowerCase()}://${joinHostPort(ip, sp.port)}`;
      if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
      const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
      out.push({ name: portPrefix, value: url });
      out.push({ name: `${portPrefix}_PROTO`, value: protocol.toLowerCase() });
      out.push({ name: `${portPrefix}_PORT`, value: String(sp.port) });
      out.push({ name: `${portPrefix}_ADDR`, value: ip });
    });
  }
  return out;
}

/**
 * getServiceEnvVarMap: the variables a pod in `namespace` gets. `kubernetes` in `default` always;
 * the namespace's own Services only with enableServiceLinks (a same-named one in the pod's
 * namespace then wins over the master service, as upstream's map assignment order gives).
 */
export function serviceEnvVarMap(services: readonly RO<Service>[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, RO<Service>>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name ?? '';
    if (svc.metadata.namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      byName.set(name, svc);
    }
  }
  const sorted = [...byName.keys()].sort().map((k) => byName.get(k)!);
  return new Map(fromServices(sorted).map((e) => [e.name, e.value]));
}

/** Where the kubelet reads Services from for env vars. */
export interface ServiceEnvSource {
  /** Rejects with upstream's message while Services have not been listed once. */
  serviceEnv(namespace: string, enableServiceLinks: boolean): Promise<Map<string, string>>;
}

const SERVICES = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true } as const;

/** The kubelet's service informer (all namespaces) behind ServiceEnvSource. */
export class ServiceInformerEnvSource implements ServiceEnvSource {
  private readonly informer: SharedInformer<Service>;

  constructor(opts: { client: Pick<Clientset, 'resource'>; scheduler?: Scheduler; logger?: Logger }) {
    this.informer = new SharedInformer<Service>(opts.client.resource<Service>(SERVICES), {
      name: 'kubelet-services',
      logger: opts.logger ?? noopLogger,
      ...(opts.scheduler ? { scheduler: opts.scheduler } : {}),
    });
  }

  run(signal: AbortSignal): void {
    void this.informer.run(signal);
  }

  async serviceEnv(namespace: string, enableServiceLinks: boolean): Promise<Map<string, string>> {
    if (!this.informer.hasSynced()) {
      // Just after start: wait a little for the first list rather than fail the container.
      const timeout = new AbortController();
      const t = setTimeout(() => timeout.abort(), 5_000);
      const synced = await this.informer.waitForSync(timeout.signal);
      clearTimeout(t);
      if (!synced) throw new Error('services have not yet been read at least once, cannot construct envvars');
    }
    return serviceEnvVarMap(this.informer.lister().list(), namespace, enableServiceLinks);
  }
}
