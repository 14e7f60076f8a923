// The engine connection the parts of DockerRuntime share: one dockerode client, what the
// runtime remembers about the engine (OOM events, image digests), and the lookups every part
// makes (inspect a container of ours, list them, create one under dockershim's name).
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { ANNOTATION_LABEL_PREFIX, LABEL_CONTAINER_TYPE, type ContainerStatus, type ContainerType } from '../container-runtime.js';
import { parseImageReference } from '../image-reference.js';
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

export class DockerEngine {
  readonly docker: Docker;
  private readonly imageRefs = new Map<string, string>();
  /**
   * Containers for which an `oom` event was seen. containerd publishes the OOM and the exit
   * of a task separately; when the exit wins, dockerd never sets State.OOMKilled. The kubelet
   * syncs the pod again on the `oom` event, and then reads OOMKilled from here (containerd's
   * CRI does the same: it rewrites the exit reason when a late TaskOOM arrives).
   */
  readonly oomKilled = new Set<string>();

  constructor(docker: Docker | Docker.DockerOptions | undefined) {
    this.docker = docker instanceof Docker ? docker : new Docker(docker);
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
      info = await this.docker.getContainer(id).inspect();
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', `failed to inspect ${id}`);
    }
    if (info.Config.Labels?.[LABEL_CONTAINER_TYPE] !== type) {
      throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
    }
    return info;
  }

  async listInspected(labels: string[], id: string | undefined): Promise<Inspect[]> {
    let list: Docker.ContainerInfo[];
    try {
      const filters: Record<string, string[]> = { label: labels };
      if (id) filters.id = [id];
      list = await this.docker.listContainers({ all: true, filters });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list containers');
    }
    const infos = await Promise.all(
      list.map((c) =>
        this.docker
          .getContainer(c.Id)
          .inspect()
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
    try {
      const i = await this.docker.getImage(imageId).inspect();
      const digests = i.RepoDigests ?? [];
      const ref = (repo && digests.find((d) => d.slice(0, d.lastIndexOf('@')) === repo)) || digests[0] || imageId;
      if (digests.length) this.imageRefs.set(key, ref);
      return ref;
    } catch {
      return imageId;
    }
  }
}
