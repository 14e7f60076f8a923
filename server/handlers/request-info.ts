// RequestInfo: what an API path and method mean, as upstream's RequestInfoFactory reads them.
//   /apis/batch/v1/namespaces/{ns}/jobs/{name}/status → get jobs/status
//   /apis/batch/v1/jobs                               → list jobs (all namespaces)
//   /apis/batch/v1/watch/namespaces/{ns}/jobs         → watch jobs (legacy prefix)
//   /api/v1/namespaces/{name}/status                  → the namespace object's status

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

/** The path segment before a namespace's name: /namespaces/{ns}/{resource}/... or the namespace itself. */
const NAMESPACE_SEGMENT = 'namespaces';

/**
 * Parses the path after the group-version prefix; null when it is not a resource path.
 * `isResource` tells /namespaces/{ns}/{resource} from a subresource of the namespace object
 * (/namespaces/{name}/status): a segment that names no served resource is a subresource.
 */
export function parseRequestInfo(
  method: string,
  group: string,
  version: string,
  rest: string[],
  isWatchParam: boolean,
  isResource: (segment: string) => boolean,
): RequestInfo | null {
  let parts = rest.filter((p) => p !== '');
  let watchPrefix = false;
  if (parts[0] === 'watch') {
    watchPrefix = true;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === NAMESPACE_SEGMENT && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && isResource(parts[2])) {
      parts = parts.slice(2);
    } else {
      // The namespace object itself (or one of its subresources).
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
