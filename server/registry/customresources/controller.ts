// The CRD controller: what upstream's apiextensions-apiserver splits into the naming,
// establishing and finalizer controllers and the CRD handler's cache, in one small loop over
// the stored CustomResourceDefinitions.
//   - NamesAccepted: the plural and kind are free in the group (no other CRD, no built-in
//     resource holds them) → status.acceptedNames, condition True "NoConflicts".
//   - Established: served from then on (the catalog holds its served versions).
//   - Deletion: the cleanup finalizer holds the CRD (Terminating) while its custom resources
//     are deleted; creates are refused meanwhile; then the finalizer goes and so does serving.
// It reads and writes through the GenericRegistry (the same update sequence as any client);
// the store's watch tells it of changes, after they are committed. A restart lists and syncs
// every CRD before the server listens, so custom resources are served from the first request.
import type { CustomResourceDefinition, CustomResourceDefinitionCondition, KubeObject } from '../../../api/index.js';
import { type Clock, errorMessage, isNotFound, rfc3339 } from '../../../machinery/index.js';
import type { ResourceCatalog } from '../catalog.js';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, customResourceDefinitions } from '../customresourcedefinitions/index.js';
import type { GenericRegistry } from '../generic-registry.js';
import { storageResource } from '../objects.js';
import { semanticEqual } from '../semantic-equal.js';
import { customResourceDefinitionsOf } from './definition.js';

const RETRY_MS = 1000;

export interface CRDControllerOptions {
  registry: GenericRegistry;
  catalog: ResourceCatalog;
  clock: Clock;
  log?: (msg: string) => void;
}

function condition(type: string, status: 'True' | 'False', reason: string, message: string): CustomResourceDefinitionCondition {
  return { type, status, reason, message };
}

export class CustomResourceDefinitionController {
  private readonly opts: CRDControllerOptions;
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopWatch?: () => void;
  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(opts: CRDControllerOptions) {
    this.opts = opts;
  }

  /** Syncs every stored CRD now, then follows changes. */
  start(): void {
    const { registry } = this.opts;
    const listed = registry.list(customResourceDefinitions, {});
    for (const crd of listed.items) this.syncSafely(crd.metadata.name!);
    this.stopWatch = registry.store.watch(storageResource(customResourceDefinitions), undefined, Number(listed.resourceVersion), (e) => this.enqueue(e.name));
  }

