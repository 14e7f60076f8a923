// How tests run the `jobyard` command: the built dist/ (what `npm start` runs) when the test run
// built it (scripts/test.sh after the set-up sets JOBYARD_TEST_SERVER=dist), else the sources
// through tsx, so a quick local loop needs no build. The built one also starts in half the CPU
// time, which the 2-core CI machine feels over the ~100 servers a run starts.
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** Node's arguments before jobyard's own: `spawn(process.execPath, [...JOBYARD_CLI, 'server', ...])`. */
export const JOBYARD_CLI: readonly string[] =
  process.env.JOBYARD_TEST_SERVER === 'dist' ? [join(REPO_ROOT, 'dist', 'cmd', 'jobyard.js')] : ['--import', 'tsx', join(REPO_ROOT, 'cmd', 'jobyard.ts')];
