// The machine-wide kube-proxy lock: exclusive while held, free again once released.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acquireMachineLock } from './machine-lock.js';

describe('acquireMachineLock', () => {
  it('makes a second holder wait until the first releases, and gives up when aborted', async () => {
    const name = `jobyard-test-${randomBytes(6).toString('hex')}`;
    const first = await acquireMachineLock({ name, signal: new AbortController().signal });
    expect(first).toBeDefined();
    let waited = false;
    const second = acquireMachineLock({ name, signal: new AbortController().signal, intervalMs: 10, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 50));
    expect(waited).toBe(true);
    await first!.release();
    const got = await second;
    expect(got).toBeDefined();
    const abort = new AbortController();
    const third = acquireMachineLock({ name, signal: abort.signal, intervalMs: 10 });
    abort.abort();
    expect(await third).toBeUndefined();
    await got!.release();
  });
});
