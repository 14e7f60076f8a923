// Discovery: /version, /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version},
// in the legacy (unaggregated) form; clients that ask for aggregated discovery fall back to it.
import type { APIResource } from '../../api/index.js';
import { type ResourceDefinition, subresourcesOf } from '../registry/resource.js';

const FULL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export function groupVersionOf(def: ResourceDefinition): string {
  return def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
}

/** The APIResourceList of one group-version, subresources included. */
export function apiResourceList(groupVersion: string, defs: ResourceDefinition[]): Record<string, unknown> {
  const resources: APIResource[] = [];
  for (const def of defs) {
    const n = def.names;
    const entry: APIResource = {
      name: n.resource,
      singularName: n.singular,
      namespaced: n.namespaced,
      kind: n.kind,
      verbs: def.verbs ?? FULL_VERBS,
    };
    if (n.shortNames?.length) entry.shortNames = n.shortNames;
    if (n.categories?.length) entry.categories = n.categories;
    resources.push(entry);
    for (const sub of subresourcesOf(def)) {
      const subEntry: APIResource = { name: `${n.resource}/${sub.name}`, singularName: '', namespaced: n.namespaced, kind: sub.kind ?? n.kind, verbs: sub.verbs };
      // A kind of another group-version says so (kubectl drain finds policy/v1 Eviction by it).
      if (sub.kindGroupVersion) Object.assign(subEntry, sub.kindGroupVersion);
      resources.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

/** Groups other than core, each with its served versions. */
export function groupsOf(defs: ResourceDefinition[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const def of defs) {
    if (!def.names.group) continue;
    const versions = groups.get(def.names.group) ?? [];
    if (!versions.includes(def.names.version)) versions.push(def.names.version);
    groups.set(def.names.group, versions);
  }
  return groups;
}

export function apiGroupList(defs: ResourceDefinition[]): Record<string, unknown> {
  const groups = [...groupsOf(defs)].map(([g, versions]) => groupEntry(g, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}
