// One error type for every failed API call: the server's metav1.Status when it sent one.
import type { Status, StatusCause, StatusReason } from '../../../../api/index.js';

/** A failed request to a cluster's API; `status` is the decoded metav1.Status when the body was one. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly status?: Status;

  constructor(code: number, message: string, status?: Status, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.reason = status?.reason ?? '';
  }

  /** The field errors of a 422 Invalid (or any Status with causes). */
  get causes(): StatusCause[] {
    return this.status?.details?.causes ?? [];
  }
}

export function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status' && typeof (body as { code?: unknown }).code === 'number';
}

/** Builds an ApiError from an HTTP status and the response text (JSON Status or anything else). */
export function apiErrorFrom(httpStatus: number, bodyText: string, statusText = ''): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return new ApiError(parsed.code || httpStatus, parsed.message ?? statusText, parsed);
  const text = bodyText.trim();
  return new ApiError(httpStatus, text && text.length < 500 ? text : `${httpStatus} ${statusText}`.trim());
}

export const isNotFound = (err: unknown): boolean => err instanceof ApiError && (err.reason === 'NotFound' || (err.code === 404 && !err.reason));
export const isConflict = (err: unknown): boolean => err instanceof ApiError && err.reason === 'Conflict';
export const isAlreadyExists = (err: unknown): boolean => err instanceof ApiError && err.reason === 'AlreadyExists';
export const isUnauthorized = (err: unknown): boolean => err instanceof ApiError && err.code === 401;
export const isGone = (err: unknown): boolean => err instanceof ApiError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
export const isInvalid = (err: unknown): boolean => err instanceof ApiError && err.reason === 'Invalid';

/** A readable one-line message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
