// What downwardAPI and projected volumes hold (pkg/volume/downwardapi's CollectData and
// pkg/volume/projected's collectData): a payload of files by path, later laid out by the atomic
// writer (./atomic-writer.ts). A projected volume merges what each of its sources projects; each
// kind of source is one `SourceProjector`, so a new kind (the ServiceAccount token) is one entry
// in `SourceProjectors`, handed to the VolumeManager, with nothing else to change.
import type { DownwardAPIVolumeFile, KeyToPath, Pod, VolumeProjection } from '../../api/index.js';
import { errorMessage, isNotFound } from '../../machinery/index.js';
import { configMapValues, type ConfigSource, fieldRefValue, resourceFieldRefValue } from '../env.js';
import { DEFAULT_VOLUME_MODE, makePayload, type Projection } from './atomic-writer.js';

/** One file of a payload: its path inside the volume, contents and permission bits. */
export type ProjectedFile = Projection['files'][number];

/** What a projector may read: the pod, the node, the API (ConfigMaps and Secrets). */
export interface ProjectionContext {
  pod: Pod;
  /** The volume's defaultMode (the mode of files whose item sets none). */
  defaultMode: number;
  config: ConfigSource;
  /** Node allocatable, the value of a `limits.*` resourceFieldRef the container does not set. */
  nodeAllocatable(): { cpuMilli: number; memoryBytes: number; ephemeralStorageBytes?: number };
}

/** The source kinds of a projected volume (VolumeProjection's fields). */
export type ProjectedSourceKind = keyof VolumeProjection;

/**
 * Projects one source of a projected volume into files. Throws an Error whose message is what
 * the FailedMount event says (upstream's); UnsupportedSourceError for a kind the node never serves.
 */
export type SourceProjector<K extends ProjectedSourceKind = ProjectedSourceKind> = (source: NonNullable<VolumeProjection[K]>, ctx: ProjectionContext) => Promise<ProjectedFile[]>;

/** The projector of each source kind; kinds without one are refused as unsupported. */
export type SourceProjectors = { [K in ProjectedSourceKind]?: SourceProjector<K> };

/** A volume (or projected source) kind this node will never mount: the pod fails rather than waits. */
export class UnsupportedSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSourceError';
  }
}

// ---- downward API ---------------------------------------------------------------------------

/**
 * CollectData: one file per item, its contents the pod field (fieldRef) or container resource
 * (resourceFieldRef, limits defaulting to node allocatable). Every item is tried; the errors are
 * aggregated as upstream's utilerrors.NewAggregate prints them.
 */
export function downwardAPIFiles(items: DownwardAPIVolumeFile[] | undefined, ctx: ProjectionContext): ProjectedFile[] {
  const files: ProjectedFile[] = [];
  const errors: string[] = [];
  const { pod } = ctx;
  for (const item of items ?? []) {
    const mode = item.mode ?? ctx.defaultMode;
    let data = '';
    try {
      if (item.fieldRef) data = fieldRefValue(item.fieldRef.fieldPath, { pod, podIP: '', hostIP: '' });
      else if (item.resourceFieldRef) {
        const container = pod.spec.containers.find((c) => c.name === item.resourceFieldRef!.containerName) ?? pod.spec.containers[0]!;
        data = resourceFieldRefValue(item.resourceFieldRef, { pod, container, podIP: '', hostIP: '', nodeAllocatable: ctx.nodeAllocatable() });
      }
    } catch (err) {
      errors.push(errorMessage(err));
    }
    files.push({ path: cleanPath(item.path), data: Buffer.from(data), mode });
  }
  if (errors.length) throw new Error(aggregate(errors));
  return files;
}

// ---- projected ------------------------------------------------------------------------------

/** A ConfigMap's or Secret's values; absent and optional: none; absent: upstream's NotFound message. */
export async function keyedValues(get: () => Promise<Record<string, Buffer>>, kind: 'configmap' | 'secret', name: string, optional: boolean): Promise<Record<string, Buffer>> {
  try {
    return await get();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (!optional) throw new Error(`${kind} "${name}" not found`);
    return {};
  }
}

function keyedFiles(values: Record<string, Buffer>, items: KeyToPath[] | undefined, ctx: ProjectionContext, optional: boolean, missing: (k: string) => string): ProjectedFile[] {
  return makePayload(values, items, ctx.defaultMode, optional, missing).files;
}

