// One mapping point from Docker Engine API failures to RuntimeError.
import type { RuntimeErrorReason } from '../container-runtime.js';
import { redact, RuntimeError } from '../runtime-error.js';

interface EngineFailure {
  statusCode?: number;
  code?: string;
  message: string;
}

/** The engine's own message ("No such container: ...") and HTTP status of a dockerode error. */
export function engineFailure(err: unknown): EngineFailure {
  if (err instanceof RuntimeError) return { message: err.message };
  const e = err as { statusCode?: number; code?: string; json?: unknown; message?: string; reason?: string };
  let message = '';
  const json = e?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    message = (json as { message: string }).message;
  } else if (typeof json === 'string' && json.trim() !== '') {
    message = json.trim();
  } else if (Buffer.isBuffer(json)) {
    message = json.toString('utf8').trim();
  }
  if (!message) message = String(e?.message ?? err);
  // dockerode prefixes "(HTTP code 404) no such container - "; the engine's text is after it.
  message = message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
  return { statusCode: e?.statusCode, code: e?.code, message };
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

export function isStatus(err: unknown, status: number): boolean {
  return (err as { statusCode?: number })?.statusCode === status;
}

/**
 * Wraps an engine failure: connection problems become RuntimeUnavailable, the rest `reason`
 * with `prefix: <engine message>`; `secrets` are redacted from the message.
 */
export function toRuntimeError(err: unknown, reason: RuntimeErrorReason, prefix: string, secrets: string[] = []): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const f = engineFailure(err);
  if (isUnavailable(err)) {
    return new RuntimeError('RuntimeUnavailable', redact(`cannot reach the Docker engine (${f.code}): ${f.message}`, secrets), { cause: err });
  }
  const r: RuntimeErrorReason = f.statusCode === 404 && reason === 'Unknown' ? 'NotFound' : reason;
  return new RuntimeError(r, redact(prefix ? `${prefix}: ${f.message}` : f.message, secrets));
}
