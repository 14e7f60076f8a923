// The engine connection the parts of DockerRuntime share: one dockerode client, what the
// runtime remembers about the engine (OOM events, image digests), and the lookups every part
// makes (inspect a container of ours, list them, create one under dockershim's name).
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { ANNOTATION_LABEL_PREFIX, LABEL_CONTAINER_TYPE, LABEL_POD_UID, type ContainerStatus, type ContainerType } from '../container-runtime.js';
import { parseImageReference } from '../image-reference.js';
import { EngineOperations, PhaseLock } from '../engine-operations.js';
import { RuntimeError } from '../runtime-error.js';
import { isStatus, toRuntimeError } from './engine-errors.js';
import { containerStatusOf, type Inspect } from './status.js';

export function labelFilters(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

export function withAnnotations(labels: Record<string, string>, annotations: Record<string, string> | undefined): Record<string, string> {
  const out = { ...labels };
  for (const [k, v] of Object.entries(annotations ?? {})) out[ANNOTATION_LABEL_PREFIX + k] = v;
  return out;
}

/** "1700000000.123456789" as the engine's `since` parameters take it. */
export function unixNanos(d: Date): string {
  const ms = d.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

/** Reads a JSON-lines progress stream (pull, push, import); throws the first error it reports. */
export async function followProgress(stream: NodeJS.ReadableStream): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let buf = '';
  const handle = (line: string) => {
    if (line.trim() === '') return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    out.push(msg);
    if (msg.error !== undefined || msg.errorDetail !== undefined) {
      const detail = msg.errorDetail as { message?: string } | undefined;
      throw new Error(String(msg.error ?? detail?.message ?? 'unknown error'));
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      handle(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  handle(buf);
  return out;
}

/** Engine calls that wait by design: no deadline, no slot of the limiter (else N waits would hold every slot). */
const WAITING_CALL = /^\/containers\/[^/]+\/(wait|attach)(\?|$)|^\/exec\/[^/]+\/start|^\/events/;

/** How long an image seen without a registry digest is taken as such (a push or pull may give it one). */
const UNDIGESTED_RECHECK_MS = 60_000;

/** A stop waits for the container's grace period: no slot of the limiter, and its grace on top of the deadline. */
const STOP_CALL = /^\/containers\/[^/]+\/stop(\?|$)/;

interface DialOptions {
  path?: string;
  method?: string;
  hijack?: boolean;
  options?: { t?: number };
}
type Dial = (options: DialOptions, callback: (err: unknown, data: unknown) => void) => void;
const WRAPPED = Symbol('jobyard.engineOperations');

export class DockerEngine {
  readonly docker: Docker;
  /** Every engine call, tracked and bounded (engine-operations.ts). */
  readonly operations: EngineOperations;
  /**
   * Docker 20.10's libnetwork deadlocks when a network sandbox is deleted (a container owning a
   * network namespace stops or is removed) while a new one's SetKey prestart hook runs (such a
   * container starts): 'create' and 'destroy' phases never overlap (sandboxes.ts). Creates go
   * first (a pod waits for its sandbox; a destroy only frees what a finished pod held): destroys
   * wait for them at most 5 s, then run together in one turn.
   */
  readonly networkSandboxes = new PhaseLock({ preferred: 'create', maxDeferMs: 5_000 });
  private readonly imageRefs = new Map<string, string>();
  /** Images without a registry digest (built or imported here), when last seen so: asked again after a while, not at every status. */
  private readonly undigested = new Map<string, number>();
  /** Lists of one pod in flight, by their labels without the container type (list). */
  private readonly podLists = new Map<string, Promise<Docker.ContainerInfo[]>>();
  /** Inspects asked in this turn of the event loop, by container id (rawInspect). */
  private readonly inspects = new Map<string, Promise<Inspect>>();
  /**
   * Containers for which an `oom` event was seen. containerd publishes the OOM and the exit
   * of a task separately; when the exit wins, dockerd never sets State.OOMKilled. The kubelet
   * syncs the pod again on the `oom` event, and then reads OOMKilled from here (containerd's
   * CRI does the same: it rewrites the exit reason when a late TaskOOM arrives).
   */
  readonly oomKilled = new Set<string>();

  constructor(docker: Docker | Docker.DockerOptions | undefined, operations: EngineOperations = new EngineOperations()) {
    this.docker = docker instanceof Docker ? docker : new Docker(docker);
    this.operations = operations;
    this.trackCalls();
  }

  /**
   * Runs an engine call that creates or destroys a network sandbox under networkSandboxes. The
   * wait for the lock is tracked as an operation too: a call held up by it is as visible to the
   * health check as one held up in the engine.
   */
  networkSandbox<T>(phase: 'create' | 'destroy', id: string, fn: () => Promise<T>): Promise<T> {
    return this.operations.run(`network sandbox ${phase} ${id}`, () => this.networkSandboxes.run(phase, id, fn), { limited: false });
  }

  /**
   * Every HTTP call dockerode makes goes through the modem's dial: wrapping it tracks and bounds
   * them all in one place. A call counts until its answer (for a stream: its headers).
   */
  private trackCalls(): void {
    const modem = this.docker.modem as unknown as { dial: Dial; [WRAPPED]?: boolean };
    if (modem[WRAPPED]) throw new Error('this dockerode client already belongs to a DockerRuntime');
    modem[WRAPPED] = true;
    const dial = modem.dial.bind(modem);
    const ops = this.operations;
    modem.dial = (options, callback) => {
      const path = (options.path ?? '').split('?')[0] ?? '';
      const waits = !!options.hijack || WAITING_CALL.test(options.path ?? '');
      if (waits) return dial(options, callback);
      const stop = STOP_CALL.test(options.path ?? '');
      const run = stop ? { limited: false, allowanceMs: (options.options?.t ?? 10) * 1000 } : {};
      void ops
        .run(`${options.method ?? 'GET'} ${path}`, () => new Promise<unknown>((resolve, reject) => dial(options, (err, data) => (err ? reject(err) : resolve(data)))), run)
        .then(
          (data) => callback(null, data),
          (err: unknown) => callback(err, undefined),
        );
    };
  }

  /** The status of an inspected container, with the OOM events seen and its image digest. */
  async statusOf(info: Inspect): Promise<ContainerStatus> {
    const oomSeen = this.oomKilled.has(info.Id);
    return containerStatusOf(info, oomSeen, await this.imageRef(info.Image, info.Config.Image));
  }

  /** Inspects a container of ours of the given type; NotFound otherwise. */
  async inspect(id: string, type: ContainerType): Promise<Inspect> {
    let info: Inspect;
    try {
      info = await this.rawInspect(id);
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', `failed to inspect ${id}`);
    }
    if (info.Config.Labels?.[LABEL_CONTAINER_TYPE] !== type) {
      throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
    }
    return info;
  }

  /**
   * One list call: what the engine's list says of our containers with these labels (no inspect
   * each). A pod's sandboxes and containers are asked for together at every sync (the kubelet
   * reads both at once): a list for one pod uid asks without the container type, and the
   * sandboxes' and the containers' lists asked in the same turn of the event loop share that
   * one engine call.
   */
  async list(labels: string[], id: string | undefined): Promise<Docker.ContainerInfo[]> {
    const type = labels.find((l) => l.startsWith(`${LABEL_CONTAINER_TYPE}=`));
    if (!type || id || !labels.some((l) => l.startsWith(`${LABEL_POD_UID}=`))) return this.listOnce(labels, id);
    const rest = labels.filter((l) => l !== type).sort();
    const key = rest.join('\n');
    let shared = this.podLists.get(key);
    if (!shared) {
      shared = this.listOnce(rest, undefined);
      this.podLists.set(key, shared);
      // Only lists asked in the same turn share: a later one sees what happened since.
      setImmediate(() => this.podLists.delete(key));
    }
    const wanted = type.slice(LABEL_CONTAINER_TYPE.length + 1);
    return (await shared).filter((c) => c.Labels?.[LABEL_CONTAINER_TYPE] === wanted);
  }

  private async listOnce(labels: string[], id: string | undefined): Promise<Docker.ContainerInfo[]> {
    try {
      const filters: Record<string, string[]> = { label: labels };
      if (id) filters.id = [id];
      return await this.docker.listContainers({ all: true, filters });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list containers');
    }
  }

  /**
   * One engine inspect for the callers that ask for the same container in the same turn of the
   * event loop (the kubelet reads a pause-less pod's sandbox and its container, the same
   * container, at once). Only that turn: a later caller may have changed it since.
   */
  private rawInspect(id: string): Promise<Inspect> {
    let shared = this.inspects.get(id);
    if (!shared) {
      shared = this.docker.getContainer(id).inspect();
      this.inspects.set(id, shared);
      setImmediate(() => this.inspects.delete(id));
    }
    return shared;
  }

  /** Inspects each listed container (removed meanwhile: left out). */
  async inspectAll(list: Docker.ContainerInfo[]): Promise<Inspect[]> {
    const infos = await Promise.all(
      list.map((c) =>
        this.rawInspect(c.Id)
          .catch((err: unknown) => {
            if (isStatus(err, 404)) return undefined; // removed meanwhile
            throw toRuntimeError(err, 'Unknown', `failed to inspect ${c.Id}`);
          }),
      ),
    );
    return infos.filter((i): i is Inspect => i !== undefined);
  }

  async createWithUniqueName(body: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(body);
    } catch (err) {
      // A leftover with the same name (dockershim did the same): add a random suffix.
      if (!isStatus(err, 409)) throw err;
      return this.docker.createContainer({ ...body, name: `${body.name}_${randomBytes(4).toString('hex')}` });
    }
  }

  /**
   * "repo@sha256:..." of an image when it came from a registry, else its id. An image pulled
   * under several names has one digest per repository: the one of `image` (the container's
   * reference) wins.
   */
  async imageRef(imageId: string, image?: string): Promise<string> {
    let repo: string | undefined;
    try {
      if (image && !/^sha256:/.test(image)) repo = parseImageReference(image).familiar.replace(/[:@][^/]*$/, '');
    } catch {
      repo = undefined;
    }
    const key = `${imageId} ${repo ?? ''}`;
    const cached = this.imageRefs.get(key);
    if (cached) return cached;
    const undigested = this.undigested.get(key);
    if (undigested !== undefined && Date.now() - undigested < UNDIGESTED_RECHECK_MS) return imageId;
    try {
      const i = await this.docker.getImage(imageId).inspect();
      const digests = i.RepoDigests ?? [];
      const ref = (repo && digests.find((d) => d.slice(0, d.lastIndexOf('@')) === repo)) || digests[0] || imageId;
      if (digests.length) this.imageRefs.set(key, ref);
      else this.undigested.set(key, Date.now());
      return ref;
    } catch {
      return imageId;
    }
  }
}
