// ImageService of the FakeRuntime: local images and a registry (with credentials for private
// images) that pulls come from.
import type { ImageStatus, ImageSummary, RegistryAuth, ImageService } from '../../container-runtime.js';
import { parseImageReference, type ImageReference } from '../../image-reference.js';
import { RuntimeError } from '../../runtime-error.js';
import type { FakeImageSpec } from './types.js';
import { sha, toFile, normalizePath, type FakeNode, type FakeImage } from './node.js';

export class FakeImages implements ImageService {
  private readonly node: FakeNode;

  constructor(node: FakeNode) {
    this.node = node;
  }

  /** Makes an image present locally; returns its id. */
  addImage(ref: string, spec: FakeImageSpec = {}): string {
    const r = parseImageReference(ref);
    for (const img of this.node.images.values()) img.normalized.delete(r.normalized);
    const id = `sha256:${sha(++this.node.seq, 'image')}`;
    this.node.images.set(id, this.makeImage(id, r, spec, undefined));
    return id;
  }

  /** Makes an image pullable; with `auth`, only with those credentials. Returns its digest. */
  addRegistryImage(ref: string, spec: FakeImageSpec & { auth?: { username: string; password: string } } = {}): string {
    const r = parseImageReference(ref);
    const digest = `sha256:${sha(++this.node.seq, 'manifest')}`;
    this.node.registry.push({ ref: r, digest, spec, auth: spec.auth });
    return digest;
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    this.node.record('pullImage', ref, auth ? { serverAddress: auth.serverAddress } : undefined);
    const r = parseImageReference(ref);
    this.node.injected('pullImage', ref);
    const candidates = this.node.registry.filter(
      (i) => i.ref.repository === r.repository && (r.digest ? i.digest === r.digest : i.ref.normalized === r.normalized),
    );
    const found = candidates[candidates.length - 1];
    if (!found) {
      throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": manifest for ${r.familiar} not found: manifest unknown`);
    }
    if (found.auth) {
      let user = auth?.username;
      let pass = auth?.password;
      if (user === undefined && auth?.auth) {
        const d = Buffer.from(auth.auth, 'base64').toString();
        user = d.slice(0, d.indexOf(':'));
        pass = d.slice(d.indexOf(':') + 1);
      }
      if (user === undefined) throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": no basic auth credentials`);
      if (user !== found.auth.username || pass !== found.auth.password) {
        throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": unauthorized: authentication required`);
      }
    }
    // Same manifest pulled again: keep the id; a new tag of it joins the same image.
    let image = [...this.node.images.values()].find((i) => i.repoDigests.some((d) => d.endsWith('@' + found.digest)));
    if (!image) {
      const id = `sha256:${sha(++this.node.seq, 'image')}`;
      image = this.makeImage(id, found.ref, found.spec, found.digest);
      this.node.images.set(id, image);
    }
    for (const other of this.node.images.values()) if (other !== image) other.normalized.delete(r.normalized);
    if (!r.digest) {
      image.normalized.add(r.normalized);
      if (!image.repoTags.includes(r.familiar)) image.repoTags.push(r.familiar);
    }
    return this.imageView(image);
  }

  async imageStatus(ref: string): Promise<ImageStatus | undefined> {
    const image = this.findImage(ref);
    return image ? this.imageView(image) : undefined;
  }

  async listImages(): Promise<ImageSummary[]> {
    return [...this.node.images.values()].map((i) => ({ id: i.id, names: [...i.repoTags, ...i.repoDigests], sizeBytes: i.sizeBytes }));
  }

  async removeImage(ref: string): Promise<void> {
    this.node.record('removeImage', ref);
    const image = this.findImage(ref);
    if (image) this.node.images.delete(image.id);
  }

  private makeImage(id: string, r: ImageReference, spec: FakeImageSpec, digest: string | undefined): FakeImage {
    const now = this.node.clock.now();
    const files = spec.files ? new Map(Object.entries(spec.files).map(([p, v]) => [normalizePath(p), toFile(v, now)])) : undefined;
    const repoTags = r.digest ? [] : [r.familiar];
    const familiarRepo = r.familiar.replace(/[:@].*$/, '');
    return {
      id,
      repoTags,
      repoDigests: digest ? [`${familiarRepo}@${digest}`] : r.digest ? [`${familiarRepo}@${r.digest}`] : [],
      sizeBytes: spec.sizeBytes ?? [...(files?.values() ?? [])].reduce((n, f) => n + f.data.length, 0),
      config: { ...spec.config },
      files,
      normalized: new Set(r.digest ? [] : [r.normalized]),
    };
  }

  findImage(ref: string): FakeImage | undefined {
    if (/^sha256:[a-f0-9]{64}$/.test(ref)) return this.node.images.get(ref);
    const r = parseImageReference(ref);
    for (const i of this.node.images.values()) {
      if (r.digest) {
        if (i.repoDigests.some((d) => d.endsWith('@' + r.digest)) && parseImageReference(i.repoDigests[0]).repository === r.repository) return i;
      } else if (i.normalized.has(r.normalized)) return i;
    }
    return undefined;
  }

  private imageView(i: FakeImage): ImageStatus {
    return { id: i.id, repoTags: [...i.repoTags], repoDigests: [...i.repoDigests], sizeBytes: i.sizeBytes, config: structuredClone(i.config) };
  }
}
