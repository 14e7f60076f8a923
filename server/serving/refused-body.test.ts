import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { discardRefusedBody } from './refused-body.js';

/** A request body as the server sees it: a stream with headers. */
function body(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

const bounds = { maxBytes: 1000, maxMs: 5_000 };

afterEach(() => vi.useRealTimers());

describe('discardRefusedBody', () => {
  it('reads a body to its end and says so', async () => {
    const req = body({ 'content-length': '900' });
    const done = discardRefusedBody(req, bounds);
    req.write(Buffer.alloc(600));
    req.end(Buffer.alloc(300));
    await expect(done).resolves.toBe(true);
  });

  it('does not read a body declared longer than the bound', async () => {
    const req = body({ 'content-length': '1001' });
    await expect(discardRefusedBody(req, bounds)).resolves.toBe(false);
    expect(req.isPaused()).toBe(false); // never resumed: nothing was read
    expect(req.readableFlowing).toBe(null);
  });

  it('stops a chunked body past the bound and leaves the stream paused', async () => {
    const req = body({ 'transfer-encoding': 'chunked' });
    const done = discardRefusedBody(req, bounds);
    req.write(Buffer.alloc(600));
    req.write(Buffer.alloc(600));
    await expect(done).resolves.toBe(false);
    expect(req.isPaused()).toBe(true);
    expect(req.listenerCount('data')).toBe(0);
  });

  it('gives up on a client that stops sending once the time bound passes', async () => {
    vi.useFakeTimers();
    const req = body({ 'content-length': '900' });
    const done = discardRefusedBody(req, bounds);
    req.write(Buffer.alloc(100));
    let settled = false;
    void done.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(bounds.maxMs - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe(false);
  });

  it('answers at once for a body already read, and for a client gone', async () => {
    const ended = body();
    ended.resume();
    ended.end();
    await new Promise((r) => ended.once('end', r));
    await expect(discardRefusedBody(ended, bounds)).resolves.toBe(true);

    const gone = body({ 'content-length': '900' });
    const done = discardRefusedBody(gone, bounds);
    gone.destroy();
    await expect(done).resolves.toBe(false);
  });
});
