import { describe, expect, it } from 'vitest';
import type { Node } from '../../../../api/core.js';
import { imagesFromNodes, shortRepository, tagsOf } from './image-sources.js';

const node = (images: { names: string[]; sizeBytes?: number }[]): Node => ({ metadata: { name: 'local' }, status: { images } });

describe('imagesFromNodes', () => {
  it('groups tags by repository, shortens Docker Hub names, skips digests', () => {
    const images = imagesFromNodes([
      node([
        { names: ['docker.io/library/busybox:1.36', 'busybox:latest', 'busybox@sha256:abc'], sizeBytes: 1000 },
        { names: ['127.0.0.1:5000/team/app:v10', '127.0.0.1:5000/team/app:v9'] },
        { names: ['jobyard/pause:latest'] },
      ]),
      node([{ names: ['busybox:1.36'] }]),
    ]);
    expect(images).toEqual([
      { repository: '127.0.0.1:5000/team/app', tags: ['v9', 'v10'], sizeBytes: undefined, source: 'engine' },
      { repository: 'busybox', tags: ['latest', '1.36'], sizeBytes: 1000, source: 'engine' },
      { repository: 'jobyard/pause', tags: ['latest'], sizeBytes: undefined, source: 'engine' },
    ]);
  });

  it('lists the tags of a repository however it is typed', () => {
    const images = imagesFromNodes([node([{ names: ['busybox:1.36', 'busybox:latest'] }])]);
    expect(tagsOf(images, 'docker.io/library/busybox')).toEqual(['latest', '1.36']);
    expect(tagsOf(images, 'alpine')).toEqual([]);
    expect(shortRepository('docker.io/bitnami/redis')).toBe('bitnami/redis');
  });
});
