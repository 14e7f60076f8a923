// SchemaCodec: decodes request bodies against the wire schema (kind/apiVersion, wire types,
// unknown fields per fieldValidation) and applies the three patch types. Upstream does
// this while decoding into Go structs; we do it with the schema in api/schema.
import type { KubeObject } from '../../api/index.js';
import { definitions } from '../../api/schema/index.js';
import { badRequest, invalid, fieldErrors, StatusError } from '../../machinery/index.js';
import { checkAgainstSchema, decodeLikeGo } from '../../machinery/schema-check.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../machinery/patch/index.js';
import type { Codec, FieldValidation, PatchType } from './generic-registry.js';
import type { ResourceDefinition } from './resource.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class SchemaCodec implements Codec {
  decode(def: ResourceDefinition, body: unknown, fieldValidation: FieldValidation): { obj: KubeObject; warnings: string[] } {
    const { kind, version, group } = def.names;
    const apiVersion = group ? `${group}/${version}` : version;
    const cannotHandle = (detail: string) => badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`);
    if (!isPlainObject(body)) throw cannotHandle(`json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct`);
    // Type meta is read first (upstream's version/kind probe): a value that is not a string is a decoding error.
    for (const field of ['apiVersion', 'kind'] as const) {
      const v = body[field];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        throw badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v} into Go struct field .${field} of type string`);
      }
    }
    if (body.apiVersion !== undefined && body.apiVersion !== null && body.apiVersion !== apiVersion) {
      throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
    }
    if (body.kind !== undefined && body.kind !== null && body.kind !== kind) {
      throw badRequest(`${String(body.kind)} in version "${version}" cannot be handled as a ${kind}: no kind "${String(body.kind)}" is registered for the expected kind`);
    }
    // Custom resources: the CRD's structural schema decides (pruning, defaults).
    if (def.unstructured) return def.unstructured.decode(body, fieldValidation);
    const { unknownFields, typeErrors } = checkAgainstSchema(body, def.schema, definitions);
    if (typeErrors.length) throw cannotHandle(typeErrors[0]);
    const warnings: string[] = [];
    if (unknownFields.length) {
      const text = unknownFields.map((f) => `unknown field "${f}"`);
      if (fieldValidation === 'Strict') throw cannotHandle(`strict decoding error: ${text.join(', ')}`);
      if (fieldValidation === 'Warn') warnings.push(...text);
    }
    // Upstream's Go structs cannot hold unknown fields (dropped either way) nor a null list
    // element (the zero value): the copy holds what they would.
    const obj = decodeLikeGo(body, def.schema, definitions) as unknown as KubeObject;
    obj.apiVersion = apiVersion;
    obj.kind = kind;
    if (!isPlainObject(obj.metadata)) obj.metadata = {};
    return { obj, warnings };
  }

  applyPatch(def: ResourceDefinition, original: KubeObject, type: PatchType, patch: unknown): KubeObject {
    try {
      switch (type) {
        case 'merge':
          if (!isPlainObject(patch)) throw badRequest('json: cannot unmarshal a merge patch that is not a JSON object');
          return applyMergePatch(original, patch) as KubeObject;
        case 'json':
          if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
          return applyJsonPatch(original, patch) as KubeObject;
        case 'strategic':
          if (def.unstructured) throw strategicMergeUnsupported();
          if (!isPlainObject(patch)) throw badRequest('json: cannot unmarshal a strategic merge patch that is not a JSON object');
          return applyStrategicMergePatch(original, patch, def.schema, definitions) as KubeObject;
        case 'apply':
          // Server-side apply merges by the schema and owns fields: the field manager's (field-manager.ts).
          throw new Error('an apply patch is applied by the field manager, not the codec');
      }
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw invalid(def.names.kind, def.names.group, original.metadata.name ?? '', [fieldErrors.invalid('patch', null, (err as Error).message)]);
    }
  }
}

/** Upstream's answer to a strategic merge patch of a custom resource (no Go struct carries its merge keys). */
function strategicMergeUnsupported(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    code: 415,
  });
}
