// What a resource is to the API server: its names (for discovery and URLs), its
// strategy (defaults, validation, what an update may change) and its table columns.
// One folder per resource under server/registry/ exports one ResourceDefinition.
// The GenericRegistry runs the fixed create/update/delete sequence over any of them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeleteOptions, KubeObject, TableColumnDefinition, UserInfo } from '../../api/index.js';
import type { PodLogProvider, PodStreamProvider } from '../../api/core-streams.js';
import type { ResourceMetricsProvider } from '../../api/metrics.js';
import type { FieldError, FieldRequirement, Selector } from '../../machinery/index.js';
import type { Schema } from '../../api/schema/index.js';
import type { ServiceAccountTokens } from '../serviceaccount/tokens.js';

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
  /** Why this object may never be deleted (the built-in PriorityClasses), else undefined: a DELETE answers 403. */
  forbidDeletion?(obj: T): string | undefined;
}

/**
 * The rules of an update through a subresource (upstream: the status, finalize and binding
 * strategies): they replace the resource's prepareForUpdate and validateUpdate.
 */
export interface SubresourceUpdateStrategy<T extends KubeObject = KubeObject> {
  /** Keep from old what the subresource may not change (status: everything but status). */
  prepareForUpdate(obj: T, old: T, ctx: RequestContext): void;
  validateUpdate(obj: T, old: T): FieldError[];
}

/**
 * Work a resource's storage does around a write besides its strategy (upstream's
 * genericregistry.Store BeginCreate and BeginUpdate): the Service storage allocates ClusterIPs and
 * NodePorts here. Called after defaulting and mutating admission, before prepareForCreate/Update
 * (not for subresources); may throw a StatusError to refuse. The finish it returns is called once,
 * with true when the write was stored (false when refused later, or a dry run).
 */
export interface StorageHooks<T extends KubeObject = KubeObject> {
  beginCreate?(obj: T, dryRun: boolean): ((stored: boolean) => void) | undefined;
  beginUpdate?(obj: T, old: T, dryRun: boolean): ((stored: boolean) => void) | undefined;
}

/** The /status subresource: an update that may change only status (and some metadata). */
export type StatusStrategy<T extends KubeObject = KubeObject> = SubresourceUpdateStrategy<T>;

/** What the API server reaches on the node (upstream: the kubelet connection): pods' logs and streams, resource usage. */
export interface NodeStreams {
  logs?: PodLogProvider;
  streams?: PodStreamProvider;
  metrics?: ResourceMetricsProvider;
}

/**
 * The registry as a subresource handler reaches other resources (pods/eviction: the pod's
 * PodDisruptionBudgets); GenericRegistry implements it. Calls run in one turn of the event
 * loop, so a read and the writes that follow it see no other request in between.
 */
export interface RegistryAccess {
  /** The stored object; throws NotFound. */
  get(def: ResourceDefinition, namespace: string, name: string): KubeObject;
  list(def: ResourceDefinition, req: { namespace?: string }): { items: KubeObject[] };
  guaranteedUpdate(def: ResourceDefinition, namespace: string, name: string, mutate: (obj: KubeObject) => void, opts?: { subresource?: string; dryRun?: boolean }): { object: KubeObject };
}

/** One request on a subresource with a handler of its own, as the generic handler hands it over. */
export interface SubresourceRequest {
  namespace: string;
  name: string;
  query: Record<string, string | string[] | undefined>;
  request: FastifyRequest;
  reply: FastifyReply;
  now: Date;
  node: NodeStreams;
  /** The issuer of service-account tokens (serviceaccounts/token); absent: none is issued. */
  serviceAccountTokens?: ServiceAccountTokens;
  /** The authenticated caller. */
  user?: UserInfo;
  /** The addressed object as stored; throws NotFound. */
  get(): KubeObject;
  /** Read-modify-write of the addressed object: the registry's update sequence with this subresource's update strategy. */
  guaranteedUpdate(mutate: (obj: KubeObject) => void, opts?: { dryRun?: boolean }): KubeObject;
  /** DELETE of the addressed object (graceful deletion, preconditions, finalizers). */
  delete(options: DeleteOptions, dryRun: boolean): { object: KubeObject; removed: boolean };
  /** Other resources. */
  registry: RegistryAccess;
  /** The request body (JSON or YAML; protobuf, as kubectl's typed clients send, needs the body's schema). */
  body(schema?: Schema): Promise<unknown>;
  /** Answers with a JSON body. */
  send(code: number, body: unknown): FastifyReply;
}

/**
 * How the OpenAPI documents describe a subresource that is neither read nor updated as an object:
 * 'text-get' is one GET answering text (pods/log); 'connect' is upstream's connect operations, a
 * GET for WebSocket clients and a POST for SPDY ones (pods/exec, pods/attach); 'create' is one POST
 * of a body of another kind (pods/eviction: policy/v1 Eviction).
 */
export interface SubresourceOpenAPI {
  form: 'text-get' | 'connect' | 'create';
  /** Query parameters, by their names in the OpenAPI builder's PARAMETERS. */
  query: string[];
  /** 'create': the definition of the body and of the answer, and its group, version and kind. */
  body?: { definition: string; group: string; version: string; kind: string };
}

