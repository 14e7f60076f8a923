// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables): `envFrom` sources first (ConfigMaps and Secrets, with prefix;
// keys that are not valid variable names are skipped with an event), then `env` in order —
// `value` with `$(VAR)` expansion over what is defined so far, `valueFrom` configMapKeyRef,
// secretKeyRef, fieldRef and resourceFieldRef; then the Service variables (service-env.ts) the
// container does not set itself. A missing ConfigMap, Secret or key that is not
// optional fails the container start with CreateContainerConfigError and upstream's message.
import type { ConfigMap, Container, EnvVar, Pod, Secret } from '../api/index.js';
import { isEnvVarName, isNotFound, quantityMilliValue, quantityValue } from '../machinery/index.js';
import { expandVariables, type KeyValue } from './runtime/index.js';

/** Where ConfigMaps and Secrets come from (the API, through the agent's client). */
export interface ConfigSource {
  /** Rejects with a NotFound StatusError (`configmaps "x" not found`) when absent. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMap>;
  getSecret(namespace: string, name: string): Promise<Secret>;
  /** The Service environment variables of a pod in `namespace` (service-env.ts); none without it. */
  serviceEnv?(namespace: string, enableServiceLinks: boolean): Promise<Map<string, string>>;
}

/** What the downward API can show of the node and the running pod. */
export interface EnvContext {
  pod: Pod;
  container: Container;
  podIP: string;
  hostIP: string;
  /** Node allocatable, the default of limits.cpu / limits.memory a container does not set. */
  nodeAllocatable: { cpuMilli: number; memoryBytes: number; ephemeralStorageBytes?: number };
}

/** A configuration the container cannot start with: its waiting reason is CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface EnvResult {
  env: KeyValue[];
  /** Events to record, e.g. InvalidEnvironmentVariableNames. */
  warnings: { reason: string; message: string }[];
}

/** Upstream's NotFound message for a ConfigMap or Secret ("configmap \"x\" not found"). */
function notFoundMessage(kind: 'configmap' | 'secret', name: string): string {
  return `${kind} "${name}" not found`;
}

async function fetchOptional<T>(get: () => Promise<T>, kind: 'configmap' | 'secret', name: string, optional: boolean): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isNotFound(err)) {
      if (optional) return undefined;
      throw new ContainerConfigError(notFoundMessage(kind, name));
    }
    throw err;
  }
}

