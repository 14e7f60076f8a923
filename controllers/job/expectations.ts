// Expectations (upstream controller.ControllerExpectations and the Job controller's
// uidTrackingExpectations): before creating or deleting N pods the controller records that it
// expects N add/delete events for the Job's key; observed pod events lower the counts, and the
// Job's pods are only managed again once they are met or have expired (5 minutes). This keeps a
// lagging informer cache from causing double creations. Finalizer expectations remember which
// pods' tracking finalizers the controller removed, so they are not counted twice.
import type { Clock } from '../../machinery/index.js';

/** How long unmet expectations hold back a sync. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface ControlleeExpectations {
  add: number;
  del: number;
  timestampMs: number;
}

export class ControllerExpectations {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly store = new Map<string, ControlleeExpectations>();

  constructor(clock: Clock, ttlMs = EXPECTATIONS_TIMEOUT_MS) {
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  getExpectations(key: string): { add: number; del: number } | undefined {
    const e = this.store.get(key);
    return e && { add: e.add, del: e.del };
  }

  /** True when the key has no expectations, they are fulfilled, or they expired. */
  satisfiedExpectations(key: string): boolean {
    const e = this.store.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now().getTime() - e.timestampMs > this.ttlMs;
  }

  /** Replaces the key's expectations (and restarts their TTL). */
  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestampMs: this.clock.now().getTime() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }

  raiseExpectations(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (!e) return;
    e.add += add;
    e.del += del;
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/** Pod UIDs whose tracking-finalizer removal the controller is waiting to observe, per Job key. */
export class UIDTrackingExpectations {
  private readonly store = new Map<string, Set<string>>();

  /** A copy of the expected UIDs (empty when none). */
  getExpectedUIDs(key: string): Set<string> {
    return new Set(this.store.get(key) ?? []);
  }

  expectFinalizersRemoved(key: string, uids: readonly string[]): void {
    let set = this.store.get(key);
    if (!set) this.store.set(key, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  finalizerRemovalObserved(key: string, uid: string): void {
    this.store.get(key)?.delete(uid);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}
