// Resource descriptors: what the console needs to build a URL for a kind (Headlamp's apiName/isNamespaced).
import type { ConfigMap, Event, Namespace, Node, PersistentVolumeClaim, Pod, Secret } from '../../../../api/core.js';
import type { CronJob, Job } from '../../../../api/batch.js';
import type { ObjectMeta } from '../../../../api/meta.js';

/** Any Kubernetes object as the console handles it: typed kinds (Job, Pod) fit without an index signature. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** A served resource: group ('' for core), version, plural name, kind, scope. */
export interface ResourceDescriptor<T extends K8sObject = K8sObject> {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Phantom field carrying the object type; never set. */
  readonly __type?: T;
}

function descriptor<T extends K8sObject>(group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceDescriptor<T> {
  return { group, version, resource, kind, namespaced };
}

export const resources = {
  jobs: descriptor<Job>('batch', 'v1', 'jobs', 'Job', true),
  cronjobs: descriptor<CronJob>('batch', 'v1', 'cronjobs', 'CronJob', true),
  pods: descriptor<Pod>('', 'v1', 'pods', 'Pod', true),
  events: descriptor<Event>('', 'v1', 'events', 'Event', true),
  configmaps: descriptor<ConfigMap>('', 'v1', 'configmaps', 'ConfigMap', true),
  secrets: descriptor<Secret>('', 'v1', 'secrets', 'Secret', true),
  persistentvolumeclaims: descriptor<PersistentVolumeClaim>('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true),
  namespaces: descriptor<Namespace>('', 'v1', 'namespaces', 'Namespace', false),
  nodes: descriptor<Node>('', 'v1', 'nodes', 'Node', false),
} as const;

export interface PathOptions {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * The API path of a collection or object, as upstream lays it out:
 * /api/v1/namespaces/{ns}/pods/{name}/log, /apis/batch/v1/jobs (all namespaces).
 */
export function resourcePath<T extends K8sObject>(r: ResourceDescriptor<T>, opts: PathOptions = {}): string {
  let p = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  if (r.namespaced && opts.namespace) p += `/namespaces/${encodeURIComponent(opts.namespace)}`;
  p += `/${r.resource}`;
  if (opts.name !== undefined) {
    p += `/${encodeURIComponent(opts.name)}`;
    if (opts.subresource) p += `/${opts.subresource}`;
  }
  return p;
}

/** The apiVersion string of a descriptor ("batch/v1", "v1"). */
export function apiVersionOf<T extends K8sObject>(r: ResourceDescriptor<T>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}
