import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../machinery/index.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, UIDTrackingExpectations } from './expectations.js';

describe('ControllerExpectations', () => {
  it('holds a sync back until creations and deletions are observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    expect(e.satisfiedExpectations('k')).toBe(true);
    e.expectCreations('k', 2);
    expect(e.satisfiedExpectations('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfiedExpectations('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfiedExpectations('k')).toBe(true);
    e.expectDeletions('k', 1);
    expect(e.satisfiedExpectations('k')).toBe(false);
    e.deletionObserved('k');
    e.deletionObserved('k'); // more than expected is fine
    expect(e.satisfiedExpectations('k')).toBe(true);
  });

  it('lets unmet expectations expire after 5 minutes', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('k', 3);
    clock.step(EXPECTATIONS_TIMEOUT_MS);
    expect(e.satisfiedExpectations('k')).toBe(false);
    clock.step(1);
    expect(e.satisfiedExpectations('k')).toBe(true);
    expect(EXPECTATIONS_TIMEOUT_MS).toBe(300_000);
  });

  it('forgets a key, and ignores observations for unknown keys', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.creationObserved('x');
    expect(e.getExpectations('x')).toBeUndefined();
    e.setExpectations('k', 1, 1);
    e.raiseExpectations('k', 1, 0);
    e.lowerExpectations('k', 0, 1);
    expect(e.getExpectations('k')).toEqual({ add: 2, del: 0 });
    e.deleteExpectations('k');
    expect(e.satisfiedExpectations('k')).toBe(true);
  });
});

describe('UIDTrackingExpectations', () => {
  it('tracks expected finalizer removals per key, handing out copies', () => {
    const u = new UIDTrackingExpectations();
    u.expectFinalizersRemoved('k', ['a', 'b']);
    u.expectFinalizersRemoved('k', ['c']);
    const copy = u.getExpectedUIDs('k');
    copy.clear();
    u.finalizerRemovalObserved('k', 'b');
    expect([...u.getExpectedUIDs('k')].sort()).toEqual(['a', 'c']);
    u.deleteExpectations('k');
    expect(u.getExpectedUIDs('k').size).toBe(0);
  });
});
