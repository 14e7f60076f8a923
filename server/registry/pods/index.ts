// core/v1 pods: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition } from '../resource.js';
import { podStatusStrategy, podStrategy } from './strategy.js';
import { podSubresources } from './subresources.js';
import { podTable } from './table.js';
import type { PodObject } from './types.js';

export { podDeletionGracePeriod } from './strategy.js';
export { podStatusCells } from './table.js';
export type { PodObject } from './types.js';

/** Upstream PodToSelectableFields, beyond metadata.name / metadata.namespace. */
export function podSelectableFields(obj: KubeObject): Record<string, string> {
  const pod = obj as PodObject;
  return {
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  };
}

export const pods: ResourceDefinition<PodObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    listKind: 'PodList',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
  },
  strategy: podStrategy,
  status: podStatusStrategy,
  selectableFields: podSelectableFields,
  table: podTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Pod' },
  subresources: podSubresources,
};