/**
 * A subresource (upstream: the REST storage at "<resource>/<name>"). Either `update` (PUT and
 * PATCH run the update sequence with it; GET reads the object) or `handler` (every request).
 */
export interface SubresourceDefinition<T extends KubeObject = KubeObject> {
  name: string;
  /** Verbs for discovery; a handler is called only for these (others: 405). */
  verbs: string[];
  /** The kind discovery names; defaults to the resource's. */
  kind?: string;
  /** The group and version of that kind when not the resource's (pods/eviction: policy/v1 Eviction). */
  kindGroupVersion?: { group: string; version: string };
  update?: SubresourceUpdateStrategy<T>;
  handler?(req: SubresourceRequest): Promise<FastifyReply | void>;
  /** Its OpenAPI operations; absent: read, replace and patch of the object, as for status. */
  openapi?: SubresourceOpenAPI;
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
  /** Subresources served besides status, in discovery's order. */
  subresources?: SubresourceDefinition<T>[];
  /** Verbs for discovery; defaults to the full set. */
  verbs?: string[];
  /** Set for create-only resources that compute an answer instead of storing (see CreateOnly). */
  createOnly?: CreateOnly<T>;
  /** Set for custom resources: bodies are decoded with the CRD's schema, not the wire schema (see UnstructuredCodec). */
  unstructured?: UnstructuredCodec;
  /** Set for read-only resources computed on every read (see Computed). */
  computed?: Computed;
  /** Set when another resource's storage holds the objects, in that resource's form (see StorageConversion). */
  storedAs?: StorageConversion;
  /** Set for kinds served read-only and empty (see ReadOnly). */
  readOnly?: ReadOnly;
}

/**
 * A kind jobyard has no controller for, served honestly read-only and empty (readOnlyResource()):
 * discovery lists get, list and watch; list and watch answer from the store, where nothing is ever
 * written, and get is NotFound. Every write (create, update, patch, delete, deletecollection) is
 * upstream's 405 NewMethodNotSupported Status, followed by `why`. So kubectl's default prune
 * allow-list maps and `kubectl get all` works, and applying such a kind fails on that object alone.
 */
export interface ReadOnly {
  /** Why jobyard does not run it, after the Status message: "jobyard runs batch workloads (Jobs, CronJobs, Pods)". */
  why: string;
}

/**
 * A resource served from another one's storage in another version, as upstream serves
 * events.k8s.io/v1 Events from core/v1's (one storage, converted on the way in and out).
 * Strategies, tables and responses see this resource's form; selectors read the stored form.
 */
export interface StorageConversion {
  /** The storage key of the resource that stores the objects ("events"). */
  resource: string;
  /** apiVersion and kind of the stored form. */
  apiVersion: string;
  kind: string;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * A resource computed on every read and never stored: upstream's aggregated metrics.k8s.io
 * (metrics-server's PodMetrics, NodeMetrics). The handlers serve get and list with it; every
 * other verb is 405, and its `verbs` are ["get", "list"].
 */
export interface Computed {
  list(req: ComputedRequest): Promise<KubeObject[]>;
  /** Throws NotFound (StatusError) when there is nothing of that name. */
  get(req: ComputedRequest, name: string): Promise<KubeObject>;
}

export interface ComputedRequest {
  /** '' for every namespace (or a cluster-scoped resource). */
  namespace: string;
  labelSelector?: Selector;
  fieldSelector?: FieldRequirement[];
  node: NodeStreams;
  /** Reads of stored resources the answer derives from. */
  list(def: ResourceDefinition, req: { namespace?: string; labelSelector?: Selector; fieldSelector?: FieldRequirement[] }): KubeObject[];
  get(def: ResourceDefinition, namespace: string, name: string): KubeObject;
  now: Date;
}

/**
 * How a custom resource's body becomes an object (upstream's unstructured decoding in the CRD
 * handler): metadata as ObjectMeta, the rest pruned of fields the structural schema does not
 * name and defaulted from it. The generic codec checks apiVersion and kind first; strategic
 * merge patches are refused, as upstream refuses them for custom resources.
 */
export interface UnstructuredCodec {
  decode(body: Record<string, unknown>, fieldValidation: 'Strict' | 'Warn' | 'Ignore'): { obj: KubeObject; warnings: string[] };
}

/** The verbs discovery lists for /status (upstream's status REST storage: get, patch, update). */
const STATUS_VERBS = ['get', 'patch', 'update'];

/** Every subresource of a resource, /status first when it has one. */
export function subresourcesOf(def: ResourceDefinition): SubresourceDefinition[] {
  const status: SubresourceDefinition[] = def.status ? [{ name: 'status', verbs: STATUS_VERBS, update: def.status }] : [];
  return [...status, ...(def.subresources ?? [])];
}

/** The subresource of that name, or undefined. */
export function subresourceOf(def: ResourceDefinition, name: string): SubresourceDefinition | undefined {
  return subresourcesOf(def).find((s) => s.name === name);
}
