// The ResourceDefinition of one served version of a CustomResourceDefinition (upstream: the
// crdInfo the CRD handler builds per CRD): names from the accepted names, bodies decoded as
// unstructured (metadata as ObjectMeta, pruned and defaulted by the structural schema),
// validation against the schema (422 with field paths), /status when declared, and the
// printer columns as the Table kubectl prints. Every served version shares one storage key
// (group/plural); with conversion None a read through another version only changes apiVersion,
// which the registry's withTypeMeta does.
import type { CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceDefinitionVersion, JSONSchemaProps, KubeObject, TableColumnDefinition } from '../../../api/index.js';
import { META, definitions } from '../../../api/schema/index.js';
import { type FieldError, badRequest, methodNotAllowed, translateTimestampSince } from '../../../machinery/index.js';
import { checkAgainstSchema, decodeLikeGo, strictDecodingMessage, unknownFieldWarning } from '../../../machinery/schema-check.js';
import type { ResourceDefinition, ResourceStrategy, StatusStrategy, SubresourceDefinition, TableConvertor, UnstructuredCodec } from '../resource.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { NAME_COLUMN, AGE_COLUMN } from '../table.js';
import { withoutKubeFinalizerRule } from '../customresourcedefinitions/index.js';
import { applyDefaults } from './defaulting.js';
import { evaluateJsonPath } from './jsonpath.js';
import { prune } from './pruning.js';
import { validateValue } from './schema-validation.js';
import { schemaValidator, validateRules } from './cel/index.js';
import { scaleSubresource } from './scale.js';

const OBJECT_META = { type: 'ref', ref: META + 'ObjectMeta' } as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The unstructured decoder of one version (see UnstructuredCodec). */
export function unstructuredCodec(kind: string, version: string, schema: JSONSchemaProps | undefined): UnstructuredCodec {
  return {
    decode(body, fieldValidation) {
      const obj = structuredClone(body) as Record<string, unknown>;
      const unknown: string[] = [];
      if (obj.metadata !== undefined && obj.metadata !== null) {
        const { unknownFields, typeErrors } = checkAgainstSchema(obj.metadata, OBJECT_META, definitions);
        if (typeErrors.length) throw badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${typeErrors[0]}`);
        unknown.push(...unknownFields.map((f) => `metadata.${f}`));
        obj.metadata = decodeLikeGo(obj.metadata, OBJECT_META, definitions);
      }
      if (!isObject(obj.metadata)) obj.metadata = {};
      if (!schema?.['x-kubernetes-preserve-unknown-fields'] || schema.properties) unknown.push(...prune(obj, schema));
      applyDefaults(obj, schema);
      const warnings: string[] = [];
      if (unknown.length) {
        if (fieldValidation === 'Strict') throw badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${strictDecodingMessage(unknown)}`);
        if (fieldValidation === 'Warn') warnings.push(...unknown.map(unknownFieldWarning));
      }
      return { obj: obj as KubeObject, warnings };
    },
  };
}

/** The object as its schema sees it: metadata is ObjectMeta's business, except name and generateName. */
function schemaView(obj: KubeObject): Record<string, unknown> {
  const { metadata, ...rest } = obj;
  const meta = { name: metadata?.name, generateName: metadata?.generateName };
  return { ...rest, metadata: JSON.parse(JSON.stringify(meta)) as unknown };
}

/**
 * Validation of the whole object against the schema, paths from the root ("spec.replicas"),
 * then its x-kubernetes-validations rules (old: the stored object, for transition rules), as
 * upstream's customResourceStrategy runs the schema validator and then the CEL validator.
 */
function validateAgainstSchema(obj: KubeObject, schema: JSONSchemaProps | undefined, old?: KubeObject): FieldError[] {
  if (!schema) return [];
  const errs: FieldError[] = [];
  const view = schemaView(obj);
  validateValue(view, schema, '', errs);
  errs.push(...validateRules(schemaValidator(schema), view, old ? schemaView(old) : undefined));
  return errs;
}

