// The pods' network under a CRI runtime, as its CNI configuration says (a CRI runtime has no
// "bridge network" to ask, as Docker has): the bridge plugin's interface, the host-local range's
// subnet and gateway. The gateway is where pods reach the host (the pod API listener, cluster
// DNS); the subnet and interface are kube-proxy's. scripts/containerd.sh writes jobyard's
// (/etc/jobyard/cni/net.d/10-jobyard.conflist: bridge jobyard-cni0, 10.88.0.0/16).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstHostAddress } from './bridge-gateway.js';

/** jobyard's containerd's CNI configuration directory (its CRI plugin's cni.conf_dir). */
export const JOBYARD_CNI_CONF_DIR = '/etc/jobyard/cni/net.d';

export interface PodNetwork {
  /** The pods' IPv4 subnet, e.g. 10.88.0.0/16. */
  subnet?: string;
  /** The host's address on it, e.g. 10.88.0.1. */
  gateway?: string;
  /** The bridge, e.g. jobyard-cni0. */
  interface?: string;
}

interface CniPlugin {
  type?: string;
  bridge?: string;
  isGateway?: boolean;
  ipam?: { type?: string; subnet?: string; gateway?: string; ranges?: { subnet?: string; gateway?: string }[][] };
}

/** The file the runtime uses: the first in lexical order with libcni's extensions (containerd's max_conf_num 1). */
function firstConfFile(confDir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(confDir);
  } catch {
    return undefined;
  }
  const name = names.filter((n) => /\.(conf|conflist|json)$/.test(n)).sort()[0];
  return name ? join(confDir, name) : undefined;
}

/** The bridge network of the first CNI configuration in `confDir`; {} when there is none or it is no bridge. */
export function cniBridgeNetwork(confDir: string = JOBYARD_CNI_CONF_DIR): PodNetwork {
  const file = firstConfFile(confDir);
  if (!file) return {};
  let conf: CniPlugin & { plugins?: CniPlugin[] };
  try {
    conf = JSON.parse(readFileSync(file, 'utf8')) as CniPlugin & { plugins?: CniPlugin[] };
  } catch {
    return {};
  }
  const bridge = (conf.plugins ?? [conf]).find((p) => p.type === 'bridge');
  if (!bridge) return {};
  const ranges = (bridge.ipam?.ranges ?? []).flat().filter((r) => r.subnet && !r.subnet.includes(':'));
  const range = ranges[0] ?? (bridge.ipam?.subnet && !bridge.ipam.subnet.includes(':') ? { subnet: bridge.ipam.subnet, gateway: bridge.ipam.gateway } : undefined);
  // host-local's default gateway is the subnet's first address; the bridge plugin gives it to
  // the bridge when isGateway is set (without it the host has no address on the pods' network).
  const gateway = bridge.isGateway && range?.subnet ? (range.gateway ?? firstHostAddress(range.subnet)) : undefined;
  return {
    ...(range?.subnet ? { subnet: range.subnet } : {}),
    ...(gateway ? { gateway } : {}),
    // The bridge plugin's default name.
    interface: bridge.bridge ?? 'cni0',
  };
}
