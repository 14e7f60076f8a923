// Splits a byte stream into lines: watch responses (one JSON event per line) and pod logs.

/** Feeds decoded text chunks and returns complete lines; keeps the unterminated tail for the next chunk. */
export class LineSplitter {
  private tail = '';

  /** Complete lines in `chunk` (without the newline; a trailing "\r" is dropped too). */
  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The unterminated rest, once the stream has ended. */
  flush(): string[] {
    const rest = this.tail;
    this.tail = '';
    return rest === '' ? [] : [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}

/** Reads a fetch body as lines, decoding UTF-8 across chunk boundaries; stops when `signal` aborts. */
export async function* readLines(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const splitter = new LineSplitter();
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      for (const line of splitter.push(decoder.decode(value, { stream: true }))) yield line;
    }
    for (const line of splitter.push(decoder.decode())) yield line;
    for (const line of splitter.flush()) yield line;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early (break, throw) must close the connection, not just let go of it.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
