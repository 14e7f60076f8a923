// The /status subresource's "keep everything but status" step, shared by the status
// strategies (upstream: newObj.Spec = oldObj.Spec, plus metav1.ResetObjectMetaForStatus).
import type { KubeObject } from '../../api/index.js';

/**
 * Makes `obj` the stored `old` object with only `status` taken from the request.
 * metadata comes from `old` too, except resourceVersion (the registry's precondition).
 */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  const status = obj.status;
  const resourceVersion = obj.metadata?.resourceVersion;
  for (const key of Object.keys(obj)) if (key !== 'status' && key !== 'apiVersion' && key !== 'kind') delete obj[key];
  for (const [key, value] of Object.entries(old)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    obj[key] = structuredClone(value);
  }
  if (resourceVersion !== undefined) obj.metadata.resourceVersion = resourceVersion;
  else delete obj.metadata.resourceVersion;
  if (status === undefined) delete obj.status;
  else obj.status = status;
}
