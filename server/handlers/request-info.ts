// RequestInfo: what an API path and method mean, as upstream's RequestInfoFactory reads them.
//   /api/v1/namespaces/{ns}/pods/{name}/log          → get pods/log
//   /apis/batch/v1/jobs                               → list jobs (all namespaces)
//   /api/v1/watch/namespaces/{ns}/pods                → watch pods (legacy prefix)
//   /api/v1/namespaces/{name}/status                  → namespaces/status

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RequestInfo {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: Verb;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses the path after the group-version prefix; null when it is not a resource path. */
export function parseRequestInfo(method: string, group: string, version: string, rest: string[], isWatchParam: boolean): RequestInfo | null {
  let parts = rest.filter((p) => p !== '');
  let watchPrefix = false;
  if (parts[0] === 'watch') {
    watchPrefix = true;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) {
      parts = parts.slice(2);
    } else {
      // The namespace object itself (or its status/finalize).
      namespace = '';
    }
  }
  if (parts.length === 0 || parts.length > 3) return null;
  const [resource, name = '', subresource = ''] = parts;
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name ? 'get' : watchPrefix || isWatchParam ? 'watch' : 'list';
      if (name && (watchPrefix || (isWatchParam && !subresource))) verb = 'watch';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      return null;
  }
  return { group, version, namespace, resource, name, subresource, verb };
}
