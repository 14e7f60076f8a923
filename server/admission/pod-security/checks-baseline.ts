// The baseline checks of the Pod Security Standards, as k8s.io/pod-security-admission/policy
// states them at its latest version; reasons and details are upstream's, word for word.
// Each check is pure: (pod metadata, pod spec) → allowed, or a reason and a detail.
import {
  type ContainerView,
  type PodMetaView,
  type PodSpecView,
  type SecurityContextView,
  joinQuote,
  pluralize,
  sortedSet,
  visitContainers,
} from './pod-view.js';

export interface CheckResult {
  allowed: boolean;
  reason?: string;
  detail?: string;
}

/** What a check may need beyond the pod: jobyard's hostPath allow-list. */
export interface CheckContext {
  /** True when the path lies under a directory the server allows hostPath volumes in. */
  hostPathAllowed(path: string): boolean;
}

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Baseline checks this restricted check replaces at the restricted level. */
  overrides?: string[];
  check(meta: PodMetaView, spec: PodSpecView, ctx: CheckContext): CheckResult;
}

const ALLOWED: CheckResult = { allowed: true };
const forbid = (reason: string, detail: string): CheckResult => ({ allowed: false, reason, detail });
const containers = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** Which setters ("pod", `container "a"`) break a rule, for the "X and Y must not ..." details. */
function badSetters(spec: PodSpecView, bad: (sc: SecurityContextView) => boolean): string[] {
  const setters: string[] = [];
  if (spec.securityContext && bad(spec.securityContext)) setters.push('pod');
  const names: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext && bad(c.securityContext)) names.push(c.name);
  });
  if (names.length) setters.push(containers(names));
  return setters;
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  check(meta, spec) {
    const okType = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
    const badValues = new Set<string>();
    const setters = badSetters(spec, (sc) => {
      if (!sc.appArmorProfile || okType(sc.appArmorProfile.type)) return false;
      badValues.add(sc.appArmorProfile.type ?? '');
      return true;
    });
    const annotations: string[] = [];
    for (const [k, v] of Object.entries(meta.annotations ?? {})) {
      if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/'))) {
        annotations.push(`${k}=${JSON.stringify(v)}`);
      }
    }
    const values = sortedSet(badValues);
    if (annotations.length) {
      values.push(...annotations.sort());
      setters.push(pluralize('annotation', 'annotations', annotations.length));
    }
    if (!setters.length) return ALLOWED;
    return forbid(
      pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
      `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
    );
  },
};

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const capabilitiesBaseline: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  check(_meta, spec) {
    const bad: string[] = [];
    const caps = new Set<string>();
    visitContainers(spec, (c) => {
      let valid = true;
      for (const cap of c.securityContext?.capabilities?.add ?? []) {
        if (!BASELINE_CAPABILITIES.has(cap)) {
          valid = false;
          caps.add(cap);
        }
      }
      if (!valid) bad.push(c.name);
    });
    if (!bad.length) return ALLOWED;
    return forbid('non-default capabilities', `${containers(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
  },
};

export const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  check(_meta, spec) {
    const set: string[] = [];
    if (spec.hostNetwork) set.push('hostNetwork=true');
    if (spec.hostPID) set.push('hostPID=true');
    if (spec.hostIPC) set.push('hostIPC=true');
    return set.length ? forbid('host namespaces', set.join(', ')) : ALLOWED;
  },
};

/**
 * Upstream forbids every hostPath volume at baseline. jobyard's deviation: a hostPath under a
 * directory named by --allow-host-path passes (the administrator allowed it); the rest fail
 * with upstream's reason. Restricted replaces this check and refuses all hostPath volumes.
 */
