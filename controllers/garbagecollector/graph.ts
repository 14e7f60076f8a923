// The dependency graph of the garbage collector (upstream garbagecollector/graph.go and the
// bookkeeping half of graph_builder.go): one node per object seen by the watched informers,
// keyed by uid, with its owner references and the uids of the objects that name it as owner.
// The graph lives only in memory and is rebuilt from the informers' lists on every start, so
// the collector holds no state of its own that a restart could lose.
import type { ObjectMeta, OwnerReference } from '../../api/index.js';
import type { DeepReadonly, ResourceInfo } from '../../client/index.js';

/** The finalizer that makes the collector orphan an owner's dependents first. */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
/** The finalizer that makes the collector delete an owner's dependents first (Foreground). */
export const FINALIZER_DELETING_DEPENDENTS = 'foregroundDeletion';

/** Who an object is: enough to GET, PATCH or DELETE it. */
export interface ObjectIdentity {
  info: ResourceInfo;
  namespace: string;
  name: string;
  uid: string;
}

/** One observed object. */
export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  /** uids of the objects whose ownerReferences name this node. */
  dependents: Set<string>;
  /** metadata.deletionTimestamp is set. */
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waiting for its dependents to go. */
  deletingDependents: boolean;
  /** Being deleted with the orphan finalizer. */
  orphaningDependents: boolean;
}

type MetaView = DeepReadonly<ObjectMeta> | undefined;

/** What changed when an object was observed, so the caller can decide what to queue. */
export interface ObserveResult {
  node: GraphNode;
  /** True for an object not seen before. */
  added: boolean;
  /** Owner references present now and not before. */
  addedOwners: OwnerReference[];
  /** Owner references gone, or whose blockOwnerDeletion went from true to not true. */
  removedOrUnblockedOwners: OwnerReference[];
  /** deletionTimestamp or the GC finalizers changed. */
  deletionStateChanged: boolean;
}

function hasFinalizer(meta: MetaView, f: string): boolean {
  return meta?.finalizers?.includes(f) ?? false;
}

/** The dependency graph, keyed by uid. */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner uid → dependent uids; kept also for owners never observed (virtual owners). */
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  has(uid: string): boolean {
    return this.nodes.has(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Dependents (observed nodes) naming `ownerUid` as an owner. */
  dependentsOf(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependentsByOwner.get(ownerUid) ?? []) {
      const n = this.nodes.get(uid);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents whose reference to `owner` has blockOwnerDeletion: true (node.blockingDependents). */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependentsOf(ownerUid).filter((d) => d.owners.some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true));
  }

  /** Adds or updates the node of an observed object. */
  observe(info: ResourceInfo, meta: MetaView): ObserveResult | undefined {
    const uid = meta?.uid;
    if (!uid || !meta?.name) return undefined;
    const owners = (meta.ownerReferences ?? []).map((r) => ({ ...r }) as OwnerReference);
    const beingDeleted = !!meta.deletionTimestamp;
    const deletingDependents = beingDeleted && hasFinalizer(meta, FINALIZER_DELETING_DEPENDENTS);
    const orphaningDependents = beingDeleted && hasFinalizer(meta, FINALIZER_ORPHAN_DEPENDENTS);
    const old = this.nodes.get(uid);
    if (!old) {
      const node: GraphNode = {
        identity: { info, namespace: meta.namespace ?? '', name: meta.name, uid },
        owners,
        dependents: this.dependentsByOwner.get(uid) ?? new Set(),
        beingDeleted,
        deletingDependents,
        orphaningDependents,
      };
      this.dependentsByOwner.set(uid, node.dependents);
      this.nodes.set(uid, node);
      for (const r of owners) this.link(r.uid, uid);
      return { node, added: true, addedOwners: owners, removedOrUnblockedOwners: [], deletionStateChanged: beingDeleted };
    }
    const before = new Map(old.owners.map((r) => [r.uid, r]));
    const after = new Map(owners.map((r) => [r.uid, r]));
    const addedOwners = owners.filter((r) => !before.has(r.uid));
    const removedOrUnblockedOwners: OwnerReference[] = [];
    for (const [ouid, r] of before) {
      const now = after.get(ouid);
      if (!now) {
        removedOrUnblockedOwners.push(r);
        this.unlink(ouid, uid);
      } else if (r.blockOwnerDeletion === true && now.blockOwnerDeletion !== true) {
        removedOrUnblockedOwners.push(now);
      }
    }
    for (const r of addedOwners) this.link(r.uid, uid);
    const deletionStateChanged =
      old.beingDeleted !== beingDeleted || old.deletingDependents !== deletingDependents || old.orphaningDependents !== orphaningDependents;
    old.owners = owners;
    old.beingDeleted = beingDeleted;
    old.deletingDependents = deletingDependents;
    old.orphaningDependents = orphaningDependents;
    return { node: old, added: false, addedOwners, removedOrUnblockedOwners, deletionStateChanged };
  }

  /** Removes the node of a deleted object; returns it (with its dependents) if it was known. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const r of node.owners) this.unlink(r.uid, uid);
    // Dependents still name this uid: keep the reverse index while they exist.
    if (node.dependents.size === 0) this.dependentsByOwner.delete(uid);
    return node;
  }

  private link(ownerUid: string, dependentUid: string): void {
    let set = this.dependentsByOwner.get(ownerUid);
    if (!set) {
      set = new Set();
      this.dependentsByOwner.set(ownerUid, set);
      const owner = this.nodes.get(ownerUid);
      if (owner) owner.dependents = set;
    }
    set.add(dependentUid);
  }

  private unlink(ownerUid: string, dependentUid: string): void {
    const set = this.dependentsByOwner.get(ownerUid);
    if (!set) return;
    set.delete(dependentUid);
    if (set.size === 0 && !this.nodes.has(ownerUid)) this.dependentsByOwner.delete(ownerUid);
  }
}
