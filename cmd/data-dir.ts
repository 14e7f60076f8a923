// The server's data directory holds every Secret (state.db), the token, the CA key and the
// kubeconfig: only its owner may read it. Fixed on every start, whatever an older version or
// a hand-made directory left: the directory and every directory in it 0700, every file 0600.
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Left as the node agent made them: the termination-log files it bind-mounts into containers
 * (agent/pods/<uid>/containers/...) must stay writable by the container's user, as the
 * kubelet's are (0666). Nobody else reaches them: their parents are 0700.
 */
const AGENT_POD_FILES = join('agent', 'pods');

/** mkdir -p `dir` 0700, then dirs 0700 and files 0600 all the way down (symlinks are left alone). */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  walk(dir, '');
}

function walk(root: string, rel: string): void {
  const path = rel ? join(root, rel) : root;
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    if ((st.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
    if (rel === AGENT_POD_FILES) return;
    for (const name of readdirSync(path)) walk(root, rel ? join(rel, name) : name);
  } else if (st.isFile() && (st.mode & 0o777) !== PRIVATE_FILE_MODE) {
    chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Creates `path` empty and 0600 when missing (0600 when present). Before SQLite opens a
 * database: it gives its -wal and -shm files the database file's own mode.
 */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}
