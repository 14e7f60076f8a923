// ImageService on the engine: pull (with registry credentials), inspect, list and remove
// images; import, tag and push for building the pause image and for tests; the pause image
// built from a static busybox when it is missing.
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ImageConfig, ImageService, ImageStatus, ImageSummary, RegistryAuth } from '../container-runtime.js';
import { parseImageReference } from '../image-reference.js';
import { decodeBasicAuth } from '../keyring.js';
import { RuntimeError, isRuntimeError, secretsOf } from '../runtime-error.js';
import { buildTar, type TarEntry } from '../tar.js';
import { followProgress, type DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';
import { busyboxRootfs, findStaticBusybox, pauseImageChanges } from './pause-image.js';

function toDockerAuth(auth: RegistryAuth | undefined, serverAddress: string): Record<string, string> | undefined {
  if (!auth) return undefined;
  const out: Record<string, string> = { serveraddress: auth.serverAddress ?? serverAddress };
  let { username, password } = auth;
  if (username === undefined && auth.auth) {
    const basic = decodeBasicAuth(auth.auth);
    if (basic) ({ username, password } = basic);
  }
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (auth.identityToken) out.identitytoken = auth.identityToken;
  if (auth.registryToken) out.registrytoken = auth.registryToken;
  return out;
}

export class DockerImages implements ImageService {
  private readonly engine: DockerEngine;
  readonly pauseImage: string;
  private readonly busyboxPaths: string[];
  private pauseReady: Promise<void> | undefined;

  constructor(engine: DockerEngine, pauseImage: string, busyboxPaths: string[]) {
    this.engine = engine;
    this.pauseImage = pauseImage;
    this.busyboxPaths = busyboxPaths;
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    const r = parseImageReference(ref);
    const secrets = secretsOf(auth);
    const authconfig = toDockerAuth(auth, r.domain);
    try {
      const opts = { fromImage: r.repository, tag: r.digest ?? r.tag ?? 'latest' };
      const stream = (await (authconfig ? this.engine.docker.createImage(authconfig, opts) : this.engine.docker.createImage(opts))) as NodeJS.ReadableStream;
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'ErrImagePull', `failed to pull image "${ref}"`, secrets);
    }
    const status = await this.imageStatus(ref);
    if (!status) throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": not present after the pull`);
    return status;
  }

  async imageStatus(ref: string): Promise<ImageStatus | undefined> {
    const name = /^sha256:[a-f0-9]{64}$/.test(ref) ? ref : parseImageReference(ref).normalized;
    try {
      const i = await this.engine.docker.getImage(name).inspect();
      const c = (i.Config ?? {}) as Partial<Docker.ImageInspectInfo['Config']>;
      const config: ImageConfig = {};
      if (c.Entrypoint) config.entrypoint = Array.isArray(c.Entrypoint) ? c.Entrypoint : [c.Entrypoint];
      if (c.Cmd) config.cmd = Array.isArray(c.Cmd) ? c.Cmd : [c.Cmd];
      if (c.Env) config.env = c.Env;
      if (c.WorkingDir) config.workingDir = c.WorkingDir;
      if (c.User) config.user = c.User;
      if (c.ExposedPorts) config.exposedPorts = Object.keys(c.ExposedPorts);
      if (c.Labels) config.labels = c.Labels;
      return { id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], sizeBytes: i.Size, config };
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw toRuntimeError(err, 'ImageInspectError', `failed to inspect image "${ref}"`);
    }
  }

  async listImages(): Promise<ImageSummary[]> {
    try {
      const images = await this.engine.docker.listImages();
      return images.map((i) => ({
        id: i.Id,
        names: [...(i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), ...(i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>')],
        sizeBytes: i.Size,
      }));
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list images');
    }
  }

  async removeImage(ref: string): Promise<void> {
    const name = /^sha256:[a-f0-9]{64}$/.test(ref) ? ref : parseImageReference(ref).normalized;
    try {
      await this.engine.docker.getImage(name).remove();
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'Unknown', `failed to remove image "${ref}"`);
    }
  }

  /** Builds an image from files (docker import); `changes` are Dockerfile instructions (ENTRYPOINT, ENV...). */
  async importImage(ref: string, files: TarEntry[], changes: string[] = []): Promise<ImageStatus> {
    const r = parseImageReference(ref);
    try {
      const stream = await this.engine.docker.importImage(Readable.from([buildTar(files)]), {
        repo: r.repository,
        tag: r.tag ?? 'latest',
        changes,
      } as object);
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to import image "${ref}"`);
    }
    const status = await this.imageStatus(ref);
    if (!status) throw new RuntimeError('Unknown', `image "${ref}" missing after import`);
    return status;
  }

  /** Adds a name to an image (docker tag). */
  async tagImage(source: string, target: string): Promise<void> {
    const r = parseImageReference(target);
    try {
      await this.engine.docker.getImage(parseImageReference(source).normalized).tag({ repo: r.repository, tag: r.tag ?? 'latest' });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to tag "${source}" as "${target}"`);
    }
  }

  /** Pushes an image to its registry (docker push). */
  async pushImage(ref: string, auth?: RegistryAuth): Promise<void> {
    const r = parseImageReference(ref);
    try {
      const image = this.engine.docker.getImage(r.repository);
      const stream = (await image.push({ tag: r.tag ?? 'latest', authconfig: toDockerAuth(auth, r.domain) })) as NodeJS.ReadableStream;
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to push "${ref}"`, secretsOf(auth));
    }
  }

  /** Makes sure the pause image exists, importing it from a static busybox when it does not. */
  ensurePauseImage(): Promise<void> {
    this.pauseReady ??= (async () => {
      if (await this.imageStatus(this.pauseImage)) return;
      const { bytes } = findStaticBusybox(this.busyboxPaths);
      await this.importImage(this.pauseImage, busyboxRootfs(bytes), pauseImageChanges());
    })().catch((err: unknown) => {
      this.pauseReady = undefined;
      throw isRuntimeError(err) ? new RuntimeError('CreatePodSandboxError', `pause image: ${err.message}`, { cause: err }) : err;
    });
    return this.pauseReady;
  }
}
