// LogAndFileService on the engine: container logs from the json-file driver, files inside
// containers through the archive API (running or exited, local or remote engine), and where
// a collector on the engine's host finds both.
import type { ContainerLogInfo, FileInfo, LogAndFileService, LogLine, LogOptions, ReadFileOptions } from '../container-runtime.js';
import { DockerLogParser, LogLineFilter } from '../log-lines.js';
import { globBase, hasGlob, matchPathGlob } from '../path-glob.js';
import { RuntimeError } from '../runtime-error.js';
import { TarReader } from '../tar.js';
import { unixNanos, type DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';

interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode: no type bits set means a regular file. */
function isRegularMode(mode: number): boolean {
  const TYPE_BITS = 0x80000000 | 0x40000000 | 0x20000000 | 0x10000000 | 0x08000000 | 0x04000000 | 0x02000000 | 0x01000000 | 0x00200000 | 0x00080000;
  return (mode & TYPE_BITS) === 0 && (mode >>> 0) < 0x80000000;
}

export class DockerFilesAndLogs implements LogAndFileService {
  private readonly engine: DockerEngine;

  constructor(engine: DockerEngine) {
    this.engine = engine;
  }

  containerLogs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const info = await self.engine.inspect(id, 'container');
        const parser = new DockerLogParser(!!info.Config.Tty);
        const filter = new LogLineFilter({ since: options.since, limitBytes: options.limitBytes });
        const ac = new AbortController();
        const onAbort = () => ac.abort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const stream = options.stream ?? 'all';
        const query: Record<string, unknown> = {
          follow: !!options.follow,
          stdout: stream !== 'stderr',
          stderr: stream !== 'stdout',
          timestamps: true,
          tail: options.tail !== undefined && options.tail >= 0 ? String(options.tail) : 'all',
          abortSignal: ac.signal,
        };
        if (options.since) query.since = unixNanos(options.since);
        let body: unknown;
        try {
          body = await self.engine.docker.getContainer(id).logs(query as { follow: false });
        } catch (err) {
          options.signal?.removeEventListener('abort', onAbort);
          if (options.signal?.aborted) return;
          throw toRuntimeError(err, 'Unknown', `failed to read logs of ${id}`);
        }
        const source: AsyncIterable<Buffer> | Iterable<Buffer> = Buffer.isBuffer(body) ? [body] : (body as AsyncIterable<Buffer>);
        try {
          for await (const chunk of source) {
            for (const line of parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
              const l = filter.accept(line);
              if (l) yield l;
              if (filter.exhausted) return;
            }
          }
          for (const line of parser.end()) {
            const l = filter.accept(line);
            if (l) yield l;
          }
        } catch (err) {
          if (!ac.signal.aborted) throw toRuntimeError(err, 'Unknown', `failed to read logs of ${id}`);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          ac.abort();
          (body as { destroy?: () => void })?.destroy?.();
        }
      },
    };
  }

  async statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    await this.engine.inspect(id, 'container');
    const container = this.engine.docker.getContainer(id);
    if (!hasGlob(pattern)) {
      try {
        const res = (await container.infoArchive({ path: pattern })) as { headers: Record<string, string>; resume?: () => void };
        res.resume?.();
        const stat = JSON.parse(Buffer.from(res.headers['x-docker-container-path-stat'] ?? '', 'base64').toString('utf8')) as PathStat;
        if (!isRegularMode(stat.mode)) return [];
        return [{ path: pattern, sizeBytes: stat.size, modifiedAt: new Date(stat.mtime), mode: stat.mode & 0o7777 }];
      } catch (err) {
        if (isStatus(err, 404)) return [];
        throw toRuntimeError(err, 'Unknown', `failed to stat ${pattern}`);
      }
    }
    const base = globBase(pattern);
    const parent = base === '/' ? '' : base.slice(0, base.lastIndexOf('/'));
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await container.getArchive({ path: base })) as NodeJS.ReadableStream;
    } catch (err) {
      if (isStatus(err, 404)) return [];
      throw toRuntimeError(err, 'Unknown', `failed to list ${base}`);
    }
    const out: FileInfo[] = [];
    const reader = new TarReader();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const ev of reader.push(chunk)) {
        if (ev.kind !== 'header' || ev.header.type !== 'file') continue;
        const path = base === '/' ? `/${ev.header.path}` : `${parent}/${ev.header.path}`;
        if (matchPathGlob(pattern, path)) out.push({ path, sizeBytes: ev.header.size, modifiedAt: ev.header.mtime, mode: ev.header.mode & 0o7777 });
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async readFile(id: string, path: string, options: ReadFileOptions = {}, depth = 0): Promise<Buffer> {
    await this.engine.inspect(id, 'container');
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      stream = (await this.engine.docker.getContainer(id).getArchive({ path })) as NodeJS.ReadableStream;
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
      throw toRuntimeError(err, 'Unknown', `failed to read ${path}`);
    }
    const reader = new TarReader();
    const from = options.offsetBytes ?? 0;
    const limit = options.limitBytes ?? Number.POSITIVE_INFINITY;
    const out: Buffer[] = [];
    let pos = 0;
    let got = 0;
    let first: 'file' | 'symlink' | 'other' | undefined;
    let link = '';
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const ev of reader.push(chunk)) {
          if (ev.kind === 'header' && first === undefined) {
            first = ev.header.type === 'file' ? 'file' : ev.header.type === 'symlink' ? 'symlink' : 'other';
            link = ev.header.linkTarget;
          } else if (ev.kind === 'data' && first === 'file') {
            const c = ev.chunk;
            const start = Math.max(0, from - pos);
            pos += c.length;
            if (start < c.length && got < limit) {
              const piece = c.subarray(start, start + (limit - got));
              out.push(Buffer.from(piece));
              got += piece.length;
            }
          } else if (ev.kind === 'header' || ev.kind === 'end') {
            stream.destroy?.();
            return this.finishRead(id, path, first, link, out, options, depth);
          }
          if (got >= limit) {
            stream.destroy?.();
            return Buffer.concat(out);
          }
        }
      }
    } catch (err) {
      if (got >= limit) return Buffer.concat(out);
      throw toRuntimeError(err, 'Unknown', `failed to read ${path}`);
    }
    return this.finishRead(id, path, first, link, out, options, depth);
  }

  async containerLogInfo(id: string): Promise<ContainerLogInfo> {
    const info = await this.engine.inspect(id, 'container');
    const out: ContainerLogInfo = {
      env: (info.Config.Env ?? []).map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) };
      }),
      tty: !!info.Config.Tty,
      mounts: (info.Mounts ?? []).map((m) => ({ destination: m.Destination, ...(m.Type === 'bind' || m.Type === 'volume' ? { source: m.Source } : {}) })),
    };
    if (info.LogPath) out.logPath = info.LogPath;
    const upper = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
    if (info.GraphDriver?.Name === 'overlay2' && upper) out.rootfsDir = upper;
    return out;
  }

  private finishRead(
    id: string,
    path: string,
    first: 'file' | 'symlink' | 'other' | undefined,
    link: string,
    out: Buffer[],
    options: ReadFileOptions,
    depth: number,
  ): Promise<Buffer> {
    if (first === 'file') return Promise.resolve(Buffer.concat(out));
    if (first === 'symlink' && depth < 8) {
      const target = link.startsWith('/') ? link : `${path.slice(0, path.lastIndexOf('/'))}/${link}`;
      return this.readFile(id, target, options, depth + 1);
    }
    return Promise.reject(new RuntimeError('NotFound', `${path} in container ${id} is not a regular file`));
  }
}
