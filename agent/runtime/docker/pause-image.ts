// The pod sandbox image, built in-process when the engine lacks it, so a machine needs
// nothing but Docker and a static busybox (Debian's busybox-static) to run pods: a one-file
// rootfs (/bin/busybox) whose entrypoint sleeps as PID 1 and exits at once on SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { RuntimeError } from '../runtime-error.js';
import type { TarEntry } from '../tar.js';

export const DEFAULT_PAUSE_IMAGE = 'jobyard/pause:latest';

/** Where a static busybox usually is. */
export const STATIC_BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/usr/lib/initramfs-tools/bin/busybox'];

/** The pause process: PID 1 ignores signals it has no handler for, so trap them. */
export const PAUSE_ENTRYPOINT = ['/bin/busybox', 'sh', '-c', "trap 'exit 0' TERM INT; while :; do /bin/busybox sleep 3600 & wait $!; done"];

/** Whether `bytes` is an ELF executable without a program interpreter (statically linked). */
export function isStaticELF(bytes: Buffer): boolean {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const u16 = (o: number) => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
  const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const phoff = is64 ? Number(le ? bytes.readBigUInt64LE(32) : bytes.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const off = phoff + i * phentsize;
    if (off + 4 > bytes.length) return false;
    if (u32(off) === PT_INTERP) return false;
  }
  return true;
}

/** The first static busybox found, as bytes. */
export function findStaticBusybox(candidates: string[] = STATIC_BUSYBOX_CANDIDATES): { path: string; bytes: Buffer } {
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    if (isStaticELF(bytes)) return { path, bytes };
  }
  throw new RuntimeError(
    'CreatePodSandboxError',
    `no static busybox found (looked at ${candidates.join(', ')}) to build the pause image: install busybox-static (apt-get install busybox-static)`,
  );
}

/** Files of an image made of one static busybox. */
export function busyboxRootfs(busybox: Buffer): TarEntry[] {
  return [
    { path: 'bin', type: 'directory' },
    { path: 'bin/busybox', type: 'file', data: busybox, mode: 0o755 },
    { path: 'etc', type: 'directory' },
    { path: 'tmp', type: 'directory', mode: 0o1777 },
  ];
}

/** Dockerfile instructions for the pause image's config. */
export function pauseImageChanges(): string[] {
  return [`ENTRYPOINT ${JSON.stringify(PAUSE_ENTRYPOINT)}`, 'LABEL jobyard.io/pause="true"'];
}
