// The resource REST surface: one generic handler for every group/version/resource.
// It parses the request, calls the GenericRegistry, and encodes the answer in the form
// the client asked for. It knows no resource: a subresource with a handler of its own is
// handed over (its ResourceDefinition declares it), any other is read and written here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeleteOptions, ResourceAttributes, Status, UserInfo, WatchEvent } from '../../api/index.js';
import type { ServiceAccountTokens } from '../serviceaccount/tokens.js';
import {
  type Clock,
  type FieldRequirement,
  type Selector,
  FieldSelectorParseError,
  SelectorParseError,
  StatusError,
  badRequest,
  errorMessage,
  failureStatus,
  methodNotAllowed,
  methodNotSupported,
  parseFieldSelector,
  parseLabelSelector,
} from '../../machinery/index.js';
import { type FieldValidation, type GenericRegistry, deleteSuccessStatus, withTypeMeta } from '../registry/generic-registry.js';
import { READ_ONLY_VERBS } from '../registry/read-only.js';
import { type NodeStreams, type ResourceDefinition, type SubresourceDefinition, subresourceOf } from '../registry/resource.js';
import { queryBool, queryInt64, queryOptionalBool, queryString, queryValues } from '../../machinery/query-params.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { noteResourceRequest } from '../metrics.js';
import { type IncludeObject, type RawBody, negotiate, parseBody, parseDeleteOptionsBody, parsePatch, partialList, partialMetadata, patchTypeOf, toTable } from './negotiation.js';

