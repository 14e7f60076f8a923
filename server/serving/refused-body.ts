// A body over the limit is answered 413 and the connection closed. Node closes the socket as
// soon as the answer is written; a client still writing its body then meets a reset (EPIPE) and
// may never read the answer. Go's net/http, upstream's server, reads what is left of a small
// remainder and otherwise half-closes and waits (closeWriteAndWait) for this reason. Here the
// rest of a refused body is read and thrown away before the answer, within bounds: a client
// that is still sending sees the 413; one sending without end, or slowly, is cut off at a bound
// (the answer, then the close, as before).
import type { IncomingMessage } from 'node:http';

/** At most this much of a refused body is read and thrown away; a longer declared body is not read at all. */
export const DISCARD_MAX_BYTES = 8 * 1024 * 1024;
/** For at most this long. */
export const DISCARD_MAX_MS = 5_000;

export interface DiscardBounds {
  maxBytes: number;
  maxMs: number;
}

/**
 * Reads and drops the rest of `req`'s body within the bounds. True when the body was read to
 * its end (the connection is clean and may serve another request); false when a bound was hit
 * or the client went away.
 */
export function discardRefusedBody(req: IncomingMessage, bounds: DiscardBounds = { maxBytes: DISCARD_MAX_BYTES, maxMs: DISCARD_MAX_MS }): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  const declared = Number(req.headers['content-length']);
  if (declared > bounds.maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.length;
      if (seen > bounds.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.readableEnded);
    const timer = setTimeout(() => finish(false), bounds.maxMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
    req.resume();
  });
}
