// The pod's volumes (the kubelet's volume manager and volume plugins, for one node):
// - emptyDir: a runtime volume of the pod (medium Memory → tmpfs, with sizeLimit);
// - configMap / secret / downwardAPI / projected: a Memory runtime volume filled through the
//   sandbox with the atomic writer's layout (secret bytes never touch a disk), mounted read-only,
//   and brought up to date at every pod sync (refresh: the payload again, `..data` switched by a
//   rename when it changed), as the kubelet remounts these volumes;
// - hostPath: a bind mount of the node's path after upstream's `type` checks
//   (DirectoryOrCreate / FileOrCreate create it); jobyard's data directory and the engine's
//   socket are never mounted, a bind containing the data directory is read-only with it
//   hidden (./host-path-guard.ts);
// - persistentVolumeClaim: the runtime volume the local provisioner bound the claim to
//   (./pvc-provisioner.ts), which outlives the pod;
// - ephemeral: the claim `<pod>-<volume>` the ephemeral volume controller made for the pod, mounted
//   as persistentVolumeClaim once checked to be the pod's (it goes with the pod).
// Errors carry upstream's messages; the kubelet reports them as FailedMount events and the
// pod keeps waiting in ContainerCreating, except for a volume type this node never mounts
// (UnsupportedVolumeError: nfs, csi, cloud disks...), which fails the pod.
import type { Container, PersistentVolumeClaim, Pod, Volume } from '../../api/index.js';
import { errorMessage, isNotFound, quantityValue } from '../../machinery/index.js';
import type { ConfigSource } from '../env.js';
import { type ContainerRuntime, LABEL_POD_UID, type Mount, type VolumeFile } from '../runtime/index.js';
import { atomicWriterFiles, atomicWriterSwap, makePayload, payloadKey, type Projection } from './atomic-writer.js';
import {
  configMapBytes,
  defaultProjectors,
  downwardAPIFiles,
  keyedValues,
  type ProjectionContext,
  projectedDefaultMode,
  projectedFiles,
  secretBytes,
  type SourceProjectors,
  UnsupportedSourceError,
} from './projection.js';
import type { HostFS } from './host-fs.js';
import { type BindVerdict, ENGINE_HOST_PATHS, isWithin, judgeBind, realPathOf } from './host-path-guard.js';

/** Label on every runtime volume the agent creates: "pod" (dies with the pod) or "pvc" (outlives it). */
export const LABEL_VOLUME_TYPE = 'jobyard.io/volume-type';
/** Label naming the pod volume a runtime volume serves. */
export const LABEL_VOLUME_NAME = 'jobyard.io/volume-name';

/** A volume could not be set up: the kubelet's FailedMount. */
export class VolumeError extends Error {
  readonly volume: string;

