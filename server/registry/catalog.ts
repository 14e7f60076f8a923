// The resources the API server serves right now: the built-in ones (allResources) and those
// that CustomResourceDefinitions add while they are established (upstream: the CRD handler's
// crdInfo cache beside the static API groups). Discovery and the handlers read it on every
// request; the CRD controller sets and removes a CRD's definitions.
import type { ResourceDefinition } from './resource.js';

function groupVersionOf(def: ResourceDefinition): string {
  return def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
}

export class ResourceCatalog {
  private readonly builtin: ResourceDefinition[];
  /** By owner (a CRD's name), in the order they were first set. */
  private readonly dynamic = new Map<string, ResourceDefinition[]>();
  private index = new Map<string, ResourceDefinition>();
  private snapshot: ResourceDefinition[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(builtin: ResourceDefinition[]) {
    this.builtin = builtin;
    this.rebuild();
  }

  /** Every served resource: built-in ones first, in discovery order. */
  all(): ResourceDefinition[] {
    return this.snapshot;
  }

  isBuiltin(def: ResourceDefinition): boolean {
    return this.builtin.includes(def);
  }

  /** The built-in resource of that group and plural in any version (for name conflicts). */
  builtinResource(group: string, resource: string): ResourceDefinition | undefined {
    return this.builtin.find((d) => d.names.group === group && d.names.resource === resource);
  }

  resolve(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.index.get(`${group ? `${group}/${version}` : version}|${resource}`);
  }

  /** Serves `defs` for `owner` (replacing what it served before); [] is the same as remove. */
  set(owner: string, defs: ResourceDefinition[]): void {
    if (defs.length) this.dynamic.set(owner, defs);
    else this.dynamic.delete(owner);
    this.rebuild();
  }

  remove(owner: string): void {
    if (!this.dynamic.delete(owner)) return;
    this.rebuild();
  }

  /** Called after every change (OpenAPI caches, ...); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private rebuild(): void {
    const all = [...this.builtin];
    for (const defs of this.dynamic.values()) all.push(...defs);
    const index = new Map<string, ResourceDefinition>();
    // Built-in resources win: a CRD cannot take over one (the controller refuses such names too).
    for (const def of all) {
      const key = `${groupVersionOf(def)}|${def.names.resource}`;
      if (!index.has(key)) index.set(key, def);
    }
    this.index = index;
    this.snapshot = all;
    for (const l of this.listeners) l();
  }
}
