// LogAndFileService of the FakeRuntime: the log lines programs wrote (followed on virtual
// time), and files as the container sees them.
import type { ContainerLogInfo, FileInfo, LogLine, LogOptions, ReadFileOptions, LogAndFileService } from '../../container-runtime.js';
import { LogLineFilter } from '../../log-lines.js';
import { matchPathGlob } from '../../path-glob.js';
import { RuntimeError } from '../../runtime-error.js';
import { normalizePath, type FakeNode } from './node.js';
import type { FakeContainerFS } from './container-fs.js';

export class FakeFilesAndLogs implements LogAndFileService {
  private readonly node: FakeNode;
  private readonly fs: FakeContainerFS;

  constructor(node: FakeNode, fs: FakeContainerFS) {
    this.node = node;
    this.fs = fs;
  }

  containerLogs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        // Like the engine: an unknown container fails when the stream is read, not before.
        const c = self.node.containers.get(id);
        if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
        const filter = new LogLineFilter(options);
        let start = 0;
        if (options.tail !== undefined && options.tail >= 0) start = Math.max(0, c.logs.length - options.tail);
        let i = start;
        for (;;) {
          while (i < c.logs.length) {
            const line = filter.accept(c.logs[i++]);
            if (line) yield line;
            if (filter.exhausted) return;
          }
          if (!options.follow || options.signal?.aborted) return;
          if (c.state === 'exited' || !self.node.containers.has(id)) return;
          await new Promise<void>((resolve) => {
            const wake = () => {
              c.logWaiters.delete(wake);
              options.signal?.removeEventListener('abort', wake);
              resolve();
            };
            c.logWaiters.add(wake);
            options.signal?.addEventListener('abort', wake, { once: true });
          });
        }
      },
    };
  }

  async statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    const out: FileInfo[] = [];
    for (const [path, f] of this.fs.visibleFiles(c)) {
      if (f.type === 'file' && matchPathGlob(pattern, path)) out.push({ path, sizeBytes: f.data.length, modifiedAt: f.mtime, mode: f.mode });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** The env the process sees; no host paths (a fake has no host): collectors read through the API. */
  async containerLogInfo(id: string): Promise<ContainerLogInfo> {
    const c = this.node.containers.get(id);
    if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
    return { env: c.env.map((e) => ({ ...e })), tty: !!c.config.tty, mounts: (c.config.mounts ?? []).map((m) => ({ destination: m.target })) };
  }

  async readFile(id: string, path: string, options: ReadFileOptions = {}): Promise<Buffer> {
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    const f = this.fs.lookupFile(c, normalizePath(path));
    if (!f || f.type !== 'file') throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
    const from = options.offsetBytes ?? 0;
    const to = options.limitBytes === undefined ? undefined : from + options.limitBytes;
    return Buffer.from(f.data.subarray(from, to));
  }
}