  constructor(volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume ${JSON.stringify(volume)} : ${message}`);
    this.name = 'VolumeError';
    this.volume = volume;
  }
}

/** A volume type this node never mounts: the pod fails instead of waiting (FailedMount, then Failed). */
export class UnsupportedVolumeError extends VolumeError {
  constructor(volume: string, message: string) {
    super(volume, `no volume plugin matched: ${message}`);
    this.name = 'UnsupportedVolumeError';
  }
}

/** The volume sources this node mounts (upstream's volume plugins it has). */
export const SUPPORTED_VOLUME_SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'ephemeral', 'downwardAPI', 'projected'] as const;

/** The source kind of a volume (its one set field besides `name`). */
export function volumeSourceKind(v: Volume): string {
  const raw = v as unknown as Record<string, unknown>;
  return Object.keys(raw).find((k) => k !== 'name' && raw[k] !== undefined && raw[k] !== null) ?? 'unknown';
}

/** How one pod volume is provided. */
export type PreparedVolume =
  | {
      name: string;
      kind: 'runtime';
      runtimeVolume: string;
      readOnly: boolean;
      files?: VolumeFile[];
      /** Written by the atomic writer from a payload (configMap, secret, downwardAPI, projected): what is there now. */
      written?: { key: string };
    }
  | { name: string; kind: 'bind'; hostPath: string; readOnly: boolean; verdicts: Map<string, BindVerdict> };

export interface VolumePlan {
  volumes: Map<string, PreparedVolume>;
  /** Runtime volumes the sandbox must keep mounted (Memory ones, and those written through it). */
  sandboxVolumes: string[];
}

export interface VolumeManagerDeps {
  runtime: ContainerRuntime;
  hostFS: HostFS;
  config: ConfigSource;
  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim>;
  now(): Date;
  /** Added to every runtime volume (the agent's instance labels). */
  labels?: Record<string, string>;
  /** jobyard's own data (the server's data directory): never bind-mounted; binds containing it are read-only and hide it. */
  protectedDirs?: string[];
  /** Never bind-mounted (default: the engine's socket and state). */
  enginePaths?: string[];
  /** When given, a bind's real source must lie under the real path of one of these (--allow-host-path). */
  allowedHostPaths?: string[];
  /** Projected-volume sources beyond this node's own (configMap, secret, downwardAPI): e.g. serviceAccountToken. */
  projectors?: SourceProjectors;
  /** Node allocatable, the value of a downward API `limits.*` the container does not set. */
  nodeAllocatable?: () => { cpuMilli: number; memoryBytes: number; ephemeralStorageBytes?: number };
}

/** The runtime volume name of a pod volume. */
export function podVolumeName(uid: string, volume: string): string {
  return `jobyard-${uid}-${volume}`;
}

export class VolumeManager {
  private readonly deps: VolumeManagerDeps;

  constructor(deps: VolumeManagerDeps) {
    this.deps = deps;
  }

  /**
   * Sets up every volume that does not need the sandbox: creates runtime volumes, checks and
   * creates host paths, reads ConfigMaps/Secrets/claims. Throws VolumeError for the first
   * volume that cannot be set up.
   */
  async prepare(pod: Pod, options: { adopted?: boolean } = {}): Promise<VolumePlan> {
    const volumes = new Map<string, PreparedVolume>();
    const sandboxVolumes: string[] = [];
    // A type the node never mounts fails the pod before anything is made for it.
    for (const v of pod.spec.volumes ?? []) {
      const kind = volumeSourceKind(v);
      if (!(SUPPORTED_VOLUME_SOURCES as readonly string[]).includes(kind)) throw new UnsupportedVolumeError(v.name, `${kind} volumes are not supported by this node`);
    }
    for (const v of pod.spec.volumes ?? []) {
      const prepared = await this.prepareOne(pod, v);
      if (prepared.kind === 'bind') await this.judgeBinds(pod, prepared);
      // An adopted sandbox holds files of an unknown payload: the first refresh writes them again.
      if (options.adopted && prepared.kind === 'runtime' && prepared.written) prepared.written = { key: '' };
      volumes.set(v.name, prepared);
      if (prepared.kind === 'runtime' && prepared.files) sandboxVolumes.push(prepared.runtimeVolume);
      else if (prepared.kind === 'runtime' && v.emptyDir?.medium === 'Memory') sandboxVolumes.push(prepared.runtimeVolume);
    }
    return { volumes, sandboxVolumes };
  }

  /** Writes ConfigMap and Secret contents through the running sandbox. */
  async populate(sandboxId: string, plan: VolumePlan): Promise<void> {
    for (const v of plan.volumes.values()) {
      if (v.kind !== 'runtime' || !v.files) continue;
      try {
        await this.deps.runtime.writeVolumeFiles(sandboxId, v.runtimeVolume, v.files);
      } catch (err) {
        throw new VolumeError(v.name, errorMessage(err));
      }
    }
  }

  /** The mounts of a container (volumeMounts), read-only where the mount or the volume says so. */
  mountsFor(container: Container, plan: VolumePlan): Mount[] {
    const out: Mount[] = [];
    for (const vm of container.volumeMounts ?? []) {
      const v = plan.volumes.get(vm.name);
      if (!v) throw new VolumeError(vm.name, `volume "${vm.name}" is not prepared`);
      const readOnly = !!vm.readOnly || v.readOnly;
      const subPath = (vm.subPath ?? '').replace(/^\/+/, '');
      if (v.kind === 'bind') {
        const m: Mount = { type: 'bind', source: subPath ? `${v.hostPath.replace(/\/+$/, '')}/${subPath}` : v.hostPath, target: vm.mountPath };
        // A subPath judged in prepare(), else the whole volume's verdict and read-only at least.
        const judged = v.verdicts.get(subPath);
        const verdict = judged ?? { ...v.verdicts.get('')!, readOnly: true };
        if (readOnly || verdict.readOnly) m.readOnly = true;
        out.push(m);
        for (const rel of verdict.masks) out.push({ type: 'tmpfs', target: `${vm.mountPath.replace(/\/+$/, '')}/${rel}`, sizeBytes: 4096, mode: 0o555 });
      } else {
        const m: Mount = { type: 'volume', source: v.runtimeVolume, target: vm.mountPath };
        if (subPath) m.subPath = subPath;
        if (readOnly) m.readOnly = true;
        out.push(m);
      }
    }
    return out;
  }

  /** Subpaths of writable runtime volumes that must exist before a container mounts them. */
  subPathDirs(container: Container, plan: VolumePlan): { runtimeVolume: string; path: string }[] {
    const out: { runtimeVolume: string; path: string }[] = [];
    for (const vm of container.volumeMounts ?? []) {
      const v = plan.volumes.get(vm.name);
      const subPath = (vm.subPath ?? '').replace(/^\/+/, '');
      if (v?.kind === 'runtime' && !v.files && subPath) out.push({ runtimeVolume: v.runtimeVolume, path: subPath });
    }
    return out;
  }

  /** Removes the runtime volumes of a pod (claims' volumes stay). */
  async cleanup(uid: string): Promise<void> {
    const volumes = await this.deps.runtime.listVolumes({ [LABEL_VOLUME_TYPE]: 'pod', [LABEL_POD_UID]: uid });
    for (const v of volumes) await this.deps.runtime.removeVolume(v.name);
  }

  private async runtimeVolume(pod: Pod, v: Volume, medium: '' | 'Memory', sizeLimitBytes?: number): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const name = podVolumeName(uid, v.name);
    const config: Parameters<ContainerRuntime['createVolume']>[0] = {
      name,
      medium,
      labels: { ...this.deps.labels, [LABEL_VOLUME_TYPE]: 'pod', [LABEL_POD_UID]: uid, [LABEL_VOLUME_NAME]: v.name },
    };
    if (sizeLimitBytes !== undefined) config.sizeLimitBytes = sizeLimitBytes;
    try {
      await this.deps.runtime.createVolume(config);
    } catch (err) {
      throw new VolumeError(v.name, errorMessage(err));
    }
    return name;
  }

  private async prepareOne(pod: Pod, v: Volume): Promise<PreparedVolume> {
    const ns = pod.metadata.namespace ?? 'default';
    if (v.emptyDir) {
      const medium = v.emptyDir.medium === 'Memory' ? 'Memory' : '';
      const size = medium === 'Memory' && v.emptyDir.sizeLimit ? Number(quantityValue(v.emptyDir.sizeLimit)) : undefined;
      return { name: v.name, kind: 'runtime', runtimeVolume: await this.runtimeVolume(pod, v, medium, size), readOnly: false };
    }
    if (v.hostPath) {
      await this.checkHostPath(v.name, v.hostPath.path, v.hostPath.type ?? '');
      return { name: v.name, kind: 'bind', hostPath: v.hostPath.path, readOnly: false, verdicts: new Map() };
    }
    if (v.configMap || v.secret || v.downwardAPI || v.projected) {
      const projection = await this.payload(pod, v);
      let files: VolumeFile[];
      try {
        files = atomicWriterFiles(projection, this.deps.now());
      } catch (err) {
        throw new VolumeError(v.name, errorMessage(err));
      }
      const runtimeVolume = await this.runtimeVolume(pod, v, 'Memory');
      return { name: v.name, kind: 'runtime', runtimeVolume, readOnly: true, files, written: { key: payloadKey(projection) } };
    }
    if (v.persistentVolumeClaim || v.ephemeral) {
      // A generic ephemeral volume is the claim `<pod>-<volume>`, if the pod controls it (the kubelet's ephemeral handling).
      const claimName = v.persistentVolumeClaim ? v.persistentVolumeClaim.claimName : `${pod.metadata.name ?? ''}-${v.name}`;
      let claim: PersistentVolumeClaim;
      try {
        claim = await this.deps.getClaim(ns, claimName);
      } catch (err) {
        if (isNotFound(err)) throw new VolumeError(v.name, `persistentvolumeclaim "${claimName}" not found`);
        throw new VolumeError(v.name, errorMessage(err));
      }
      if (v.ephemeral && !(claim.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.metadata.uid)) {
        throw new VolumeError(v.name, `PVC ${ns}/${claimName} was not created for pod ${ns}/${pod.metadata.name ?? ''} (pod is not owner)`);
      }
      const phase = claim.status?.phase ?? '';
      const volumeName = claim.spec.volumeName ?? '';
      if (phase !== 'Bound' || !volumeName) {
        throw new VolumeError(v.name, `PVC ${ns}/${claimName} has non-bound phase (${JSON.stringify(phase)}) or empty pvc.Spec.VolumeName (${JSON.stringify(volumeName)})`);
      }
      return { name: v.name, kind: 'runtime', runtimeVolume: volumeName, readOnly: !!v.persistentVolumeClaim?.readOnly };
    }
    throw new UnsupportedVolumeError(v.name, `${volumeSourceKind(v)} volumes are not supported by this node`);
  }

  /**
   * The files of a configMap, secret, downwardAPI or projected volume (the plugins' payload
   * collection). Throws VolumeError with upstream's message; UnsupportedVolumeError for a
   * projected source kind the node never serves.
   */
  private async payload(pod: Pod, v: Volume): Promise<Projection> {
    const ns = pod.metadata.namespace ?? 'default';
    try {
      if (v.configMap) {
        const cmName = v.configMap.name ?? '';
        const optional = !!v.configMap.optional;
        const values = await keyedValues(() => this.deps.config.getConfigMap(ns, cmName).then(configMapBytes), 'configmap', cmName, optional);
        return makePayload(values, v.configMap.items, v.configMap.defaultMode, optional, (k) => `configmap references non-existent config key: ${k}`);
      }
      if (v.secret) {
        const secretName = v.secret.secretName ?? '';
        const optional = !!v.secret.optional;
        const values = await keyedValues(() => this.deps.config.getSecret(ns, secretName).then(secretBytes), 'secret', secretName, optional);
        return makePayload(values, v.secret.items, v.secret.defaultMode, optional, (k) => `references non-existent secret key: ${k}`);
      }
      if (v.downwardAPI) return { files: downwardAPIFiles(v.downwardAPI.items, this.projectionContext(pod, v.downwardAPI.defaultMode)) };
      const projectors: SourceProjectors = { ...defaultProjectors, ...this.deps.projectors };
      return { files: await projectedFiles(v.projected?.sources, this.projectionContext(pod, v.projected?.defaultMode), projectors) };
    } catch (err) {
      if (err instanceof VolumeError) throw err;
      if (err instanceof UnsupportedSourceError) throw new UnsupportedVolumeError(v.name, err.message);
      throw new VolumeError(v.name, errorMessage(err));
    }
  }

  private projectionContext(pod: Pod, defaultMode: number | undefined): ProjectionContext {
    return {
      pod,
      defaultMode: projectedDefaultMode(defaultMode),
      config: this.deps.config,
      nodeAllocatable: () => this.deps.nodeAllocatable?.() ?? { cpuMilli: 0, memoryBytes: 0 },
    };
  }

  /**
   * Brings the payload volumes of a running pod up to date (the kubelet's remount of configMap,
   * secret, downwardAPI and projected volumes at each pod sync): a payload that changed is
   * written beside the old one and `..data` switched to it. Throws VolumeError for the first
   * volume that could not be refreshed; the others are still tried, and what runs keeps the old files.
   */
  async refresh(pod: Pod, plan: VolumePlan, sandboxId: string): Promise<void> {
    let first: VolumeError | undefined;
    for (const pv of plan.volumes.values()) {
      if (pv.kind !== 'runtime' || !pv.written) continue;
      const v = (pod.spec.volumes ?? []).find((x) => x.name === pv.name);
      if (!v) continue;
      try {
        const projection = await this.payload(pod, v);
        const key = payloadKey(projection);
        if (key === pv.written.key) continue;
        await this.deps.runtime.swapVolumeData(sandboxId, pv.runtimeVolume, atomicWriterSwap(projection, this.deps.now()));
        pv.written = { key };
      } catch (err) {
        first ??= err instanceof VolumeError ? err : new VolumeError(pv.name, errorMessage(err));
      }
    }
    if (first) throw first;
  }

  /**
   * Judges, by real path, the bind sources a pod will mount of one hostPath volume (the volume
   * and each subPath of it): the API server checked the paths as written, a symlink may lead
   * elsewhere. Throws VolumeError for a source that must never be mounted.
   */
  private async judgeBinds(pod: Pod, v: Extract<PreparedVolume, { kind: 'bind' }>): Promise<void> {
    const realpath = this.deps.hostFS.realpath?.bind(this.deps.hostFS) ?? ((p: string) => Promise.resolve(p));
    const real = (p: string) => realPathOf(p, realpath);
    const protectedDirs = await Promise.all((this.deps.protectedDirs ?? []).map(real));
    const enginePaths = await Promise.all((this.deps.enginePaths ?? ENGINE_HOST_PATHS).map(real));
    const allowed = this.deps.allowedHostPaths && (await Promise.all(this.deps.allowedHostPaths.map(real)));
    const subPaths = new Set(['']);
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      for (const m of c.volumeMounts ?? []) if (m.name === v.name) subPaths.add((m.subPath ?? '').replace(/^\/+/, ''));
    }
    for (const sub of subPaths) {
      const source = sub ? `${v.hostPath.replace(/\/+$/, '')}/${sub}` : v.hostPath;
      const realSource = await real(source);
      const verdict = judgeBind(realSource, protectedDirs, enginePaths);
      if (verdict.refused) throw new VolumeError(v.name, verdict.refused);
      if (allowed && !allowed.some((dir) => isWithin(realSource, dir))) {
        throw new VolumeError(v.name, `hostPath ${source} leads to ${realSource}, which is not under a directory allowed by --allow-host-path`);
      }
      v.verdicts.set(sub, verdict);
    }
  }

  /** hostPath's type checks (pkg/volume/hostpath checkType), creating what *OrCreate asks for. */
  private async checkHostPath(volume: string, path: string, type: string): Promise<void> {
    const fs = this.deps.hostFS;
    const fail = (what: string) => {
      throw new VolumeError(volume, `hostPath type check failed: ${path} is not ${what}`);
    };
    switch (type) {
      case '':
        return;
      case 'DirectoryOrCreate':
      case 'Directory':
        if (type === 'DirectoryOrCreate' && (await fs.stat(path)) === undefined) {
          await fs.mkdir(path, 0o755);
          return;
        }
        if ((await fs.stat(path)) !== 'directory') fail('a directory');
        return;
      case 'FileOrCreate':
      case 'File':
        if (type === 'FileOrCreate' && (await fs.stat(path)) === undefined) {
          await fs.writeFile(path, '', 0o644);
          return;
        }
        if ((await fs.stat(path)) !== 'file') fail('a file');
        return;
      case 'Socket':
        if ((await fs.stat(path)) !== 'socket') fail('a socket file');
        return;
      case 'CharDevice':
        if ((await fs.stat(path)) !== 'char') fail('a character device');
        return;
      case 'BlockDevice':
        if ((await fs.stat(path)) !== 'block') fail('a block device');
        return;
      default:
        throw new VolumeError(volume, `${type} is an invalid volume type`);
    }
  }
}