export interface ResourceHandlerDeps {
  registry: GenericRegistry;
  clock: Clock;
  /** Finds a served resource by group and plural (or short) name. */
  resolve(group: string, version: string, resource: string): ResourceDefinition | undefined;
  /** What subresource handlers reach on the node (upstream: the kubelet connection). */
  node: NodeStreams;
  /** The authenticated caller of a request (the reviews answer about it); undefined if unknown. */
  userOf?(request: FastifyRequest): UserInfo | undefined;
  /** Throws 403 when the caller may not make this request (upstream's authorization filter). */
  authorize?(request: FastifyRequest, attributes: ResourceAttributes): void;
  /** The issuer of service-account tokens (serviceaccounts/token). */
  serviceAccountTokens?: ServiceAccountTokens;
  /** Calls back after the served resources change (a CRD established or gone); returns the unsubscribe. */
  onServedChange?(listener: () => void): () => void;
  /** Seconds between BOOKMARK events on watches that allow them. */
  bookmarkIntervalSeconds: number;
  log: { error(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
}

/** Fastify's parsed query; every parameter is read as upstream's ParameterCodec reads it (machinery/query-params.ts). */
type Query = Record<string, string | string[] | undefined>;
const q = queryString;

export function sendStatusError(reply: FastifyReply, err: StatusError): FastifyReply {
  return reply.code(err.status.code).type('application/json').send(JSON.stringify(err.status));
}

function sendJson(reply: FastifyReply, code: number, body: unknown, warnings: string[] = []): FastifyReply {
  // One header with every warning: reply.header() replaces an earlier value of the same name.
  const values = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  if (values.length) reply.header('Warning', values.length === 1 ? values[0] : values);
  return reply.code(code).type('application/json').send(JSON.stringify(body));
}

function fieldValidationParam(query: Query): FieldValidation {
  const v = q(query, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}. Valid values are: Strict, Warn, Ignore`);
}

/** Who writes, for managedFields: fieldManager, else the User-Agent; and apply's force. */
function managerParams(request: FastifyRequest, query: Query): { fieldManager?: string; userAgent: string; force?: boolean } {
  return { fieldManager: q(query, 'fieldManager'), userAgent: request.headers['user-agent'] ?? '', force: queryOptionalBool(query, 'force') };
}

function dryRunParam(query: Query): boolean {
  const values = queryValues(query, 'dryRun');
  for (const x of values) {
    if (x !== 'All') throw badRequest(`dryRun: Unsupported value: "${x}": supported values: "All"`);
  }
  return values.length > 0;
}

function selectors(query: Query): { labels?: Selector; fields?: FieldRequirement[] } {
  try {
    const ls = q(query, 'labelSelector');
    const fs = q(query, 'fieldSelector');
    return { labels: ls ? parseLabelSelector(ls) : undefined, fields: fs ? parseFieldSelector(fs) : undefined };
  } catch (err) {
    if (err instanceof SelectorParseError || err instanceof FieldSelectorParseError) throw badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}

/** Registers the resource routes under /api/v1 and /apis/{group}/{version}. */
export function registerResourceRoutes(app: FastifyInstance, deps: ResourceHandlerDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Record<string, string>;
    const rest = (params['*'] ?? '').split('/');
    const group = params.group ?? '';
    const version = params.version ?? 'v1';
    const query = request.query as Query;
    const isResource = (segment: string) => deps.resolve(group, version, segment) !== undefined;
    const info = parseRequestInfo(request.method, group, version, rest, queryBool(query, 'watch'), isResource);
    if (!info) return notFoundResponse(reply);
    const def = deps.resolve(group, version, info.resource);
    if (!def) return notFoundResponse(reply);
    if (def.names.namespaced === false && info.namespace) return notFoundResponse(reply);
    deps.authorize?.(request, requestAttributes(info, def));
    noteResourceRequest(request, info, def);
    return serve(deps, def, info, request, reply, query);
  };
  for (const url of ['/api/v1/*', '/apis/:group/:version/*']) {
    app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url, handler });
  }
}

/**
 * upstream's authorizer attributes of a resource request. A Namespace object is in its own
 * namespace (RequestInfoFactory sets Namespace from /namespaces/{name}), so a namespaced role
 * may read it.
 */
function requestAttributes(info: RequestInfo, def: ResourceDefinition): ResourceAttributes {
  const ownNamespace = def.names.group === '' && def.names.resource === 'namespaces' && info.name !== '';
  return {
    verb: info.verb,
    group: def.names.group,
    version: def.names.version,
    resource: def.names.resource,
    subresource: info.subresource,
    name: info.name,
    namespace: ownNamespace ? info.name : info.namespace,
  };
}

/** go-restful's answer, through the apiserver's Status, to a method no route of the path takes. */
const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

export function notFoundResponse(reply: FastifyReply): FastifyReply {
  const status = failureStatus(404, 'NotFound', 'the server could not find the requested resource', {});
  return reply.code(404).type('application/json').send(JSON.stringify(status));
}

async function serve(
  deps: ResourceHandlerDeps,
  def: ResourceDefinition,
  info: RequestInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Query,
): Promise<FastifyReply | void> {
  const { registry, clock } = deps;
  const ns = info.namespace;
  if (def.names.namespaced && !ns && info.verb !== 'list' && info.verb !== 'watch') {
    // Namespaced objects are addressed under /namespaces/{ns}/; the collection of all
    // namespaces is only read (upstream routes no other method to it: 405).
    if (!info.name) throw methodNotAllowed(METHOD_NOT_ALLOWED);
    return notFoundResponse(reply);
  }
  // A collection is listed, watched, created in and deleted, never replaced or patched.
  if ((info.verb === 'update' || info.verb === 'patch') && !info.name) throw methodNotAllowed(METHOD_NOT_ALLOWED);
  if (def.createOnly) return serveCreateOnly(deps, def, info, request, reply, query);
  if (def.computed) return serveComputed(deps, def, info, request, reply, query);
  const sub = info.subresource;
  const subresource = sub ? subresourceOf(def, sub) : undefined;
  if (sub && !subresource) return notFoundResponse(reply);
  // A kind served read-only and empty: reads go to the (empty) store, every write is refused.
  if (def.readOnly && !READ_ONLY_VERBS.includes(info.verb)) throw methodNotSupported(def.names.resource, def.names.group, info.verb, def.readOnly.why);
  if (subresource?.handler) return serveSubresource(deps, def, subresource, info, request, reply, query);

  const form = negotiate(request.headers.accept);
  const include = (q(query, 'includeObject') ?? 'Metadata') as IncludeObject;
  const fieldValidation = () => fieldValidationParam(query);

  switch (info.verb) {
    case 'get': {
      const out = registry.get(def, ns, info.name);
      if (form.as === 'Table') return sendJson(reply, 200, toTable(def, [out], clock.now(), { include, version: form.version }));
      if (form.as === 'PartialObjectMetadata') return sendJson(reply, 200, partialMetadata(out, form.version));
      return sendJson(reply, 200, out);
    }
    case 'list': {
      const { labels, fields } = selectors(query);
      const list = registry.list(def, {
        namespace: ns,
        labelSelector: labels,
        fieldSelector: fields,
        limit: queryInt64(query, 'limit'),
        continue: q(query, 'continue'),
      });
      const listMeta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
      if (list.continue) listMeta.continue = list.continue;
      if (list.remainingItemCount !== undefined) listMeta.remainingItemCount = list.remainingItemCount;
      if (form.as === 'Table') {
        return sendJson(reply, 200, toTable(def, list.items, clock.now(), { include, version: form.version, listMeta }));
      }
      if (form.as === 'PartialObjectMetadata') return sendJson(reply, 200, partialList(def, list.items, form.version, listMeta));
      const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
      return sendJson(reply, 200, { kind: def.names.listKind, apiVersion, metadata: listMeta, items: list.items });
    }
    case 'watch':
      return serveWatch(deps, def, info, request, reply, query, form, include);
    case 'create': {
      if (sub) throw methodNotAllowed('the server does not allow this method on the requested resource');
      if (info.name) throw methodNotAllowed('the server does not allow this method on the requested resource');
      const body = await parseBody(request.headers['content-type'], request.body as RawBody, def.schema);
      const { object, warnings } = registry.create(def, ns, body, { dryRun: dryRunParam(query), fieldValidation: fieldValidation(), ...managerParams(request, query) });
      return sendJson(reply, 201, object, warnings);
    }
    case 'update': {
      const body = await parseBody(request.headers['content-type'], request.body as RawBody, def.schema);
      const { object, warnings } = registry.update(def, ns, info.name, body, {
        dryRun: dryRunParam(query),
        fieldValidation: fieldValidation(),
        subresource: sub || undefined,
        ...managerParams(request, query),
      });
      return sendJson(reply, 200, object, warnings);
    }
    case 'patch': {
      const type = patchTypeOf(request.headers['content-type'], !def.unstructured);
      const patch = await parsePatch(type, request.body as RawBody);
      const { object, warnings } = registry.patch(def, ns, info.name, type, patch, {
        dryRun: dryRunParam(query),
        fieldValidation: fieldValidation(),
        subresource: sub || undefined,
        ...managerParams(request, query),
      });
      return sendJson(reply, 200, object, warnings);
    }
    case 'delete': {
      if (sub) throw methodNotAllowed('the server does not allow this method on the requested resource');
      const options = deleteOptions(request, query);
      const result = registry.delete(def, ns, info.name, options, dryRunParam(query) || (options.dryRun?.length ?? 0) > 0);
      if (result.removed) {
        return sendJson(reply, 200, deleteSuccessStatus(def, result.object), result.warnings);
      }
      // Graceful or finalizing deletion: the object as it now stands; 202 if the client
      // asked for cascading deletion the old way (upstream's compatibility rule).
      const code = options.orphanDependents === false ? 202 : 200;
      return sendJson(reply, code, result.object, result.warnings);
    }
    case 'deletecollection': {
      const { labels, fields } = selectors(query);
      const options = deleteOptions(request, query);
      const items = registry.deleteCollection(def, { namespace: ns, labelSelector: labels, fieldSelector: fields }, options, dryRunParam(query));
      const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
      return sendJson(reply, 200, { kind: def.names.listKind, apiVersion, metadata: {}, items: items.map((o) => withTypeMeta(def, o)) });
    }
  }
}

/** A subresource with a handler of its own, called for the verbs it declares (others: 405). */
async function serveSubresource(
  deps: ResourceHandlerDeps,
  def: ResourceDefinition,
  subresource: SubresourceDefinition,
  info: RequestInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Query,
): Promise<FastifyReply | void> {
  if (!subresource.verbs.includes(info.verb)) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const { registry } = deps;
  const { namespace, name } = info;
  return subresource.handler!({
    namespace,
    name,
    query,
    request,
    reply,
    now: deps.clock.now(),
    node: deps.node,
    serviceAccountTokens: deps.serviceAccountTokens,
    user: deps.userOf?.(request),
    get: () => registry.get(def, namespace, name),
    guaranteedUpdate: (mutate, opts) => registry.guaranteedUpdate(def, namespace, name, mutate, { subresource: subresource.name, dryRun: opts?.dryRun }).object,
    delete: (options, dryRun) => registry.delete(def, namespace, name, options, dryRun),
    registry,
    body: (schema) => parseBody(request.headers['content-type'], request.body as RawBody, schema),
    send: (code, body) => sendJson(reply, code, body),
  });
}

/**
 * A create-only resource (def.createOnly). Upstream registers only the collection's POST
 * route for it: another method on that path is 405, any other path (an object, a
 * subresource, the legacy /watch/ prefix) 404.
 */
async function serveCreateOnly(
  deps: ResourceHandlerDeps,
  def: ResourceDefinition,
  info: RequestInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Query,
): Promise<FastifyReply> {
  const watchPrefix = info.verb === 'watch' && !queryBool(query, 'watch');
  if (info.name || info.subresource || watchPrefix) return notFoundResponse(reply);
  if (info.verb !== 'create') throw methodNotAllowed('the server does not allow this method on the requested resource');
  const body = await parseBody(request.headers['content-type'], request.body as RawBody, def.schema);
  const { object, warnings } = deps.registry.createComputed(
    def,
    info.namespace,
    body,
    { dryRun: dryRunParam(query), fieldValidation: fieldValidationParam(query) },
    deps.userOf?.(request),
  );
  return sendJson(reply, 201, object, warnings);
}

/**
 * A computed resource (def.computed: metrics.k8s.io): get and list, as JSON or a Table; any
 * other verb on it, or a subresource, is 405 / 404 as upstream's read-only storage answers.
 */
async function serveComputed(
  deps: ResourceHandlerDeps,
  def: ResourceDefinition,
  info: RequestInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Query,
): Promise<FastifyReply> {
  const computed = def.computed!;
  if (info.subresource) return notFoundResponse(reply);
  if (info.verb !== 'get' && info.verb !== 'list') throw methodNotAllowed('the server does not allow this method on the requested resource');
  const { labels, fields } = selectors(query);
  const now = deps.clock.now();
  const req = {
    namespace: info.namespace,
    labelSelector: labels,
    fieldSelector: fields,
    node: deps.node,
    list: (d: ResourceDefinition, r: Parameters<GenericRegistry['list']>[1]) => deps.registry.list(d, r).items,
    get: (d: ResourceDefinition, ns: string, name: string) => deps.registry.get(d, ns, name),
    now,
  };
  const form = negotiate(request.headers.accept);
  const include = (q(query, 'includeObject') ?? 'Metadata') as IncludeObject;
  if (info.verb === 'get') {
    const out = await computed.get(req, info.name);
    if (form.as === 'Table') return sendJson(reply, 200, toTable(def, [out], now, { include, version: form.version }));
    return sendJson(reply, 200, out);
  }
  const items = await computed.list(req);
  if (form.as === 'Table') return sendJson(reply, 200, toTable(def, items, now, { include, version: form.version, listMeta: {} }));
  const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
  return sendJson(reply, 200, { kind: def.names.listKind, apiVersion, metadata: {}, items });
}

function deleteOptions(request: FastifyRequest, query: Query): DeleteOptions {
  const options = parseDeleteOptionsBody(request.headers['content-type'], request.body as RawBody);
  const grace = queryInt64(query, 'gracePeriodSeconds');
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = q(query, 'propagationPolicy');
  if (policy) options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  const orphan = queryOptionalBool(query, 'orphanDependents');
  if (orphan !== undefined) options.orphanDependents = orphan;
  return options;
}

/** Each watch event's encodings by response form, while any watcher still holds the event. */
const encodedEvents = new WeakMap<WatchEvent, Map<string, string>>();

async function serveWatch(
  deps: ResourceHandlerDeps,
  def: ResourceDefinition,
  info: RequestInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Query,
  form: ReturnType<typeof negotiate>,
  include: IncludeObject,
): Promise<void> {
  const { labels, fields: parsedFields } = selectors(query);
  let fields = parsedFields;
  if (info.name) fields = [...(fields ?? []), { field: 'metadata.name', operator: '=', value: info.name }];
  const allowBookmarks = queryBool(query, 'allowWatchBookmarks');
  const timeoutSeconds = queryInt64(query, 'timeoutSeconds');
  const sendInitialEvents = queryBool(query, 'sendInitialEvents');

  // Validate everything that can fail before the 200 is committed.
  const res = reply.raw;
  const encodeOnce = (event: WatchEvent): string => {
    if (form.as === 'Table' && event.type !== 'BOOKMARK' && event.type !== 'ERROR') {
      const table = toTable(def, [event.object], deps.clock.now(), { include, version: form.version, noHeaders: true });
      return JSON.stringify({ type: event.type, object: table }) + '\n';
    }
    if (form.as === 'PartialObjectMetadata' && event.type !== 'ERROR') {
      return JSON.stringify({ type: event.type, object: partialMetadata(event.object, form.version) }) + '\n';
    }
    return JSON.stringify(event) + '\n';
  };
  // Watchers of one stored event get the same WatchEvent: encoded once per form, not per watcher.
  // (Tables carry the age at the time of writing; they are made anew.)
  const formKey = form.as === 'Table' ? undefined : form.as === 'PartialObjectMetadata' ? `${form.as}/${form.version}` : form.as;
  const encode = (event: WatchEvent): string => {
    if (!formKey) return encodeOnce(event);
    let byForm = encodedEvents.get(event);
    if (!byForm) encodedEvents.set(event, (byForm = new Map()));
    let line = byForm.get(formKey);
    if (line === undefined) byForm.set(formKey, (line = encodeOnce(event)));
    return line;
  };

  let started = false;
  const buffered: string[] = [];
  const write = (chunk: string) => {
    if (!started) {
      buffered.push(chunk);
      return;
    }
    if (!res.writableEnded) res.write(chunk);
  };

  let handle: { stop: () => void } | undefined;
  try {
    handle = deps.registry.watch(
      def,
      { namespace: info.namespace, labelSelector: labels, fieldSelector: fields, resourceVersion: q(query, 'resourceVersion'), sendInitialEvents },
      (event) => {
        if (event.type === 'BOOKMARK' && !allowBookmarks && !sendInitialEvents) return;
        write(encode(event));
      },
    );
  } catch (err) {
    if (err instanceof StatusError && err.status.code === 410) {
      // Upstream answers a too-old watch with 200 and one ERROR event carrying the 410 Status.
      reply.hijack();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.end(JSON.stringify({ type: 'ERROR', object: err.status }) + '\n');
      return;
    }
    throw err;
  }
  const stopWatch = handle.stop;
  // The initial list may hold writes of a group not yet committed: none of it goes out before
  // the group is on disk (live events meanwhile wait in `buffered`, in order).
  try {
    await deps.registry.store.committed();
  } catch (err) {
    stopWatch();
    throw err;
  }

  reply.hijack();
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  started = true;
  res.flushHeaders?.();
  for (const chunk of buffered) res.write(chunk);
  buffered.length = 0;

  const timers: NodeJS.Timeout[] = [];
  let stopFollowingServed: (() => void) | undefined;
  const finish = () => {
    stopFollowingServed?.();
    stopWatch();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  if (allowBookmarks) {
    timers.push(setInterval(() => write(encode(deps.registry.bookmark(def))), deps.bookmarkIntervalSeconds * 1000));
  }
  // Upstream ends watches after timeoutSeconds (default: a random 30-60 minutes).
  const timeout = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : 1800 + Math.floor(Math.random() * 1800);
  timers.push(setTimeout(finish, timeout * 1000));
  request.raw.on('close', finish);
  res.on('close', finish);
  // A resource no longer served (its CRD deleted, its version no longer served) ends its watches,
  // as upstream's CRD handler destroys the storage; after the last commit, whose events (the
  // deletions of its objects) go out first.
  stopFollowingServed = deps.onServedChange?.(() => {
    if (deps.resolve(def.names.group, def.names.version, def.names.resource)) return;
    void deps.registry.store.committed().then(() => setImmediate(finish), finish);
  });
}

export function statusFromUnknown(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return failureStatus(500, 'InternalError', `Internal error occurred: ${errorMessage(err)}`);
}

