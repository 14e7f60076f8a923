// ImageService through the CRI: pull (with credentials from the pod's pull secrets as the CRI's
// AuthConfig), status, list and remove. References go to the runtime fully qualified
// ("docker.io/library/busybox:1.36"), as the kubelet's are after applyDefaultImageTag; the
// runtime reports tags and digests that way. The image's config (ENTRYPOINT, CMD, env...) is
// read from the verbose status (containerd: the OCI image spec in info["info"]). Unlike
// `docker rmi <tag>`, the CRI's RemoveImage removes the image under every name it has (the
// kubelet's image GC removes by id).
import type { ImageConfig, ImageService, ImageStatus, ImageSummary, RegistryAuth } from '../container-runtime.js';
import { parseImageReference } from '../image-reference.js';
import { RuntimeError, isRuntimeError, redact, secretsOf } from '../runtime-error.js';
import type { CriContext } from './context.js';
import type { AuthConfig } from './generated/runtime/v1/AuthConfig.js';
import type { Image__Output } from './generated/runtime/v1/Image.js';

const IMAGE_ID = /^sha256:[a-f0-9]{64}$/;

/** The OCI image config as containerd's verbose image status gives it. */
interface OciImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, unknown> | null;
  Labels?: Record<string, string> | null;
}

/**
 * The server address as containerd compares it (url.Parse, then its host against the registry
 * host it resolved, else the credentials are not used): "127.0.0.1:5000" alone does not parse
 * as a URL, so it gets a scheme; Docker Hub's names are the host containerd talks to.
 */
export function criServerAddress(address: string | undefined): string {
  if (!address) return '';
  // The host as Go's url.Parse reads it: after the scheme, up to the path; ports kept as written (:443 too).
  let host = address.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
  if (host === 'index.docker.io' || host === 'docker.io') host = 'registry-1.docker.io';
  return host ? `https://${host}` : '';
}

export function criAuth(auth: RegistryAuth | undefined): AuthConfig | null {
  if (!auth) return null;
  return {
    username: auth.username ?? '',
    password: auth.password ?? '',
    auth: auth.auth ?? '',
    server_address: criServerAddress(auth.serverAddress),
    identity_token: auth.identityToken ?? '',
    registry_token: auth.registryToken ?? '',
  };
}

/** An image id as given, else the fully qualified reference (InvalidImageName when it is none). */
export function criImageName(ref: string): string {
  return IMAGE_ID.test(ref) ? ref : parseImageReference(ref).normalized;
}

function configOf(info: Record<string, string> | undefined): ImageConfig {
  const out: ImageConfig = {};
  let c: OciImageConfig | undefined;
  try {
    c = info?.info ? (JSON.parse(info.info) as { imageSpec?: { config?: OciImageConfig } }).imageSpec?.config : undefined;
  } catch {
    c = undefined;
  }
  if (!c) return out;
  if (c.Entrypoint) out.entrypoint = c.Entrypoint;
  if (c.Cmd) out.cmd = c.Cmd;
  if (c.Env) out.env = c.Env;
  if (c.WorkingDir) out.workingDir = c.WorkingDir;
  if (c.User) out.user = c.User;
  if (c.ExposedPorts) out.exposedPorts = Object.keys(c.ExposedPorts);
  if (c.Labels) out.labels = c.Labels;
  return out;
}

function statusOf(image: Image__Output, info: Record<string, string> | undefined): ImageStatus {
  return { id: image.id, repoTags: image.repo_tags, repoDigests: image.repo_digests, sizeBytes: image.size, config: configOf(info) };
}

export class CriImages implements ImageService {
  private readonly ctx: CriContext;

  constructor(ctx: CriContext) {
    this.ctx = ctx;
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    const name = criImageName(ref);
    const secrets = secretsOf(auth);
    try {
      // No deadline and not counted by the health check: a big image takes what it takes (the kubelet's pull has none either).
      await this.ctx.images.PullImage({ image: { image: name }, auth: criAuth(auth), sandbox_config: null }, { timeoutMs: 0, untracked: true, reason: 'ErrImagePull' });
    } catch (err) {
      const message = redact(err instanceof Error ? err.message : String(err), secrets);
      // Whatever the code (NotFound for a missing tag, Unknown for a refused login): a pull error to the kubelet.
      throw new RuntimeError(isRuntimeError(err, 'RuntimeUnavailable') ? 'RuntimeUnavailable' : 'ErrImagePull', `failed to pull image "${ref}": ${message}`);
    }
    const status = await this.imageStatus(ref);
    if (!status) throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": not present after the pull`);
    return status;
  }

  async imageStatus(ref: string): Promise<ImageStatus | undefined> {
    const name = criImageName(ref);
    let res;
    try {
      res = await this.ctx.images.ImageStatus({ image: { image: name }, verbose: true }, { reason: 'ImageInspectError' });
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) return undefined;
      throw err;
    }
    return res.image ? statusOf(res.image, res.info) : undefined;
  }

  async listImages(): Promise<ImageSummary[]> {
    const { images } = await this.ctx.images.ListImages({ filter: null });
    return images.map((i) => ({ id: i.id, names: [...i.repo_tags, ...i.repo_digests], sizeBytes: i.size }));
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.ctx.images.RemoveImage({ image: { image: criImageName(ref) } });
    } catch (err) {
      if (!isRuntimeError(err, 'NotFound')) throw err;
    }
  }
}
