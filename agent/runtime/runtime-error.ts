// The one error type of the runtime boundary: engine failures become a RuntimeError whose
// `reason` the agent copies into the container's waiting reason (ErrImagePull, ...).
import type { RegistryAuth, RuntimeErrorReason } from './container-runtime.js';

export class RuntimeError extends Error {
  readonly reason: RuntimeErrorReason;

  constructor(reason: RuntimeErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.reason = reason;
  }
}

export function isRuntimeError(err: unknown, reason?: RuntimeErrorReason): err is RuntimeError {
  return err instanceof RuntimeError && (reason === undefined || err.reason === reason);
}

export function isNotFoundError(err: unknown): boolean {
  return isRuntimeError(err, 'NotFound');
}

const REDACTED = '[redacted]';

/** Every string in `auth` that could leak a secret, including the forms engines echo. */
export function secretsOf(auth: RegistryAuth | undefined): string[] {
  if (!auth) return [];
  const out: string[] = [];
  const push = (s: string | undefined) => {
    if (s && s.length >= 3) out.push(s);
  };
  push(auth.password);
  push(auth.auth);
  push(auth.identityToken);
  push(auth.registryToken);
  if (auth.username !== undefined && auth.password !== undefined) {
    push(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
  }
  if (auth.auth) {
    // "user:password" decoded, and the password on its own.
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    push(decoded);
    const i = decoded.indexOf(':');
    if (i >= 0) push(decoded.slice(i + 1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return out.sort((a, b) => b.length - a.length);
}

/** Replaces each secret in text; a message built from engine output goes through this. */
export function redact(text: string, secrets: string[]): string {
  let s = text;
  for (const secret of secrets) s = s.split(secret).join(REDACTED);
  return s;
}