/** Everything but metadata and status: what a generation bump follows (upstream: spec changes). */
function withoutMetaAndStatus(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function strategyOf(namespaced: boolean, schema: JSONSchemaProps | undefined, hasStatus: boolean, terminating: boolean): ResourceStrategy {
  const validate = (obj: KubeObject) => [...withoutKubeFinalizerRule(validateObjectMeta(obj.metadata, { namespaced, nameFn: nameIsDNSSubdomain })), ...validateAgainstSchema(obj, schema)];
  return {
    prepareForCreate(obj) {
      // Upstream's CRD handler while the CRD is being deleted.
      if (terminating) throw methodNotAllowed('create not allowed while custom resource definition is terminating');
      if (hasStatus) delete obj.status;
      obj.metadata.generation = 1;
    },
    prepareForUpdate(obj, old) {
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = structuredClone(old.status);
      }
      const changed = hasStatus ? !semanticEqual(withoutMetaAndStatus(obj), withoutMetaAndStatus(old)) : !semanticEqual({ ...withoutMetaAndStatus(obj), status: obj.status }, { ...withoutMetaAndStatus(old), status: old.status });
      if (changed) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
    validate,
    validateUpdate: (obj, old) => [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...withoutKubeFinalizerRule(validateObjectMeta(obj.metadata, { namespaced, nameFn: nameIsDNSSubdomain })),
      ...validateAgainstSchema(obj, schema, old),
    ],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  };
}

function statusStrategyOf(schema: JSONSchemaProps | undefined): StatusStrategy {
  return {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
    },
    validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateAgainstSchema(obj, schema, old)],
  };
}

/** A cell as upstream's CRD table convertor makes it: dates as ages, several values joined by ",". */
function cell(obj: KubeObject, col: CustomResourceColumnDefinition, now: Date): unknown {
  const values = evaluateJsonPath(obj, col.jsonPath.startsWith('.') || col.jsonPath.startsWith('{') ? col.jsonPath : `.${col.jsonPath}`);
  if (!values.length) return null;
  if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  const v = values[0];
  if (col.type === 'date' && typeof v === 'string') return translateTimestampSince(v, now);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return v;
}

/** kubectl get's columns: NAME, then the version's additionalPrinterColumns (none: AGE). */
export function printerColumnsTable(columns: CustomResourceColumnDefinition[] | undefined): TableConvertor {
  const cols: CustomResourceColumnDefinition[] = columns?.length ? columns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  const definitions: TableColumnDefinition[] = [
    NAME_COLUMN,
    ...cols.map((c) =>
      c.name === 'Age' && c.jsonPath === '.metadata.creationTimestamp' && !c.description
        ? { ...AGE_COLUMN, type: 'date' }
        : { name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 },
    ),
  ];
  return {
    columns: definitions,
    cells: (obj, now) => [obj.metadata.name, ...cols.map((c) => cell(obj, c, now))],
  };
}

/** The openAPIV3Schema behind each custom resource definition (OpenAPI documents, kubectl explain). */
const schemas = new WeakMap<ResourceDefinition, JSONSchemaProps>();

export function openAPIV3SchemaOf(def: ResourceDefinition): JSONSchemaProps | undefined {
  return schemas.get(def);
}

/** The definitions of a CRD's served versions (the storage version's form is what is stored). */
export function customResourceDefinitionsOf(crd: CustomResourceDefinition, opts: { terminating?: boolean; allVersions?: boolean } = {}): ResourceDefinition[] {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : spec.names;
  const namespaced = spec.scope === 'Namespaced';
  return spec.versions
    .filter((v) => v.served || opts.allVersions)
    .map((v: CustomResourceDefinitionVersion): ResourceDefinition => {
      const schema = v.schema?.openAPIV3Schema;
      const kind = names.kind ?? spec.names.kind ?? '';
      const hasStatus = !!v.subresources?.status;
      const subresources: SubresourceDefinition[] = [];
      if (v.subresources?.scale) subresources.push(scaleSubresource(v.subresources.scale));
      const def: ResourceDefinition = {
        names: {
          group: spec.group,
          version: v.name,
          resource: names.plural ?? '',
          singular: names.singular ?? kind.toLowerCase(),
          kind,
          listKind: names.listKind ?? `${kind}List`,
          namespaced,
          shortNames: names.shortNames,
          categories: names.categories,
        },
        strategy: strategyOf(namespaced, schema, hasStatus, !!opts.terminating),
        status: hasStatus ? statusStrategyOf(schema) : undefined,
        table: printerColumnsTable(v.additionalPrinterColumns),
        schema: { type: 'any' },
        unstructured: unstructuredCodec(kind, v.name, schema),
        subresources,
      };
      if (schema) schemas.set(def, schema);
      return def;
    });
}