/** A Secret's values as text (data is base64; stringData is never stored but tolerated). */
export function secretValues(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

/** A ConfigMap's values as text (data, then binaryData decoded). */
export function configMapValues(cm: ConfigMap): Record<string, string> {
  const out: Record<string, string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** fieldpath.FormatMap: sorted `key="value"` lines. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify((m ?? {})[k])}`)
    .join('\n');
}

/** The value of a fieldRef (podFieldSelectorRuntimeValue + fieldpath.ExtractFieldPathAsString). */
export function fieldRefValue(fieldPath: string, ctx: Pick<EnvContext, 'pod' | 'podIP' | 'hostIP'>): string {
  const { pod } = ctx;
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP;
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
  }
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
}

/** The value of a resourceFieldRef, rounded up in units of the divisor (limits default to the node's allocatable). */
export function resourceFieldRefValue(ref: { containerName?: string; resource: string; divisor?: string }, ctx: EnvContext): string {
  const container =
    ref.containerName && ref.containerName !== ctx.container.name
      ? [...ctx.pod.spec.containers, ...(ctx.pod.spec.initContainers ?? [])].find((c) => c.name === ref.containerName)
      : ctx.container;
  if (!container) throw new ContainerConfigError(`container ${ref.containerName ?? ''} not found`);
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const divisor = ref.divisor && ref.divisor !== '0' ? ref.divisor : '1';
  const cpu = (milli: number) => String(Math.ceil(milli / Number(quantityMilliValue(divisor))));
  const bytes = (value: number) => String(Math.ceil(value / Number(quantityValue(divisor))));
  switch (ref.resource) {
    case 'limits.cpu':
      return cpu(limits.cpu !== undefined ? Number(quantityMilliValue(limits.cpu)) : ctx.nodeAllocatable.cpuMilli);
    case 'requests.cpu':
      return cpu(requests.cpu !== undefined ? Number(quantityMilliValue(requests.cpu)) : 0);
    case 'limits.memory':
      return bytes(limits.memory !== undefined ? Number(quantityValue(limits.memory)) : ctx.nodeAllocatable.memoryBytes);
    case 'requests.memory':
      return bytes(requests.memory !== undefined ? Number(quantityValue(requests.memory)) : 0);
    case 'limits.ephemeral-storage':
      return bytes(limits['ephemeral-storage'] !== undefined ? Number(quantityValue(limits['ephemeral-storage'])) : (ctx.nodeAllocatable.ephemeralStorageBytes ?? 0));
    case 'requests.ephemeral-storage':
      return bytes(requests['ephemeral-storage'] !== undefined ? Number(quantityValue(requests['ephemeral-storage'])) : 0);
  }
  throw new ContainerConfigError(`unsupported container resource : ${ref.resource}`);
}

/** makeEnvironmentVariables: the container's final variables, in definition order. */
export async function makeEnvironmentVariables(ctx: EnvContext, source: ConfigSource): Promise<EnvResult> {
  const { pod, container } = ctx;
  const ns = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  const warnings: EnvResult['warnings'] = [];
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  let serviceEnv = new Map<string, string>();
  if (source.serviceEnv) {
    try {
      serviceEnv = await source.serviceEnv(ns, pod.spec.enableServiceLinks ?? true);
    } catch (err) {
      throw new ContainerConfigError(err instanceof Error ? err.message : String(err));
    }
  }

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await fetchOptional(() => source.getConfigMap(ns, name), 'configmap', name, !!from.configMapRef.optional);
      if (!cm) continue;
      configMaps.set(name, cm);
      const invalid: string[] = [];
      for (const [k, v] of Object.entries(configMapValues(cm))) {
        const key = prefix + k;
        if (isEnvVarName(key).length) invalid.push(key);
        else env.set(key, v);
      }
      if (invalid.length) {
        warnings.push({
          reason: 'InvalidEnvironmentVariableNames',
          message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom configMap ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
        });
      }
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await fetchOptional(() => source.getSecret(ns, name), 'secret', name, !!from.secretRef.optional);
      if (!secret) continue;
      secrets.set(name, secret);
      const invalid: string[] = [];
      for (const [k, v] of Object.entries(secretValues(secret))) {
        const key = prefix + k;
        if (isEnvVarName(key).length) invalid.push(key);
        else env.set(key, v);
      }
      if (invalid.length) {
        warnings.push({
          reason: 'InvalidEnvironmentVariableNames',
          message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom secret ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
        });
      }
    }
  }

  // $(VAR) sees the container's variables, then the Services' (expansion.MappingFuncFor(tmpEnv, serviceEnv)).
  const lookup = (name: string) => env.get(name) ?? serviceEnv.get(name);
  for (const e of container.env ?? []) {
    const value = await envVarValue(e, ctx, source, ns, configMaps, secrets, lookup);
    if (value === undefined) continue;
    env.set(e.name, value);
  }
  const result = [...env].map(([name, value]) => ({ name, value }));
  // Then the Service variables the container does not define itself.
  for (const [name, value] of serviceEnv) if (!env.has(name)) result.push({ name, value });
  return { env: result, warnings };
}

async function envVarValue(
  e: EnvVar,
  ctx: EnvContext,
  source: ConfigSource,
  ns: string,
  configMaps: Map<string, ConfigMap>,
  secrets: Map<string, Secret>,
  lookup: (name: string) => string | undefined,
): Promise<string | undefined> {
  if (e.value) return expandVariables(e.value, lookup);
  const from = e.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return fieldRefValue(from.fieldRef.fieldPath, ctx);
  if (from.resourceFieldRef) return resourceFieldRefValue(from.resourceFieldRef, ctx);
  if (from.configMapKeyRef) {
    const { name = '', key, optional = false } = from.configMapKeyRef;
    let cm = configMaps.get(name);
    if (!cm) {
      cm = await fetchOptional(() => source.getConfigMap(ns, name), 'configmap', name, optional);
      if (!cm) return undefined;
      configMaps.set(name, cm);
    }
    const values = configMapValues(cm);
    if (!(key in values)) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
    }
    return values[key];
  }
  if (from.secretKeyRef) {
    const { name = '', key, optional = false } = from.secretKeyRef;
    let secret = secrets.get(name);
    if (!secret) {
      secret = await fetchOptional(() => source.getSecret(ns, name), 'secret', name, optional);
      if (!secret) return undefined;
      secrets.set(name, secret);
    }
    const values = secretValues(secret);
    if (!(key in values)) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
    }
    return values[key];
  }
  return '';
}