  stop(): void {
    this.stopWatch?.();
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    if (this.scheduled) return;
    this.scheduled = true;
    // Out of the watch callback: writes go in a turn of their own.
    setImmediate(() => {
      this.scheduled = false;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) this.syncSafely(n);
    });
  }

  private syncSafely(name: string): void {
    try {
      this.sync(name);
    } catch (err) {
      this.opts.log?.(`customresourcedefinition ${name}: ${errorMessage(err)}`);
      this.retryLater(name);
    }
  }

  private retryLater(name: string): void {
    if (this.retries.has(name)) return;
    const t = setTimeout(() => {
      this.retries.delete(name);
      this.enqueue(name);
    }, RETRY_MS);
    t.unref();
    this.retries.set(name, t);
  }

  sync(name: string): void {
    const { registry, catalog } = this.opts;
    let crd: CustomResourceDefinition;
    try {
      crd = registry.get(customResourceDefinitions, '', name) as CustomResourceDefinition;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      catalog.remove(name);
      return;
    }
    if (crd.metadata.deletionTimestamp) {
      this.finalize(crd);
      return;
    }
    const conflict = this.nameConflict(crd);
    const names = conflict ? undefined : crd.spec.names;
    const wanted: CustomResourceDefinitionCondition[] = conflict
      ? [condition('NamesAccepted', 'False', conflict.reason, conflict.message), condition('Established', 'False', 'NotAccepted', 'not all names are accepted')]
      : [condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'), condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted')];
    const updated = this.writeStatus(crd, wanted, names);
    if (conflict) catalog.remove(name);
    else catalog.set(name, customResourceDefinitionsOf(updated));
  }

  /** Another CRD of the group that accepted the same plural or kind, or a built-in resource of that name. */
  private nameConflict(crd: CustomResourceDefinition): { reason: string; message: string } | undefined {
    const { registry, catalog } = this.opts;
    const { group, names } = crd.spec;
    if (catalog.builtinResource(group, names.plural ?? '')) return { reason: 'PluralConflict', message: `${JSON.stringify(names.plural)} is already in use` };
    for (const other of registry.list(customResourceDefinitions, {}).items as CustomResourceDefinition[]) {
      if (other.metadata.name === crd.metadata.name || other.spec.group !== group) continue;
      const accepted = other.status?.acceptedNames;
      if (!accepted?.plural) continue;
      // Upstream's naming controller, in its order: plural, singular, short names, kind, list kind.
      const taken = new Set([accepted.plural, accepted.singular, ...(accepted.shortNames ?? [])]);
      const inUse = (reason: string, name: string | undefined) => ({ reason, message: `${JSON.stringify(name)} is already in use` });
      if (taken.has(names.plural)) return inUse('PluralConflict', names.plural);
      if (taken.has(names.singular)) return inUse('SingularConflict', names.singular);
      const short = (names.shortNames ?? []).find((n) => taken.has(n));
      if (short) return inUse('ShortNamesConflict', short);
      if (accepted.kind === names.kind) return inUse('KindConflict', names.kind);
      if (accepted.listKind === names.listKind) return inUse('ListKindConflict', names.listKind);
    }
    return undefined;
  }

  /** Writes the conditions (keeping a condition's lastTransitionTime while its status holds) and accepted names. */
  private writeStatus(crd: CustomResourceDefinition, wanted: CustomResourceDefinitionCondition[], acceptedNames?: CustomResourceDefinition['spec']['names']): CustomResourceDefinition {
    const now = rfc3339(this.opts.clock.now());
    const status = structuredClone(crd.status ?? {});
    const conditions = status.conditions ?? [];
    for (const w of wanted) {
      const i = conditions.findIndex((c) => c.type === w.type);
      const old = i >= 0 ? conditions[i] : undefined;
      const next = { ...w, lastTransitionTime: old && old.status === w.status ? old.lastTransitionTime : now };
      if (i >= 0) conditions[i] = next;
      else conditions.push(next);
    }
    status.conditions = conditions;
    if (acceptedNames) status.acceptedNames = structuredClone(acceptedNames);
    if (semanticEqual(status, crd.status)) return crd;
    const written = this.opts.registry.guaranteedUpdate(
      customResourceDefinitions,
      '',
      crd.metadata.name!,
      (obj) => {
        (obj as CustomResourceDefinition).status = status;
      },
      { subresource: 'status' },
    );
    return written.object as CustomResourceDefinition;
  }

  /** Deletes the CRD's custom resources, then lets the CRD go (upstream's finalizer controller). */
  private finalize(crd: CustomResourceDefinition): void {
    const { registry, catalog } = this.opts;
    const name = crd.metadata.name!;
    if (!crd.metadata.finalizers?.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;
    crd = this.writeStatus(crd, [condition('Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress')]);
    // Still served (creates refused), so that controllers can remove their finalizers meanwhile.
    const defs = customResourceDefinitionsOf(crd, { terminating: true, allVersions: true });
    if (crd.status?.acceptedNames?.plural) catalog.set(name, defs.filter((d) => crd.spec.versions.find((v) => v.name === d.names.version)?.served));
    const def = defs[0];
    let remaining: KubeObject[] = [];
    if (def) {
      registry.deleteCollection(def, {});
      remaining = registry.list(def, {}).items;
    }
    if (remaining.length) {
      this.writeStatus(crd, [condition('Terminating', 'True', 'InstanceDeletionCheck', `could not confirm zero CustomResources remaining: ${remaining.length} remaining`)]);
      this.retryLater(name);
      return;
    }
    this.writeStatus(crd, [condition('Terminating', 'False', 'InstanceDeletionCompleted', 'removed all instances')]);
    // No longer served: open watches of its resources end (the watch handler follows the catalog).
    catalog.remove(name);
    registry.guaranteedUpdate(customResourceDefinitions, '', name, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER);
    });
  }
}
