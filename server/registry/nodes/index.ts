// core/v1 nodes (cluster-scoped): the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { nodeStatusStrategy, nodeStrategy, type NodeObject } from './strategy.js';

export type { NodeObject } from './strategy.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role=<role>. */
export function nodeRoles(node: NodeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort();
}

/** STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusCell(node: NodeObject): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: NodeObject, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

/** kubectl get nodes: NAME STATUS ROLES AGE VERSION (+ wide addresses, OS, kernel, runtime). */
export const nodeTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    column('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const node = obj as NodeObject;
    const info = node.status?.nodeInfo ?? {};
    const roles = nodeRoles(node).join(',');
    return [
      node.metadata.name,
      nodeStatusCell(node),
      roles || '<none>',
      translateTimestampSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

export const nodes: ResourceDefinition<NodeObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    shortNames: ['no'],
  },
  strategy: nodeStrategy,
  status: nodeStatusStrategy,
  selectableFields: (obj) => ({ 'spec.unschedulable': String((obj as NodeObject).spec?.unschedulable ?? false) }),
  table: nodeTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Node' },
};
