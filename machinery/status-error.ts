// The one wire error type: a StatusError carries a metav1.Status, server-side and
// on errors a client decoded, so guards work the same on both sides.
import type { Status, StatusCause, StatusReason } from '../api/index.js';
import { type FieldError, fieldErrorBody, aggregateMessage } from './field-error.js';

export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

/** Builds a failure Status. */
export function failureStatus(code: number, reason: StatusReason, message: string, details?: Status['details']): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return status;
}

/** "jobs.batch" or "pods" as upstream names a group resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** "Job.batch" or "Pod" as upstream names a group kind in messages. */
export function qualifiedKind(kind: string, group: string): string {
  return group ? `${kind}.${group}` : kind;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError(
    failureStatus(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group, kind: resource }),
  );
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  return new StatusError(
    failureStatus(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group, kind: resource }),
  );
}

export function conflict(resource: string, group: string, name: string, detail: string): StatusError {
  return new StatusError(
    failureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${detail}`, {
      name,
      group,
      kind: resource,
    }),
  );
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function invalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const agg = aggregateMessage(errors);
  const message = `${qualifiedKind(kind, group)} "${name}" is invalid${agg ? `: ${agg}` : ''}`;
  return new StatusError(failureStatus(422, 'Invalid', message, { name, group, kind, causes }));
}

export function badRequest(message: string): StatusError {
  return new StatusError(failureStatus(400, 'BadRequest', message));
}

export function gone(message: string): StatusError {
  return new StatusError(failureStatus(410, 'Expired', message));
}

export function unauthorized(): StatusError {
  return new StatusError(failureStatus(401, 'Unauthorized', 'Unauthorized'));
}

export function forbidden(message: string): StatusError {
  return new StatusError(failureStatus(403, 'Forbidden', message));
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(failureStatus(405, 'MethodNotAllowed', message));
}

/**
 * Upstream's NewMethodNotSupported: `create is not supported on resources of kind "deployments.apps"`,
 * details naming the group and the resource. `why`, when given, follows after ": ".
 */
export function methodNotSupported(resource: string, group: string, action: string, why?: string): StatusError {
  const message = `${action} is not supported on resources of kind ${JSON.stringify(qualifiedResource(resource, group))}${why ? `: ${why}` : ''}`;
  return new StatusError(failureStatus(405, 'MethodNotAllowed', message, group ? { group, kind: resource } : { kind: resource }));
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json; got ${contentType}`));
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(failureStatus(406, 'NotAcceptable', message));
}

export function tooLarge(message: string): StatusError {
  return new StatusError(failureStatus(413, 'RequestEntityTooLarge', message));
}

export function internal(message: string): StatusError {
  return new StatusError(failureStatus(500, 'InternalError', `Internal error occurred: ${message}`));
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(failureStatus(503, 'ServiceUnavailable', message));
}

function reasonOf(err: unknown): string | undefined {
  if (err instanceof StatusError) return err.status.reason;
  if (err && typeof err === 'object' && 'status' in err) {
    const s = (err as { status: unknown }).status;
    if (s && typeof s === 'object' && 'reason' in s) return String((s as { reason: unknown }).reason);
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => reasonOf(err) === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err) === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonOf(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonOf(err) === 'Invalid';
export const isGone = (err: unknown): boolean => reasonOf(err) === 'Expired' || reasonOf(err) === 'Gone';
