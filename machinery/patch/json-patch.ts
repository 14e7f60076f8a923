// JSON patch (RFC 6902), as the API server applies Content-Type: application/json-patch+json.
// A malformed patch document is a 400 BadRequest; an operation that cannot be applied
// (missing path, failed `test`) is a 422 Invalid, as upstream answers, with a message that
// names the operation and the path.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { StatusError, badRequest, failureStatus } from '../status-error.js';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks the shape of a JSON patch document; throws badRequest describing the first problem. */
export function decodeJsonPatch(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  ops.forEach((op, i) => {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) throw badRequest(`invalid JSON patch: operation ${i} is not an object`);
    const o = op as Record<string, unknown>;
    if (typeof o.op !== 'string' || !OPS.has(o.op)) throw badRequest(`Unexpected kind: ${String(o.op)}`);
    if (typeof o.path !== 'string') throw badRequest(`invalid JSON patch: operation ${i} (${o.op}) is missing a string "path"`);
    if (o.path !== '' && !o.path.startsWith('/')) throw badRequest(`invalid JSON patch: operation ${i} (${o.op}): path ${JSON.stringify(o.path)} must start with "/"`);
    if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') throw badRequest(`invalid JSON patch: operation ${i} (${o.op}) is missing a string "from"`);
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !('value' in o)) throw badRequest(`invalid JSON patch: operation ${i} (${o.op}) is missing "value"`);
  });
  return ops as Operation[];
}

function unprocessable(message: string): StatusError {
  return new StatusError(failureStatus(422, 'Invalid', message));
}

function describe(err: { name?: string; index?: number; operation?: Operation }): string {
  const op = err.operation;
  const path = op?.path ?? '';
  const from = op && 'from' in op ? op.from : '';
  switch (err.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      return `${op?.op} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op?.op} operation does not apply: doc is missing from path: ${JSON.stringify(from)}: missing value`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `add operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `${op?.op} operation does not apply: ${JSON.stringify(path)} is not a valid array index`;
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${op?.op} operation does not apply: index out of bounds at ${JSON.stringify(path)}`;
    default:
      return `${op?.op ?? 'patch'} operation ${err.index ?? ''} at ${JSON.stringify(path)} failed`;
  }
}

/** Applies an RFC 6902 patch to a copy of `original` (neither argument is modified). */
export function applyJsonPatch<T = unknown>(original: T, ops: unknown): T {
  const patch = decodeJsonPatch(ops);
  try {
    return jsonpatch.applyPatch(structuredClone(original), structuredClone(patch), true, true, true).newDocument as T;
  } catch (err) {
    if (err instanceof jsonpatch.JsonPatchError) throw unprocessable(describe(err as never));
    throw err;
  }
}
