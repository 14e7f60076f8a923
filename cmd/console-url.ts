// The console's sign-in link carries the token, so the server prints it once (when it makes the
// token) and never into a log again: `jobyard console-url` prints it on demand, from the data
// directory, where the running server records its console address (DIR/console-address).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from './data-dir.js';

const ADDRESS_FILE = 'console-address';

/** Where the console answers, e.g. http://127.0.0.1:6443 (no path, no token). */
export function writeConsoleAddress(dataDir: string, origin: string): void {
  writeFileSync(join(dataDir, ADDRESS_FILE), `${origin}\n`, { mode: PRIVATE_FILE_MODE });
}

/** The link that signs a browser in: GET /auth/login?token=... answers with a session cookie. */
export function signInUrl(origin: string, token: string): string {
  return `${origin}/auth/login?token=${encodeURIComponent(token)}`;
}

/** The sign-in link of the server that last ran with `dataDir`; fails saying what is missing. */
export function consoleSignInUrl(dataDir: string): string {
  const addressFile = join(dataDir, ADDRESS_FILE);
  const tokenFile = join(dataDir, 'token');
  if (!existsSync(tokenFile) || !existsSync(addressFile)) {
    throw new Error(`no jobyard server has run with the data directory ${dataDir} (${existsSync(tokenFile) ? addressFile : tokenFile} is missing): start one with jobyard server --data-dir ${dataDir}`);
  }
  const origin = readFileSync(addressFile, 'utf8').trim();
  const token = readFileSync(tokenFile, 'utf8').trim();
  return signInUrl(origin, token);
}
