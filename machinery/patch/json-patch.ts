// JSON patch (RFC 6902), as the API server applies Content-Type: application/json-patch+json.
// A malformed patch document is a 400 BadRequest; an operation that cannot be applied
// (missing path, failed `test`) is a 422 Invalid, as upstream answers, with a message that
// names the operation and the path.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { StatusError, badRequest, failureStatus, tooLarge } from '../status-error.js';

/** Upstream's maxJSONPatchOperations: a longer patch is refused (413) before it is applied. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;
/**
 * The most a patch's copy operations may add to the object, in bytes of JSON (upstream's
 * json-patch AccumulatedCopySizeLimit): thirty copies of a doubling value would need gigabytes.
 */
export const MAX_COPY_BYTES = 3 * 1024 * 1024;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks the shape of a JSON patch document; throws badRequest describing the first problem. */
export function decodeJsonPatch(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
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
  // Paths are echoed as upstream does, but a pointer of megabytes is cut short.
  const cut = (p: string) => (p.length > 256 ? `${p.slice(0, 256)}...` : p);
  const path = cut(op?.path ?? '');
  const from = cut(op && 'from' in op ? op.from : '');
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
  let doc = structuredClone(original) as unknown;
  let copied = 0;
  try {
    patch.forEach((op, index) => {
      if (op.op === 'copy') {
        copied += JSON.stringify(jsonpatch.getValueByPointer(doc, op.from) ?? null).length;
        if (copied > MAX_COPY_BYTES) {
          throw tooLarge(`Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${MAX_COPY_BYTES}`);
        }
      }
      // One operation at a time, on our own copy; `__proto__`/`constructor` paths are refused.
      doc = jsonpatch.applyOperation(doc, structuredClone(op), true, true, true, index).newDocument;
    });
    return doc as T;
  } catch (err) {
    if (err instanceof StatusError) throw err;
    if (err instanceof jsonpatch.JsonPatchError) throw unprocessable(describe(err as never));
    if (err instanceof TypeError && /__proto__|prototype/.test(err.message)) {
      throw unprocessable('the patch may not modify __proto__, constructor or prototype: use a merge patch for such a data key');
    }
    throw err;
  }
}
