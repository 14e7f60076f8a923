// VolumeService: the runtime's own volumes (emptyDir, configMap, secret and PVC contents).
// The CRI has none (the kubelet makes directories on the node); we ask the engine so that a
// Memory volume is a tmpfs and the engine may run on another machine.

export interface VolumeConfig {
  name: string;
  /** '' (node disk) or 'Memory' (tmpfs), as emptyDir.medium. */
  medium?: '' | 'Memory';
  /** Upper bound of a Memory volume (tmpfs size). Disk volumes are not size-limited by the runtime. */
  sizeLimitBytes?: number;
  labels?: Record<string, string>;
}

export interface VolumeStatus {
  name: string;
  medium: '' | 'Memory';
  sizeLimitBytes?: number;
  labels: Record<string, string>;
}

/** One entry written into a volume; paths are relative to the volume root. */
export interface VolumeFile {
  path: string;
  /** Regular file contents; omit for a directory or a symlink. */
  data?: Buffer | string;
  /** A symbolic link (the kubelet's atomic writer uses `..data` links). */
  linkTarget?: string;
  isDirectory?: boolean;
  /** Permission bits, default 0o644 (directories 0o755). */
  mode?: number;
}

/** A new payload for a volume laid out by the atomic writer (`..data` → a timestamped directory). */
export interface VolumeDataSwap {
  /** The new timestamped directory, its files, and the top-level links (`name` → `..data/name`). */
  files: VolumeFile[];
  /** The directory `..data` points at afterwards (one of `files`). */
  dataDir: string;
  /** The top-level names of the new payload; other top-level links into `..data` are removed. */
  keep: string[];
}

export interface VolumeService {
  createVolume(config: VolumeConfig): Promise<void>;
  /** Idempotent. A volume still mounted by a container cannot be removed. */
  removeVolume(name: string): Promise<void>;
  listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]>;
  /** Writes entries into a volume the running sandbox keeps mounted (PodSandboxConfig.volumes). */
  writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void>;
  /**
   * The atomic writer's update (pkg/volume/util/atomic_writer.go): writes `files`, points `..data`
   * at `dataDir` with one rename (a reader sees the old payload or the new one, never a mix), then
   * removes the directory `..data` pointed at before and top-level links not in `keep`.
   */
  swapVolumeData(sandboxId: string, volume: string, swap: VolumeDataSwap): Promise<void>;
}
