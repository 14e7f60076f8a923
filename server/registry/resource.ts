// What a resource is to the API server: its names (for discovery and URLs), its
// strategy (defaults, validation, what an update may change) and its table columns.
// One folder per resource under server/registry/ exports one ResourceDefinition.
// The GenericRegistry runs the fixed create/update/delete sequence over any of them.
import type { KubeObject, TableColumnDefinition, UserInfo } from '../../api/index.js';
import type { FieldError } from '../../machinery/index.js';
import type { Schema } from '../../api/schema/index.js';

export interface ResourceNames {
  group: string; // '' for core
  version: string;
  /** Plural, lower case: "jobs". */
  resource: string;
  singular: string;
  kind: string;
  /** Absent for create-only resources: upstream defines no List kind for them. */
  listKind?: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
}

/** Per-request facts a strategy may need. */
export interface RequestContext {
  now: Date;
  /** The request's namespace ('' for cluster-scoped resources). */
  namespace?: string;
  /** The authenticated caller (upstream: genericapirequest.UserFrom), when the handler knows it. */
  user?: UserInfo;
}

/**
 * The rules of one resource, as upstream's rest.RESTCreateStrategy / RESTUpdateStrategy.
 * Every method is pure and synchronous (no I/O), so it is tested with plain objects.
 */
export interface ResourceStrategy<T extends KubeObject = KubeObject> {
  /** SetDefaults_*: run on every decoded object (create, update, and the result of a patch). */
  defaults?(obj: T): void;
  /** Clear status, set generation 1, generate selectors... (metadata.uid and name are already set). */
  prepareForCreate(obj: T, ctx: RequestContext): void;
  /** Keep the old status, bump generation on a spec change. */
  prepareForUpdate(obj: T, old: T, ctx: RequestContext): void;
  validate(obj: T): FieldError[];
  validateUpdate(obj: T, old: T): FieldError[];
  /** Normalise after validation (e.g. drop Secret stringData into data). */
  canonicalize?(obj: T): void;
  warningsOnCreate?(obj: T): string[];
  warningsOnUpdate?(obj: T, old: T): string[];
  /** Whether PUT of a missing object creates it. */
  allowCreateOnUpdate: boolean;
  /** Whether PUT without metadata.resourceVersion is accepted (last write wins). */
  allowUnconditionalUpdate: boolean;
  /** Used when a DELETE names no propagationPolicy (batch/v1 Job: Orphan). */
  defaultGarbageCollectionPolicy?: 'Orphan' | 'Background';
  /**
   * Graceful deletion (upstream RESTGracefulDeleteStrategy): the seconds the object stays
   * with a deletionTimestamp before it may go; 0 deletes at once. Absent: always 0.
   * Pods: 0 when unscheduled or terminal, else the requested value or the pod's own.
   */
  deletionGracePeriodSeconds?(obj: T, requestedSeconds: number | undefined): number;
  /**
   * A deletion the resource completes itself (namespaces: phase Terminating until
   * spec.finalizers is empty). Called when a delete marks the object; mutates it and
   * returns true while it must stay.
   */
  beginDeletion?(obj: T): boolean;
  /** Blockers besides metadata.finalizers that keep a deleted object (namespaces: spec.finalizers). */
  hasPendingFinalizers?(obj: T): boolean;
}

/** The /status subresource: an update that may change only status (and some metadata). */
export interface StatusStrategy<T extends KubeObject = KubeObject> {
  /** Copy everything but status from old (upstream: "keep old spec"). */
  prepareForUpdate(obj: T, old: T, ctx: RequestContext): void;
  validateUpdate(obj: T, old: T): FieldError[];
}

/** Fields a field selector may name, with their values for one object (upstream GetAttrs). */
export type SelectableFields = (obj: KubeObject) => Record<string, string>;

/** Turns objects into rows of a meta.k8s.io/v1 Table (kubectl get's columns). */
export interface TableConvertor {
  columns: TableColumnDefinition[];
  /** One row's cells for one object; `now` makes AGE and DURATION testable. */
  cells(obj: KubeObject, now: Date): unknown[];
}

/**
 * A resource that answers a create by computing, and stores nothing: upstream's REST storage
 * that implements only rest.Creater (SelfSubjectAccessReview, SelfSubjectReview...).
 *
 * The handlers serve POST on the collection as decode (unknown fields per fieldValidation) →
 * strategy.defaults → strategy.validate (422 Invalid) → compute → 201 with the answer; dryRun
 * is accepted and answers the same, since nothing is stored either way. Any other method on
 * the collection path is 405 MethodNotAllowed, any other path (an object, a subresource, the
 * legacy /watch/ prefix) 404: upstream registers the create route only. Discovery and OpenAPI
 * list the verbs in `verbs`, which must be ["create"]: createOnlyResource() sets both.
 */
export interface CreateOnly<T extends KubeObject = KubeObject> {
  /** The answer to a decoded, defaulted and valid request (upstream's REST Create); may throw a StatusError. */
  compute(obj: T, ctx: RequestContext): KubeObject;
  /**
   * The kind a 422 names; defaults to names.kind. Upstream's review storages name the decoded
   * internal object's kind, which is empty, so their 422 reads `.authorization.k8s.io "" is
   * invalid: ...` and kubectl prints "The request is invalid: ...".
   */
  invalidKind?: string;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  names: ResourceNames;
  strategy: ResourceStrategy<T>;
  status?: StatusStrategy<T>;
  /** Fields beyond metadata.name / metadata.namespace that field selectors accept. */
  selectableFields?: SelectableFields;
  table?: TableConvertor;
  /** The wire schema: unknown-field detection, type checks, strategic merge keys, OpenAPI. */
  schema: Schema;
  /** Subresources served besides status (e.g. "log" for pods). */
  subresources?: string[];
  /** Verbs for discovery; defaults to the full set. */
  verbs?: string[];
  /** Set for create-only resources that compute an answer instead of storing (see CreateOnly). */
  createOnly?: CreateOnly<T>;
}
