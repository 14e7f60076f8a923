// The node's file system as the agent needs it: hostPath type checks and creation, and the
// files it bind-mounts into containers (termination logs). Injected so that unit tests run
// against the FakeRuntime's host files instead of the real disk.
import { constants } from 'node:fs';
import { mkdir, open, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type HostFileType = 'file' | 'directory' | 'socket' | 'char' | 'block' | 'symlink' | 'fifo';

export interface HostFS {
  /** The type of what is at `path` (symlinks followed), or undefined when nothing is. */
  stat(path: string): Promise<HostFileType | undefined>;
  /** mkdir -p with this mode for created directories. */
  mkdir(path: string, mode: number): Promise<void>;
  /** Writes a file (parents created). */
  writeFile(path: string, data: Buffer | string, mode: number): Promise<void>;
  /** At most `maxBytes` of a file from its start; undefined when it does not exist. */
  readFile(path: string, maxBytes: number): Promise<Buffer | undefined>;
  /** rm -rf. */
  remove(path: string): Promise<void>;
  /** The path with every symlink resolved; rejects when it does not exist. Absent: paths are taken as written. */
  realpath?(path: string): Promise<string>;
}

/** The real file system of the machine the agent runs on. */
export const nodeFS: HostFS = {
  async stat(path) {
    try {
      const s = await stat(path);
      if (s.isFile()) return 'file';
      if (s.isDirectory()) return 'directory';
      if (s.isSocket()) return 'socket';
      if (s.isCharacterDevice()) return 'char';
      if (s.isBlockDevice()) return 'block';
      if (s.isFIFO()) return 'fifo';
      return undefined;
    } catch {
      return undefined;
    }
  },
  async mkdir(path, mode) {
    await mkdir(path, { recursive: true, mode });
  },
  async writeFile(path, data, mode) {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await writeFile(path, data, { mode });
  },
  async readFile(path, maxBytes) {
    let fh;
    try {
      fh = await open(path, constants.O_RDONLY);
    } catch {
      return undefined;
    }
    try {
      const buf = Buffer.alloc(maxBytes);
      const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  },
  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },
  realpath: (path) => realpath(path),
};
