// The parts of a pod (or pod template) the Pod Security checks read, typed loosely: the
// wire types in api/ name only what the node runs, the checks must see every field the
// schema accepts (appArmorProfile, sysctls, windowsOptions...).

export interface SecurityContextView {
  privileged?: boolean;
  runAsUser?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  procMount?: string;
  seLinuxOptions?: { user?: string; role?: string; type?: string; level?: string };
  seccompProfile?: { type?: string; localhostProfile?: string };
  appArmorProfile?: { type?: string; localhostProfile?: string };
  windowsOptions?: { hostProcess?: boolean };
}

export interface PodSecurityContextView extends SecurityContextView {
  sysctls?: { name: string; value?: string }[];
}

interface HandlerView {
  httpGet?: { host?: string };
  tcpSocket?: { host?: string };
}

export interface ContainerView {
  name: string;
  image?: string;
  ports?: { hostPort?: number }[];
  securityContext?: SecurityContextView;
  livenessProbe?: HandlerView;
  readinessProbe?: HandlerView;
  startupProbe?: HandlerView;
  lifecycle?: { postStart?: HandlerView; preStop?: HandlerView };
}

export interface VolumeView {
  name: string;
  hostPath?: { path: string };
  [source: string]: unknown;
}

export interface PodSpecView {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: PodSecurityContextView;
  volumes?: VolumeView[];
  initContainers?: ContainerView[];
  containers?: ContainerView[];
  ephemeralContainers?: ContainerView[];
}

export interface PodMetaView {
  name?: string;
  annotations?: Record<string, string>;
}

/** Init containers, containers, then ephemeral containers (upstream's visitContainers). */
export function visitContainers(spec: PodSpecView, visit: (c: ContainerView) => void): void {
  for (const c of spec.initContainers ?? []) visit(c);
  for (const c of spec.containers ?? []) visit(c);
  for (const c of spec.ephemeralContainers ?? []) visit(c);
}

/** `"a", "b"` */
export function joinQuote(items: string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** A sorted copy without duplicates (sets.List). */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}
