// What the parts of CriRuntime share (sandboxes, containers, images, volumes, streaming, files
// and logs): the two CRI services of one connection, the engine operations they run through,
// and where the kubelet's side of the pod lives on the host (logs, volume directories).
import { join } from 'node:path';
import type { EngineOperations } from '../engine-operations.js';
import type { PodSandboxMetadata } from '../runtime-service.js';
import type { ImageServiceCalls, RuntimeServiceCalls } from './client.js';

/** The kubelet's pod log root (/var/log/pods), jobyard's own. */
export const DEFAULT_CRI_LOG_ROOT = '/var/log/jobyard/pods';
/** Host directories of pod volumes (the kubelet's /var/lib/kubelet/pods/<uid>/volumes). */
export const DEFAULT_CRI_VOLUME_ROOT = '/var/lib/jobyard/cri/volumes';

export interface CriContext {
  /** runtime.v1.RuntimeService, promisified (client.ts). */
  runtime: RuntimeServiceCalls;
  /** runtime.v1.ImageService, promisified. */
  images: ImageServiceCalls;
  /** Every CRI call, tracked for the health check and bounded in number. */
  operations: EngineOperations;
  /** "unix:///run/jobyard/containerd/containerd.sock". */
  endpoint: string;
  /** Pod log directories live under it (podLogDirectory). */
  logRoot: string;
  /** Pod volume directories live under it. */
  volumeRoot: string;
}

/** The sandbox's log_directory as the kubelet builds it: `<root>/<namespace>_<name>_<uid>`. */
export function podLogDirectory(logRoot: string, metadata: Pick<PodSandboxMetadata, 'namespace' | 'name' | 'uid'>): string {
  return join(logRoot, `${metadata.namespace}_${metadata.name}_${metadata.uid}`);
}

/** A container's log_path, relative to its sandbox's log_directory: `<container>/<attempt>.log`. */
export function containerLogPath(name: string, attempt: number): string {
  return join(name, `${attempt}.log`);
}
