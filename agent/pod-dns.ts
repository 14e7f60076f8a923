// The DNS settings of a pod's sandbox, as the kubelet's DNS configurer (pkg/kubelet/network/dns)
// forms them: dnsPolicy ClusterFirst gives the cluster DNS server, the cluster search path and
// `ndots:5`; Default (and ClusterFirst on the host's network) the host's resolv.conf; None only
// spec.dnsConfig, which is merged last in every case; then upstream's limits (3 nameservers,
// 32 search domains of 2048 characters in all), with the same events when they cut.
import { readFileSync } from 'node:fs';
import type { Pod } from '../api/index.js';
import type { EventRecorder } from '../client/index.js';
import type { DNSConfig } from './runtime/index.js';

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const DEFAULT_DNS_OPTIONS = ['ndots:5'];

export interface PodDnsOptions {
  /** The cluster DNS server(s) pods of ClusterFirst use (the kubelet's clusterDNS); empty: none runs. */
  clusterDNS: string[];
  /** The kubelet's clusterDomain, e.g. cluster.local. */
  clusterDomain: string;
  /** The host's resolver configuration (the kubelet's --resolv-conf); '' disables host lookups as upstream. */
  resolvConf: string;
}

export interface HostDnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** parseResolvConf: nameserver lines in order, the last search line, the options (later ones win). */
export function parseResolvConf(text: string): HostDnsConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) servers.push(fields[0]);
    else if (key === 'search') searches = fields.filter((f) => f !== '.').map((f) => f.replace(/\.$/, ''));
    else if (key === 'options') options.push(...fields);
  }
  return { servers, searches, options };
}

function omitDuplicates(list: string[]): string[] {
  return [...new Set(list)];
}

/** mergeDNSOptions: dnsConfig's options override the base's of the same name. */
function mergeOptions(base: string[], extra: { name?: string; value?: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const op of base) {
    const i = op.indexOf(':');
    if (i === -1) merged.set(op, '');
    else merged.set(op.slice(0, i), op.slice(i + 1));
  }
  for (const op of extra) if (op.name) merged.set(op.name, op.value ?? '');
  return [...merged].map(([name, value]) => (value ? `${name}:${value}` : name));
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

type PodDNSType = 'cluster' | 'host' | 'none';

/** getPodDNSType: ClusterFirst on the host's network falls back to the host's settings. */
function podDNSType(pod: Pod): PodDNSType {
  switch (pod.spec.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      return pod.spec.hostNetwork ? 'host' : 'cluster';
  }
}

export class PodDnsConfigurer {
  private readonly opts: PodDnsOptions;
  private host: HostDnsConfig | undefined;

  constructor(opts: PodDnsOptions) {
    this.opts = opts;
  }

  /** The host's settings, read once (the kubelet reads its --resolv-conf per pod; it changes rarely). */
  private hostConfig(): HostDnsConfig {
    if (this.host) return this.host;
    if (!this.opts.resolvConf) {
      // Upstream: an empty --resolv-conf means no host lookups ("nameserver 127.0.0.1", "search .").
      this.host = { servers: ['127.0.0.1'], searches: [], options: [] };
      return this.host;
    }
    let text = '';
    try {
      text = readFileSync(this.opts.resolvConf, 'utf8');
    } catch {
      // No file: the engine's default applies (undefined servers below).
    }
    const parsed = parseResolvConf(text);
    // A loopback resolver (systemd-resolved's 127.0.0.53) is the host's own, out of a pod's reach:
    // kept out, as Docker does when it copies the host's resolv.conf.
    this.host = { ...parsed, servers: parsed.servers.filter((s) => !isLoopback(s)) };
    return this.host;
  }

  /** GetPodDNS: the sandbox's DNS settings; events on the pod when limits cut or no cluster DNS runs. */
  podDNS(pod: Pod, recorder?: EventRecorder): DNSConfig {
    const host = this.hostConfig();
    let config: HostDnsConfig;
    let type = podDNSType(pod);
    if (type === 'cluster' && this.opts.clusterDNS.length === 0) {
      recorder?.event(
        pod,
        'Warning',
        'MissingClusterDNS',
        `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
      );
      type = 'host';
    }
    if (type === 'none') config = { servers: [], searches: [], options: [] };
    else if (type === 'cluster') {
      const domain = this.opts.clusterDomain;
      const ns = pod.metadata.namespace ?? 'default';
      config = {
        servers: [...this.opts.clusterDNS],
        searches: domain ? omitDuplicates([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches]) : [...host.searches],
        options: [...DEFAULT_DNS_OPTIONS],
      };
    } else config = { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };

    const extra = pod.spec.dnsConfig;
    if (extra) {
      config.servers = omitDuplicates([...config.servers, ...(extra.nameservers ?? [])]);
      config.searches = omitDuplicates([...config.searches, ...(extra.searches ?? [])]);
      config.options = mergeOptions(config.options, extra.options ?? []);
    }
    return this.fitLimits(pod, config, recorder);
  }

  /** formDNSConfigFitsLimits. */
  private fitLimits(pod: Pod, config: HostDnsConfig, recorder?: EventRecorder): DNSConfig {
    let { servers, searches } = config;
    if (servers.length > MAX_DNS_NAMESERVERS) {
      servers = servers.slice(0, MAX_DNS_NAMESERVERS);
      recorder?.event(pod, 'Warning', 'DNSConfigForming', `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}`);
    }
    let cut = false;
    if (searches.length > MAX_DNS_SEARCH_PATHS) {
      searches = searches.slice(0, MAX_DNS_SEARCH_PATHS);
      cut = true;
    }
    while (searches.length && searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
      searches = searches.slice(0, -1);
      cut = true;
    }
    if (cut) recorder?.event(pod, 'Warning', 'DNSConfigForming', `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
    const out: DNSConfig = {};
    // Nothing at all (Default on a host whose only resolver is loopback): the engine's own default.
    if (servers.length) out.servers = servers;
    if (searches.length) out.searches = searches;
    if (config.options.length) out.options = config.options;
    return out;
  }
}
