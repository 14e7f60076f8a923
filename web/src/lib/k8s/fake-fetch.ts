// A scripted fetch for tests: answers requests from handlers, and keeps watch streams open
// so a test can push events into them (no network, no timers).
export interface FakeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface WatchStream {
  request: FakeRequest;
  send(event: unknown): void;
  /** Ends the response normally (a server-side watch timeout). */
  end(): void;
  closed: boolean;
}

type Handler = (req: FakeRequest) => Response | Promise<Response> | undefined;

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function statusResponse(code: number, reason: string, message = reason, causes?: unknown[]): Response {
  return jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, details: causes ? { causes } : undefined }, code);
}

export class FakeFetch {
  readonly requests: FakeRequest[] = [];
  readonly watches: WatchStream[] = [];
  private readonly handlers: Handler[] = [];
  private waiters: (() => void)[] = [];

  /** Adds a handler; the first handler that returns a Response answers. Watches are answered with an open stream unless a handler answers them. */
  on(handler: Handler): this {
    this.handlers.push(handler);
    return this;
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://console.test');
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const req: FakeRequest = { method: init.method ?? 'GET', url, headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined, signal: init.signal ?? undefined };
    this.requests.push(req);
    this.notify();
    for (const h of this.handlers) {
      const r = await h(req);
      if (r) return r;
    }
    if (url.searchParams.get('watch') === '1') return this.openStream(req);
    return statusResponse(404, 'NotFound', `no fake for ${req.method} ${url.pathname}`);
  };

  /** Answers with a body that stays open until the test ends it (a watch, or a followed log). */
  openStream(request: FakeRequest): Response {
    const signal = request.signal;
    const enc = new TextEncoder();
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const stream: WatchStream = {
      request,
      closed: false,
      send: (ev) => ctrl.enqueue(enc.encode(`${JSON.stringify(ev)}\n`)),
      end: () => {
        stream.closed = true;
        ctrl.close();
      },
    };
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        ctrl = c;
      },
      cancel() {
        stream.closed = true;
      },
    });
    signal?.addEventListener('abort', () => {
      if (!stream.closed) {
        stream.closed = true;
        try {
          ctrl.error(new DOMException('aborted', 'AbortError'));
        } catch {
          // already closed
        }
      }
    });
    this.watches.push(stream);
    this.notify();
    return new Response(body, { status: 200 });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once `predicate` holds (checked after every request and on each macrotask), or fails after `timeoutMs`. */
  async until(predicate: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate()) return;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 5);
      });
    }
    throw new Error(`timed out waiting for ${what}`);
  }
}