/** ConfigMap values as bytes: data, then binaryData. */
export function configMapBytes(cm: Awaited<ReturnType<ConfigSource['getConfigMap']>>): Record<string, Buffer> {
  const values: Record<string, Buffer> = Object.fromEntries(Object.entries(configMapValues({ ...cm, binaryData: {} })).map(([k, s]) => [k, Buffer.from(s)]));
  for (const [k, b] of Object.entries(cm.binaryData ?? {})) values[k] = Buffer.from(b, 'base64');
  return values;
}

/** Secret values as bytes (data is base64). */
export function secretBytes(secret: Awaited<ReturnType<ConfigSource['getSecret']>>): Record<string, Buffer> {
  const values: Record<string, Buffer> = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, b]) => [k, Buffer.from(b, 'base64')]));
  for (const [k, s] of Object.entries(secret.stringData ?? {})) values[k] = Buffer.from(s);
  return values;
}

/** The projectors this node has of its own: configMap, secret, downwardAPI; clusterTrustBundle is refused. */
export const defaultProjectors: SourceProjectors = {
  configMap: async (src, ctx) => {
    const name = src.name ?? '';
    const optional = !!src.optional;
    const ns = ctx.pod.metadata.namespace ?? 'default';
    const values = await keyedValues(async () => configMapBytes(await ctx.config.getConfigMap(ns, name)), 'configmap', name, optional);
    return keyedFiles(values, src.items, ctx, optional, (k) => `configmap references non-existent config key: ${k}`);
  },
  secret: async (src, ctx) => {
    const name = src.name ?? '';
    const optional = !!src.optional;
    const ns = ctx.pod.metadata.namespace ?? 'default';
    const values = await keyedValues(async () => secretBytes(await ctx.config.getSecret(ns, name)), 'secret', name, optional);
    return keyedFiles(values, src.items, ctx, optional, (k) => `references non-existent secret key: ${k}`);
  },
  downwardAPI: async (src, ctx) => downwardAPIFiles(src.items, ctx),
  clusterTrustBundle: async () => {
    throw new UnsupportedSourceError('clusterTrustBundle projections are not supported by this node (no ClusterTrustBundle API)');
  },
};

const SOURCE_KINDS: ProjectedSourceKind[] = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'];

/** The kind of one projected source (its one set field). */
export function sourceKind(source: VolumeProjection): ProjectedSourceKind | undefined {
  return SOURCE_KINDS.find((k) => source[k] !== undefined && source[k] !== null);
}

/**
 * collectData of a projected volume: every source's files merged (a later source's path wins, as
 * upstream's map), errors aggregated. An unsupported kind throws UnsupportedSourceError at once.
 */
export async function projectedFiles(sources: VolumeProjection[] | undefined, ctx: ProjectionContext, projectors: SourceProjectors): Promise<ProjectedFile[]> {
  const byPath = new Map<string, ProjectedFile>();
  const errors: string[] = [];
  for (const source of sources ?? []) {
    const kind = sourceKind(source);
    if (!kind) continue;
    const project = projectors[kind] as SourceProjector | undefined;
    if (!project) {
      // Tokens are the agent's to wire (KubeletDeps.projectors): without it the pod waits, with events.
      if (kind === 'serviceAccountToken') throw new Error('serviceAccountToken projections are not served by this node agent (no token projector)');
      throw new UnsupportedSourceError(`${kind} projections are not supported by this node`);
    }
    try {
      for (const f of await project(source[kind] as never, ctx)) byPath.set(cleanPath(f.path), { ...f, path: cleanPath(f.path) });
    } catch (err) {
      if (err instanceof UnsupportedSourceError) throw err;
      errors.push(errorMessage(err));
    }
  }
  if (errors.length) throw new Error(aggregate(errors));
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The projected volume's defaultMode, 0644 when unset. */
export function projectedDefaultMode(mode: number | undefined): number {
  return mode ?? DEFAULT_VOLUME_MODE;
}

// ---- helpers --------------------------------------------------------------------------------

/** path.Clean for a relative path ("a//b/./c" → "a/b/c"). */
export function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    parts.push(seg);
  }
  return (p.startsWith('/') ? '/' : '') + (parts.join('/') || (p.startsWith('/') ? '' : '.'));
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as "[a, b]". */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
