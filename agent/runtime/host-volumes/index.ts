// Volumes as host directories (and tmpfs mounts) that containers get as bind mounts: the
// kubelet's way for a CRI runtime, usable by any runtime on this host.
export * from './host-volumes.js';
export { isMountPoint, mountUsers } from './mounts.js';
