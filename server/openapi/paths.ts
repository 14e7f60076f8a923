// The REST routes of resources as upstream's OpenAPI documents list them: one path per route,
// one operation per verb, each with its x-kubernetes-action and x-kubernetes-group-version-kind,
// the query parameters upstream declares and its request and response bodies. Rendered to
// OpenAPI 3.0 by v3.ts and to Swagger 2.0 by v2.ts.
import { META, type GroupVersionKind } from '../../api/schema/index.js';
import type { OpenAPIResource } from './types.js';

export type ParamType = 'string' | 'boolean' | 'integer';

/** Query and path parameters upstream declares, with our one-line descriptions. */
export const PARAMETERS: Record<string, { type: ParamType; description: string }> = {
  allowWatchBookmarks: { type: 'boolean', description: 'Ask for BOOKMARK watch events; servers may ignore it.' },
  container: { type: 'string', description: 'The container to stream logs of; defaults to the only container.' },
  command: { type: 'string', description: 'The command to run, one argument per parameter (exec).' },
  continue: { type: 'string', description: 'The continue token of a previous paginated list response.' },
  dryRun: { type: 'string', description: 'When present (All), run every stage but persist nothing.' },
  fieldManager: { type: 'string', description: 'Name of the actor making the change, for managed fields.' },
  fieldSelector: { type: 'string', description: 'Select objects by fields, e.g. metadata.name=pi,status.phase!=Running.' },
  fieldValidation: {
    type: 'string',
    description: 'What to do with unknown or duplicate fields in the request: Ignore, Warn (default) or Strict.',
  },
  follow: { type: 'boolean', description: 'Keep streaming the log as it grows.' },
  force: { type: 'boolean', description: 'Force an apply request to take fields owned by other managers.' },
  gracePeriodSeconds: { type: 'integer', description: 'Seconds before the object is deleted; 0 deletes immediately.' },
  ignoreStoreReadErrorWithClusterBreakingPotential: { type: 'boolean', description: 'Delete an object that cannot be read from storage.' },
  insecureSkipTLSVerifyBackend: { type: 'boolean', description: 'Skip verifying the serving certificate of the node agent.' },
  labelSelector: { type: 'string', description: 'Select objects by labels, e.g. app=pi,tier in (batch).' },
  limit: { type: 'integer', description: 'Maximum number of items in one list response; more pages follow with continue.' },
  limitBytes: { type: 'integer', description: 'Stop the log after this many bytes.' },
  name: { type: 'string', description: 'Name of the object.' },
  namespace: { type: 'string', description: 'Namespace of the objects.' },
  orphanDependents: { type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
  ports: { type: 'integer', description: 'Ports to forward (portforward; SPDY clients name them per stream instead).' },
  pretty: { type: 'string', description: "If 'true', the output is pretty printed." },
  previous: { type: 'boolean', description: 'Return the log of the previous, terminated container.' },
  propagationPolicy: { type: 'string', description: 'Garbage collection of dependents: Orphan, Background or Foreground.' },
  resourceVersion: { type: 'string', description: 'Which version of the data a list or watch starts from.' },
  resourceVersionMatch: { type: 'string', description: 'How resourceVersion applies to a list: Exact or NotOlderThan.' },
  sendInitialEvents: { type: 'boolean', description: 'Start a watch with synthetic ADDED events for the current state.' },
  sinceSeconds: { type: 'integer', description: 'Only log lines newer than this many seconds.' },
  stderr: { type: 'boolean', description: 'Attach the process’s stderr (exec, attach).' },
  stdin: { type: 'boolean', description: 'Attach the process’s stdin (exec, attach).' },
  stdout: { type: 'boolean', description: 'Attach the process’s stdout (exec, attach).' },
  stream: { type: 'string', description: 'The log stream: All, Stdout or Stderr.' },
  tailLines: { type: 'integer', description: 'Only the last lines of the log.' },
  timeoutSeconds: { type: 'integer', description: 'Timeout of the list or watch call.' },
  timestamps: { type: 'boolean', description: 'Prefix each log line with an RFC 3339 timestamp.' },
  tty: { type: 'boolean', description: 'A terminal (exec; attach uses the container’s own): stderr then arrives on stdout.' },
  watch: { type: 'boolean', description: 'Watch for changes instead of listing.' },
};

const LIST_PARAMS = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'];
const PATCH_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'];
const DELETE_PARAMS = ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy'];
const DELETE_COLLECTION_PARAMS = [
  'continue',
  'dryRun',
  'fieldSelector',
  'gracePeriodSeconds',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'labelSelector',
  'limit',
  'orphanDependents',
  'propagationPolicy',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
];

/** The patch formats a PATCH accepts (kubectl checks for strategic merge before computing one). */
export const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
export const OBJECT_CONTENT_TYPES = ['application/json', 'application/yaml'];
export const LIST_CONTENT_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
export const WATCH_CONTENT_TYPES = ['application/json', 'application/json;stream=watch'];

export const DEFAULT_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface ResponseSpec {
  description: string;
  /** Definition name of the body; text when `text` is set; none for 401. */
  definition?: string;
  text?: boolean;
  contentTypes?: string[];
}

export interface OperationSpec {
  method: HttpMethod;
  operationId: string;
  description: string;
  tag: string;
  action: string;
  gvk: GroupVersionKind;
  query: string[];
  body?: { definition: string; contentTypes: string[] };
  responses: Record<string, ResponseSpec>;
  deprecated?: boolean;
}

export interface PathSpec {
  path: string;
  /** Path parameters, in order; `pretty` is added as upstream does on object routes. */
  pathParams: string[];
  pretty: boolean;
  operations: OperationSpec[];
}

/** "batch" → "Batch", "events.k8s.io" → "Events", "rbac.authorization.k8s.io" → "RbacAuthorization", "" → "Core". */
export function groupIdentifier(group: string): string {
  if (!group) return 'Core';
  const trimmed = group.replace(/\.k8s\.io$/, '');
  return trimmed
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The OpenAPI tag of a group-version: "batch_v1", "core_v1". */
export function tagOf(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

/** "/apis/batch/v1" or "/api/v1". */
export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const UNAUTHORIZED: ResponseSpec = { description: 'Unauthorized' };

/** Every path of one resource. */
export function resourcePaths(r: OpenAPIResource): PathSpec[] {
  const verbs = new Set(r.verbs ?? DEFAULT_VERBS);
  const gv = `${groupIdentifier(r.group)}${capitalize(r.version)}`;
  const tag = tagOf(r.group, r.version);
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const prefix = groupVersionPrefix(r.group, r.version);
  const scope = r.namespaced ? 'Namespaced' : '';
  const nsPath = r.namespaced ? '/namespaces/{namespace}' : '';
  const nsParams = r.namespaced ? ['namespace'] : [];
  const list = `${r.definition}List`;
  const obj = r.definition;
  const status = META + 'Status';
  const deleteOptions = { definition: META + 'DeleteOptions', contentTypes: ['*/*'] };
  const op = (o: Omit<OperationSpec, 'tag' | 'gvk'>): OperationSpec => ({ ...o, tag, gvk });
  const paths: PathSpec[] = [];

  // Collection: list, create, deletecollection.
  const collection: OperationSpec[] = [];
  if (verbs.has('list')) {
    collection.push(
      op({
        method: 'get',
        operationId: `list${gv}${scope}${r.kind}`,
        description: `list or watch objects of kind ${r.kind}`,
        action: 'list',
        query: LIST_PARAMS,
        responses: { '200': { description: 'OK', definition: list, contentTypes: LIST_CONTENT_TYPES }, '401': UNAUTHORIZED },
      }),
    );
  }
  if (verbs.has('create')) {
    collection.push(
      op({
        method: 'post',
        operationId: `create${gv}${scope}${r.kind}`,
        description: `create a ${r.kind}`,
        action: 'post',
        query: WRITE_PARAMS,
        body: { definition: obj, contentTypes: ['*/*'] },
        responses: {
          '200': { description: 'OK', definition: obj },
          '201': { description: 'Created', definition: obj },
          '202': { description: 'Accepted', definition: obj },
          '401': UNAUTHORIZED,
        },
      }),
    );
  }
  if (verbs.has('deletecollection')) {
    collection.push(
      op({
        method: 'delete',
        operationId: `delete${gv}Collection${scope}${r.kind}`,
        description: `delete collection of ${r.kind}`,
        action: 'deletecollection',
        query: DELETE_COLLECTION_PARAMS,
        body: deleteOptions,
        responses: { '200': { description: 'OK', definition: status }, '401': UNAUTHORIZED },
      }),
    );
  }
  if (collection.length) paths.push({ path: `${prefix}${nsPath}/${r.resource}`, pathParams: nsParams, pretty: true, operations: collection });

  // One object: read, replace, patch, delete.
  const item: OperationSpec[] = [];
  const objectOps = (suffix: string, sub: string, allowDelete: boolean): OperationSpec[] => {
    const ops: OperationSpec[] = [];
    const what = sub ? `${sub} of the specified ${r.kind}` : `the specified ${r.kind}`;
    if (verbs.has('get')) {
      ops.push(
        op({
          method: 'get',
          operationId: `read${gv}${scope}${r.kind}${suffix}`,
          description: `read ${what}`,
          action: 'get',
          query: [],
          responses: { '200': { description: 'OK', definition: obj }, '401': UNAUTHORIZED },
        }),
      );
    }
    if (verbs.has('update')) {
      ops.push(
        op({
          method: 'put',
          operationId: `replace${gv}${scope}${r.kind}${suffix}`,
          description: `replace ${what}`,
          action: 'put',
          query: WRITE_PARAMS,
          body: { definition: obj, contentTypes: ['*/*'] },
          responses: { '200': { description: 'OK', definition: obj }, '201': { description: 'Created', definition: obj }, '401': UNAUTHORIZED },
        }),
      );
    }
    if (verbs.has('patch')) {
      ops.push(
        op({
          method: 'patch',
          operationId: `patch${gv}${scope}${r.kind}${suffix}`,
          description: `partially update ${what}`,
          action: 'patch',
          query: PATCH_PARAMS,
          body: { definition: META + 'Patch', contentTypes: PATCH_CONTENT_TYPES },
          responses: { '200': { description: 'OK', definition: obj }, '201': { description: 'Created', definition: obj }, '401': UNAUTHORIZED },
        }),
      );
    }
    if (allowDelete && verbs.has('delete')) {
      ops.push(
        op({
          method: 'delete',
          operationId: `delete${gv}${scope}${r.kind}${suffix}`,
          description: `delete ${what}`,
          action: 'delete',
          query: DELETE_PARAMS,
          body: deleteOptions,
          responses: { '200': { description: 'OK', definition: status }, '202': { description: 'Accepted', definition: status }, '401': UNAUTHORIZED },
        }),
      );
    }
    return ops;
  };
  item.push(...objectOps('', '', true));
  const itemParams = ['name', ...nsParams];
  if (item.length) paths.push({ path: `${prefix}${nsPath}/${r.resource}/{name}`, pathParams: itemParams, pretty: true, operations: item });

  // Subresources.
  for (const { name: sub, openapi } of r.subresources) {
    const subPath = `${prefix}${nsPath}/${r.resource}/{name}/${sub}`;
    if (openapi?.form === 'text-get') {
      paths.push({
        path: subPath,
        pathParams: itemParams,
        pretty: true,
        operations: [
          op({
            method: 'get',
            operationId: `read${gv}${scope}${r.kind}${capitalize(sub)}`,
            description: `read ${sub} of the specified ${r.kind}`,
            action: 'get',
            query: openapi.query,
            responses: { '200': { description: 'OK', text: true }, '401': UNAUTHORIZED },
          }),
        ],
      });
      continue;
    }
    if (openapi?.form === 'create' && openapi.body) {
      // A POST of another kind's body, named by that kind (createCoreV1NamespacedPodEviction).
      const { definition, ...kind } = openapi.body;
      paths.push({
        path: subPath,
        pathParams: itemParams,
        pretty: true,
        operations: [
          {
            method: 'post',
            operationId: `create${gv}${scope}${r.kind}${capitalize(sub)}`,
            description: `create ${sub} of a ${r.kind}`,
            action: 'post',
            tag,
            gvk: kind,
            query: openapi.query,
            body: { definition, contentTypes: ['*/*'] },
            responses: {
              '200': { description: 'OK', definition },
              '201': { description: 'Created', definition },
              '202': { description: 'Accepted', definition },
              '401': UNAUTHORIZED,
            },
          },
        ],
      });
      continue;
    }
    if (openapi?.form === 'connect') {
      // Upstream's "connect" operations: GET for WebSocket clients, POST for SPDY ones.
      const connect = (method: 'get' | 'post') =>
        op({
          method,
          operationId: `connect${gv}${capitalize(method)}${scope}${r.kind}${capitalize(sub)}`,
          description: `connect ${method.toUpperCase()} requests to ${sub} of ${r.kind}`,
          action: 'connect',
          query: openapi.query,
          responses: { '200': { description: 'OK', text: true }, '401': UNAUTHORIZED },
        });
      paths.push({ path: subPath, pathParams: itemParams, pretty: false, operations: [connect('get'), connect('post')] });
      continue;
    }
    const ops = objectOps(capitalize(sub), sub, false);
    if (ops.length) paths.push({ path: subPath, pathParams: itemParams, pretty: true, operations: ops });
  }

  // Across namespaces, and the deprecated watch routes.
  if (r.namespaced && verbs.has('list')) {
    paths.push({
      path: `${prefix}/${r.resource}`,
      pathParams: [],
      pretty: true,
      operations: [
        op({
          method: 'get',
          operationId: `list${gv}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          query: LIST_PARAMS,
          responses: { '200': { description: 'OK', definition: list, contentTypes: LIST_CONTENT_TYPES }, '401': UNAUTHORIZED },
        }),
      ],
    });
  }
  if (verbs.has('watch')) {
    const watchEvent = META + 'WatchEvent';
    const watchOp = (operationId: string, description: string, action: string): OperationSpec =>
      op({
        method: 'get',
        operationId,
        description,
        action,
        query: LIST_PARAMS,
        deprecated: true,
        responses: { '200': { description: 'OK', definition: watchEvent, contentTypes: WATCH_CONTENT_TYPES }, '401': UNAUTHORIZED },
      });
    paths.push({
      path: `${prefix}/watch${nsPath}/${r.resource}`,
      pathParams: nsParams,
      pretty: true,
      operations: [
        watchOp(
          `watch${gv}${scope}${r.kind}List`,
          `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          'watchlist',
        ),
      ],
    });
    paths.push({
      path: `${prefix}/watch${nsPath}/${r.resource}/{name}`,
      pathParams: itemParams,
      pretty: true,
      operations: [
        watchOp(
          `watch${gv}${scope}${r.kind}`,
          `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
          'watch',
        ),
      ],
    });
    if (r.namespaced) {
      paths.push({
        path: `${prefix}/watch/${r.resource}`,
        pathParams: [],
        pretty: true,
        operations: [
          watchOp(
            `watch${gv}${r.kind}ListForAllNamespaces`,
            `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
            'watchlist',
          ),
        ],
      });
    }
  }
  return paths;
}

/** GET /apis/<group>/<version>/: the discovery document of the group-version. */
export function discoveryPath(group: string, version: string): { path: string; operationId: string; tag: string } {
  return {
    path: `${groupVersionPrefix(group, version)}/`,
    operationId: `get${groupIdentifier(group)}${capitalize(version)}APIResources`,
    tag: tagOf(group, version),
  };
}