export const hostPathVolumes: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  check(_meta, spec, ctx) {
    const bad = (spec.volumes ?? []).filter((v) => v.hostPath && !ctx.hostPathAllowed(v.hostPath.path)).map((v) => v.name);
    if (!bad.length) return ALLOWED;
    return forbid('hostPath volumes', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`);
  },
};

export const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  check(_meta, spec) {
    const bad: string[] = [];
    const ports = new Set<string>();
    visitContainers(spec, (c) => {
      let valid = true;
      for (const p of c.ports ?? []) {
        if (p.hostPort) {
          valid = false;
          ports.add(String(p.hostPort));
        }
      }
      if (!valid) bad.push(c.name);
    });
    if (!bad.length) return ALLOWED;
    const list = sortedSet(ports);
    return forbid(
      'hostPort',
      `${containers(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
    );
  },
};

export const hostProbesAndHostLifecycle: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  check(_meta, spec) {
    const bad = new Set<string>();
    const hosts = new Set<string>();
    const look = (c: ContainerView, h: { httpGet?: { host?: string }; tcpSocket?: { host?: string } } | undefined) => {
      for (const host of [h?.httpGet?.host, h?.tcpSocket?.host]) {
        if (host) {
          bad.add(c.name);
          hosts.add(host);
        }
      }
    };
    visitContainers(spec, (c) => {
      look(c, c.livenessProbe);
      look(c, c.readinessProbe);
      look(c, c.startupProbe);
      look(c, c.lifecycle?.postStart);
      look(c, c.lifecycle?.preStop);
    });
    if (!bad.size) return ALLOWED;
    return forbid(
      'probe or lifecycle host',
      `${containers(sortedSet(bad))} ${pluralize('uses', 'use', bad.size)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.size)} ${joinQuote(sortedSet(hosts))}`,
    );
  },
};

export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  check(_meta, spec) {
    const bad: string[] = [];
    visitContainers(spec, (c) => {
      if (c.securityContext?.privileged === true) bad.push(c.name);
    });
    return bad.length ? forbid('privileged', `${containers(bad)} must not set securityContext.privileged=true`) : ALLOWED;
  },
};

/**
 * Only the default /proc masks. Upstream (1.35+) relaxes this for pods with hostUsers: false;
 * jobyard's node does not run pods in a user namespace, so it never relaxes.
 */
export function procMountCheck(_meta: PodMetaView, spec: PodSpecView): CheckResult {
  const bad: string[] = [];
  const types = new Set<string>();
  visitContainers(spec, (c) => {
    const pm = c.securityContext?.procMount;
    if (pm !== undefined && pm !== 'Default') {
      bad.push(c.name);
      types.add(pm);
    }
  });
  if (!bad.length) return ALLOWED;
  return forbid('procMount', `${containers(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`);
}

export const procMount: Check = { id: 'procMount', level: 'baseline', check: procMountCheck };

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export const seLinuxOptions: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  check(_meta, spec) {
    const types = new Set<string>();
    let setUser = false;
    let setRole = false;
    const setters = badSetters(spec, (sc) => {
      const o = sc.seLinuxOptions;
      if (!o) return false;
      let valid = true;
      if (!SELINUX_TYPES.has(o.type ?? '')) {
        valid = false;
        types.add(o.type ?? '');
      }
      if (o.user) {
        valid = false;
        setUser = true;
      }
      if (o.role) {
        valid = false;
        setRole = true;
      }
      return !valid;
    });
    if (!setters.length) return ALLOWED;
    const data: string[] = [];
    if (types.size) data.push(`${pluralize('type', 'types', types.size)} ${joinQuote(sortedSet(types))}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbid('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
  },
};

export const validSeccomp = (t: string | undefined) => t === 'Localhost' || t === 'RuntimeDefault';

export const seccompProfileBaseline: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  check(_meta, spec) {
    const values = new Set<string>();
    const setters = badSetters(spec, (sc) => {
      if (!sc.seccompProfile || validSeccomp(sc.seccompProfile.type)) return false;
      values.add(sc.seccompProfile.type ?? '');
      return true;
    });
    if (!setters.length) return ALLOWED;
    return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`);
  },
};

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

export const sysctls: Check = {
  id: 'sysctls',
  level: 'baseline',
  check(_meta, spec) {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
    return bad.length ? forbid('forbidden sysctls', bad.join(', ')) : ALLOWED;
  },
};

export const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  check(_meta, spec) {
    const setters = badSetters(spec, (sc) => sc.windowsOptions?.hostProcess === true);
    return setters.length ? forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`) : ALLOWED;
  },
};

export const BASELINE_CHECKS: Check[] = [
  appArmorProfile,
  capabilitiesBaseline,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  seLinuxOptions,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
];
