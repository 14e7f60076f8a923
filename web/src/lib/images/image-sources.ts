// Where the image picker finds images: pluggable sources. Today the engine's images (reported by
// the node in status.images); configured registries' tags come later from a jobyard endpoint.
import type { Node } from '../../../../api/core.js';
import type { KubeClient } from '../k8s/client.js';
import { resources } from '../k8s/resources.js';

/** One repository with the tags a source knows. */
export interface ImageInfo {
  /** The reference without tag, as a pod would name it ("busybox", "127.0.0.1:5000/team/app"). */
  repository: string;
  tags: string[];
  sizeBytes?: number;
  /** The id of the source that listed it. */
  source: string;
}

export interface ImageSource {
  id: string;
  /** A message key for the source's name (e.g. 'images.source.engine'). */
  labelKey: 'images.source.engine' | 'images.source.registry';
  list(signal?: AbortSignal): Promise<ImageInfo[]>;
}

/** Short form of a reference the way people type it: docker.io/library/busybox → busybox. */
export function shortRepository(repo: string): string {
  if (repo.startsWith('docker.io/library/')) return repo.slice('docker.io/library/'.length);
  if (repo.startsWith('docker.io/')) return repo.slice('docker.io/'.length);
  return repo;
}

/**
 * Repositories and tags from nodes' status.images[].names ("busybox:1.36", "repo@sha256:…"),
 * grouped by repository, digests skipped, sorted by repository with tags in name order.
 */
export function imagesFromNodes(nodes: readonly Node[]): ImageInfo[] {
  const byRepo = new Map<string, ImageInfo>();
  for (const n of nodes) {
    for (const img of n.status?.images ?? []) {
      for (const name of img.names ?? []) {
        if (name.includes('@') || name === '<none>:<none>') continue;
        const slash = name.lastIndexOf('/');
        const colon = name.lastIndexOf(':');
        const repo = shortRepository(colon > slash ? name.slice(0, colon) : name);
        const tag = colon > slash ? name.slice(colon + 1) : 'latest';
        const info = byRepo.get(repo) ?? { repository: repo, tags: [], sizeBytes: img.sizeBytes, source: 'engine' };
        if (!info.tags.includes(tag)) info.tags.push(tag);
        byRepo.set(repo, info);
      }
    }
  }
  const list = [...byRepo.values()];
  for (const i of list) i.tags.sort((a, b) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b, undefined, { numeric: true })));
  return list.sort((a, b) => a.repository.localeCompare(b.repository));
}

/** The images the cluster's nodes already have. */
export function engineImageSource(client: KubeClient): ImageSource {
  return {
    id: 'engine',
    labelKey: 'images.source.engine',
    async list(signal) {
      const nodes = await client.list(resources.nodes, { signal });
      return imagesFromNodes(nodes.items);
    },
  };
}

/** The tags of one repository across sources. */
export function tagsOf(images: readonly ImageInfo[], repository: string): string[] {
  const repo = shortRepository(repository.trim());
  const tags = new Set<string>();
  for (const i of images) if (i.repository === repo) for (const t of i.tags) tags.add(t);
  return [...tags];
}
