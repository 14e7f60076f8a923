// VolumeService of the CRI runtime: the CRI has no volumes, the kubelet keeps them on the host
// (host-volumes/: a directory per volume, a tmpfs for Memory, the atomic writer on the host).
// containers.ts turns `Mount { type: 'volume', source, subPath }` into a CRI bind mount of
// `hostPathOf(source, subPath)`.
import { HostVolumes } from '../host-volumes/index.js';

/** Where the CRI runtime keeps volumes by default. */
export const DEFAULT_CRI_VOLUME_ROOT = '/var/lib/jobyard/cri/volumes';

export class CriVolumes extends HostVolumes {
  /** Takes the runtime's shared context (CriContext): only its `volumeRoot` is used. */
  constructor(ctx: { volumeRoot?: string }) {
    super({ root: ctx.volumeRoot ?? DEFAULT_CRI_VOLUME_ROOT });
  }
}
