// The kubelet's image manager (pkg/kubelet/images/image_manager.go) over our runtime:
// imagePullPolicy, credentials from pull secrets, and a per pod+image pull back-off, with
// upstream's waiting reasons and messages (InvalidImageName, ErrImageNeverPull,
// ErrImagePull, ImagePullBackOff).
import type { PullPolicy } from '../../api/index.js';
import type { Clock } from '../../machinery/index.js';
import type { ContainerRuntime, ImageStatus, RegistryAuth } from './container-runtime.js';
import { applyDefaultImageTag, parseImageReference } from './image-reference.js';
import type { DockerKeyring } from './keyring.js';
import { isRuntimeError, RuntimeError } from './runtime-error.js';

/** The API server's default: Always for `:latest` or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): PullPolicy {
  try {
    const r = parseImageReference(image);
    if (r.digest !== undefined && r.tag === undefined) return 'IfNotPresent';
    return r.tag === undefined || r.tag === 'latest' ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}

/** client-go's flowcontrol.Backoff: per-key exponential delay, reset after 2×max of quiet. */
export class Backoff {
  private readonly entries = new Map<string, { backoffMs: number; lastUpdate: number }>();
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(initialMs: number, maxMs: number) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** Whether `now` is still inside the delay started by the last next(key). */
  isInBackOffSinceUpdate(key: string, now: Date): boolean {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(e, now)) return false;
    return now.getTime() - e.lastUpdate < e.backoffMs;
  }

  /** Records a failure: first delay initialMs, then doubling up to maxMs. */
  next(key: string, now: Date): void {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(e, now)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now.getTime() });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdate: now.getTime() });
  }

  /** The current delay for key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops entries quiet for longer than 2×max. */
  gc(now: Date): void {
    for (const [k, e] of this.entries) if (this.hasExpired(e, now)) this.entries.delete(k);
  }

  private hasExpired(e: { lastUpdate: number }, now: Date): boolean {
    return now.getTime() - e.lastUpdate > 2 * this.maxMs;
  }
}

export interface EnsureImageRequest {
  podUID: string;
  /** As in the container spec. */
  image: string;
  /** Defaults from the tag like the API server does. */
  pullPolicy?: PullPolicy;
  /** Credentials from the pod's imagePullSecrets. */
  keyring?: DockerKeyring;
  /** Called once a pull is decided, just before it starts (the kubelet's "Pulling" event). */
  onPulling?: () => void;
}

export interface EnsureImageResult {
  image: ImageStatus;
  /** False when the image was already present ("already present on machine"). */
  pulled: boolean;
  pullDurationMs?: number;
}

export interface ImageManagerDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  /** Kubelet defaults: 10 s doubling to 300 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class ImageManager {
  readonly backoff: Backoff;
  private readonly runtime: ContainerRuntime;
  private readonly clock: Clock;

  constructor(deps: ImageManagerDeps) {
    this.runtime = deps.runtime;
    this.clock = deps.clock;
    this.backoff = new Backoff(deps.initialBackoffMs ?? 10_000, deps.maxBackoffMs ?? 300_000);
  }

  /**
   * Makes the container's image present according to its pull policy. Rejects with a
   * RuntimeError whose reason is the container's waiting reason and whose message is the
   * kubelet's.
   */
  async ensureImage(req: EnsureImageRequest): Promise<EnsureImageResult> {
    let image: string;
    try {
      image = applyDefaultImageTag(req.image);
    } catch (err) {
      throw new RuntimeError('InvalidImageName', `Failed to apply default image tag "${req.image}": ${(err as Error).message}`);
    }
    let present: ImageStatus | undefined;
    try {
      present = await this.runtime.imageStatus(image);
    } catch (err) {
      throw new RuntimeError('ImageInspectError', `Failed to inspect image "${req.image}": ${(err as Error).message}`, { cause: err });
    }
    const policy = req.pullPolicy ?? defaultPullPolicy(req.image);
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (present) return { image: present, pulled: false };
      throw new RuntimeError('ErrImageNeverPull', `Container image "${req.image}" is not present with pull policy of Never`);
    }
    const key = `${req.podUID}_${req.image}`;
    if (this.backoff.isInBackOffSinceUpdate(key, this.clock.now())) {
      throw new RuntimeError('ImagePullBackOff', `Back-off pulling image "${req.image}"`);
    }
    req.onPulling?.();
    const started = this.clock.now().getTime();
    try {
      const pulled = await pullWithCredentials(this.runtime, image, req.keyring?.lookup(image) ?? []);
      this.backoff.gc(this.clock.now());
      return { image: pulled, pulled: true, pullDurationMs: this.clock.now().getTime() - started };
    } catch (err) {
      this.backoff.next(key, this.clock.now());
      if (isRuntimeError(err)) throw new RuntimeError('ErrImagePull', err.message, { cause: err });
      throw new RuntimeError('ErrImagePull', String(err), { cause: err });
    }
  }
}

/**
 * Pulls with each matching credential in turn, stopping at the first success (the kubelet
 * tries them all, for rotation); anonymously when there are none.
 */
export async function pullWithCredentials(runtime: ContainerRuntime, image: string, credentials: RegistryAuth[]): Promise<ImageStatus> {
  if (credentials.length === 0) return runtime.pullImage(image);
  const errors: RuntimeError[] = [];
  for (const auth of credentials) {
    try {
      return await runtime.pullImage(image, auth);
    } catch (err) {
      if (!isRuntimeError(err)) throw err;
      if (err.reason === 'InvalidImageName') throw err;
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  throw new RuntimeError('ErrImagePull', `[${errors.map((e) => e.message).join(', ')}]`);
}
