// SetDefaults_* of pkg/apis/core/v1 for PodSpec and what it contains (containers, probes,
// handlers, ports, env field refs, volumes), plus SetDefaults_Pod for bare pods only.
// Defaulting never overwrites a value the client set.
import type { Container, HTTPGetAction, PodSpec, PodTemplateSpec, Probe, Volume } from '../../../api/index.js';
import type { PodObject } from './types.js';

/** DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** ConfigMap / Secret / DownwardAPI / Projected volume defaultMode (0644). */
export const DEFAULT_VOLUME_MODE = 420;

/**
 * The image's tag as upstream's parsers.ParseImageName sees it: "latest" when the reference
 * has neither tag nor digest, "" when it has only a digest.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  if (lastColon > lastSlash) return withoutDigest.slice(lastColon + 1);
  return at >= 0 ? '' : 'latest';
}

/** imagePullPolicy default: Always for ":latest" (or no tag and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

function setHTTPGetDefaults(action: HTTPGetAction | undefined): void {
  if (!action) return;
  if (!action.path) action.path = '/';
  if (!action.scheme) action.scheme = 'HTTP';
}

function setProbeDefaults(probe: Probe | undefined): void {
  if (!probe) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  setHTTPGetDefaults(probe.httpGet);
  if (probe.grpc && probe.grpc.service === undefined) probe.grpc.service = '';
}

/** SetDefaults_Container and the generated defaults of what a container holds. */
export function setContainerDefaults(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const port of c.ports ?? []) if (!port.protocol) port.protocol = 'TCP';
  for (const env of c.env ?? []) {
    const fieldRef = env.valueFrom?.fieldRef;
    if (fieldRef && !fieldRef.apiVersion) fieldRef.apiVersion = 'v1';
  }
  setProbeDefaults(c.livenessProbe);
  setProbeDefaults(c.readinessProbe);
  setProbeDefaults(c.startupProbe);
  setHTTPGetDefaults(c.lifecycle?.postStart?.httpGet);
  setHTTPGetDefaults(c.lifecycle?.preStop?.httpGet);
}

/** SetDefaults_Volume and the volume sources' defaults. */
export function setVolumeDefaults(v: Volume): void {
  const raw = v as unknown as Record<string, unknown>;
  const hasSource = Object.keys(raw).some((k) => k !== 'name' && raw[k] !== undefined && raw[k] !== null);
  if (!hasSource) v.emptyDir = {};
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = DEFAULT_VOLUME_MODE;
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = DEFAULT_VOLUME_MODE;
  for (const key of ['downwardAPI', 'projected'] as const) {
    const src = v[key] as Record<string, unknown> | undefined;
    if (src && typeof src === 'object' && src.defaultMode === undefined) src.defaultMode = DEFAULT_VOLUME_MODE;
  }
  // SetDefaults_ObjectFieldSelector: a downward API file's fieldRef is of v1 pods.
  const files = [...(v.downwardAPI?.items ?? []), ...(v.projected?.sources ?? []).flatMap((s) => s?.downwardAPI?.items ?? [])];
  for (const f of files) if (f?.fieldRef && !f.fieldRef.apiVersion) f.fieldRef.apiVersion = 'v1';
}

/** SetDefaults_PodSpec (templates and pods alike) and everything inside it. */
export function setPodSpecDefaults(spec: PodSpec | undefined): void {
  if (!spec) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.securityContext) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const c of spec.initContainers ?? []) setContainerDefaults(c);
  for (const c of spec.containers ?? []) setContainerDefaults(c);
  for (const v of spec.volumes ?? []) setVolumeDefaults(v);
}

/** The defaults a pod template gets (inside a Job): PodSpec defaults only. */
export function setPodTemplateDefaults(template: PodTemplateSpec | undefined): void {
  setPodSpecDefaults(template?.spec);
}

/**
 * SetDefaults_Pod: PodSpec defaults, then (bare pods only) requests default to limits,
 * enableServiceLinks true, and host ports to container ports under hostNetwork.
 */
export function setPodDefaults(pod: PodObject): void {
  const spec = pod.spec;
  if (!spec) return;
  setPodSpecDefaults(spec);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    const requests = (c.resources!.requests ??= {});
    for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const port of c.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
    }
  }
}
