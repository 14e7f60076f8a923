// The collector of one container: a reader per source (its output; each file matching its
// patterns), for each logstore its environment names, and the loop step that reads them and
// sends one call's worth of batches to the sink.
//
// Positions: a reader resumes from the checkpoint the sink has stored for its source, and
// after a failed send it goes back to the last checkpoint the sink acknowledged; the sink
// skips what it already has, so nothing is stored twice and nothing is skipped.
//
// The end: once the container has exited, a source read to its end is finished (unfinished
// lines become lines as they are) and its checkpoint is marked finished, so a restarted agent
// does not read it again. `done` is true when every source is finished.
import type { LogCheckpoint, LogIngestBatch, LogSource } from '../../api/index.js';
import type { Logger } from '../../client/index.js';
import type { ContainerLogInfo, ContainerRuntime } from '../runtime/index.js';
import { HostFileReader, hostFileCursorPath } from './host-file-reader.js';
import { HostView } from './host-view.js';
import { CriFileReader } from './cri-file-reader.js';
import { JsonFileReader } from './json-file-reader.js';
import type { LogConfig } from './log-config.js';
import type { LogSink } from './log-sink.js';
import { RuntimeFileReader, RuntimeStdioReader } from './runtime-readers.js';
import type { ReadResult, SourceReader } from './source-reader.js';

/** Who a container is, for the records. */
export interface CollectedContainer {
  id: string;
  namespace: string;
  pod: string;
  podUID: string;
  container: string;
  job?: string;
}

export interface ContainerCollectorOptions {
  /** Lines per source per read. @defaultValue 20000 */
  maxBatchLines?: number;
  /** How often file patterns are matched again (new files). @defaultValue 1 s */
  scanIntervalMs?: number;
  /** A file no longer matched (renamed away, deleted) is read until idle this long. @defaultValue 30 s */
  vanishedGraceMs?: number;
  /** An exited container's source is finished once at its end for this long (late log writes). @defaultValue 300 ms */
  settleMs?: number;
}

export interface ContainerCollectorDeps {
  sink: LogSink;
  runtime: ContainerRuntime;
  container: CollectedContainer;
  info: ContainerLogInfo;
  configs: LogConfig[];
  /** Read host files directly (a local engine); otherwise through the runtime's API. */
  hostAccess: boolean;
  now: () => number;
  logger: Logger;
  options?: ContainerCollectorOptions;
}

interface Source {
  logstore: string;
  reader: SourceReader;
  meta: LogSource;
  /** The checkpoint the sink holds. */
  acked: LogCheckpoint | undefined;
  finished: boolean;
  /** For files: when a scan last matched it. */
  seenAt: number;
  /** When the reader was first seen at its end after the container exited. */
  endSince?: number;
}

function sameCheckpoint(a: LogCheckpoint | undefined, b: LogCheckpoint): boolean {
  return !!a && a.offset === b.offset && (a.cursor ?? '') === (b.cursor ?? '') && !!a.finished === !!b.finished;
}

export class ContainerCollector {
  readonly container: CollectedContainer;
  private readonly deps: ContainerCollectorDeps;
  private readonly view: HostView;
  private readonly sources = new Map<string, Source>();
  /** Checkpoints the sink held at start, per logstore and source id. */
  private readonly stored = new Map<string, Map<string, LogCheckpoint>>();
  private started = false;
  private lastScan = -Infinity;
  private lookedForRenamed = false;
  private scannedAfterExit = false;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(deps: ContainerCollectorDeps) {
    this.deps = deps;
    this.container = deps.container;
    this.view = new HostView(deps.info);
  }

  private get opts(): Required<ContainerCollectorOptions> {
    const o = this.deps.options ?? {};
    return {
      maxBatchLines: o.maxBatchLines ?? 20_000,
      scanIntervalMs: o.scanIntervalMs ?? 1000,
      vanishedGraceMs: o.vanishedGraceMs ?? 30_000,
      settleMs: o.settleMs ?? 300,
    };
  }

  /** Runs steps one at a time (the poll loop and a drain may both call). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private meta(logstore: string, id: string, path?: string): LogSource {
    const c = this.container;
    const cfg = this.deps.configs.find((x) => x.logstore === logstore);
    const m: LogSource = { id, namespace: c.namespace, pod: c.pod, podUID: c.podUID, container: c.container, containerID: c.id };
    if (c.job) m.job = c.job;
    if (cfg && Object.keys(cfg.tags).length) m.tags = { ...cfg.tags };
    if (path !== undefined) m.path = path;
    return m;
  }

  private async add(logstore: string, reader: SourceReader): Promise<void> {
    const cp = this.stored.get(logstore)?.get(reader.id);
    const src: Source = { logstore, reader, meta: this.meta(logstore, reader.id, reader.path), acked: cp, finished: !!cp?.finished, seenAt: this.deps.now() };
    this.sources.set(`${logstore}\0${reader.id}`, src);
    if (src.finished) {
      await reader.close();
      return;
    }
    await reader.resume(cp);
  }

  private async start(): Promise<void> {
    this.started = true;
    const cid = this.container.id;
    for (const cfg of this.deps.configs) {
      if (this.stored.has(cfg.logstore)) continue;
      const list = await this.deps.sink.checkpoints(cfg.logstore, `${cid}/`);
      this.stored.set(cfg.logstore, new Map(list.map((c) => [c.source, c])));
    }
    for (const cfg of this.deps.configs) {
      if (cfg.target.kind !== 'stdout') continue;
      const id = `${cid}/stdio`;
      if (this.sources.has(`${cfg.logstore}\0${id}`)) continue;
      const logPath = this.deps.hostAccess ? this.deps.info.logPath : undefined;
      const onGap = (m: string) => this.deps.logger.warn('container log lines lost', { container: cid, message: m });
      const reader: SourceReader = !logPath
        ? new RuntimeStdioReader(id, this.deps.runtime, cid)
        : this.deps.info.logFormat === 'cri'
          ? new CriFileReader(id, { logPath, onGap })
          : new JsonFileReader(id, { logPath, onGap });
      await this.add(cfg.logstore, reader);
    }
  }

  /** Matches the file patterns again; new files get readers. */
  private async scan(exited: boolean): Promise<void> {
    const now = this.deps.now();
    this.lastScan = now;
    const cid = this.container.id;
    const nowMicros = () => this.deps.now() * 1000;
    for (const cfg of this.deps.configs) {
      if (cfg.target.kind !== 'files') continue;
      for (const pattern of cfg.target.patterns) {
        if (this.deps.hostAccess && this.view.covers(pattern)) {
          for (const f of await this.view.glob(pattern)) {
            const id = `${cid}/file/${f.key}`;
            const known = this.sources.get(`${cfg.logstore}\0${id}`);
            if (known) {
              known.seenAt = now;
              continue;
            }
            await this.add(cfg.logstore, new HostFileReader(id, { path: f.path, hostPath: f.hostPath, nowMicros })).catch((err: unknown) =>
              this.deps.logger.warn('cannot read a log file', { container: cid, path: f.path, error: String(err) }),
            );
          }
        } else {
          for (const f of await this.deps.runtime.statFiles(cid, pattern).catch(() => [])) {
            const id = `${cid}/path${f.path}`;
            const known = this.sources.get(`${cfg.logstore}\0${id}`);
            if (known) {
              known.seenAt = now;
              continue;
            }
            await this.add(cfg.logstore, new RuntimeFileReader(id, { runtime: this.deps.runtime, containerId: cid, path: f.path, nowMicros }));
          }
        }
      }
    }
    if (!this.lookedForRenamed) await this.findRenamed(nowMicros);
    if (exited) this.scannedAfterExit = true;
  }

  /**
   * Files with an unfinished checkpoint that no pattern matches any more were renamed (or
   * deleted) while no collector ran: look for them beside where they were, and read them out.
   */
  private async findRenamed(nowMicros: () => number): Promise<void> {
    this.lookedForRenamed = true;
    if (!this.deps.hostAccess) return;
    const prefix = `${this.container.id}/file/`;
    for (const [logstore, cps] of this.stored) {
      for (const [id, cp] of cps) {
        if (!id.startsWith(prefix) || cp.finished || this.sources.has(`${logstore}\0${id}`)) continue;
        const path = hostFileCursorPath(cp.cursor);
        if (!path) continue;
        const f = await this.view.findByKey(path.slice(0, path.lastIndexOf('/')) || '/', id.slice(prefix.length));
        if (!f) continue;
        await this.add(logstore, new HostFileReader(id, { path: f.path, hostPath: f.hostPath, nowMicros })).catch(() => undefined);
        // Not matched by any pattern: it is over once read to its end.
        const src = this.sources.get(`${logstore}\0${id}`);
        if (src) src.seenAt = -Infinity;
      }
    }
  }

  /** Whether a source that is at its end now is over for good. */
  private over(src: Source, r: ReadResult, exited: boolean): boolean {
    if (!r.eof) {
      src.endSince = undefined;
      return false;
    }
    const now = this.deps.now();
    if (!exited) {
      // A file nobody can find any more (renamed away, deleted) and idle: over.
      if (src.meta.path !== undefined && now - src.seenAt > this.opts.vanishedGraceMs) return true;
      return false;
    }
    if (src.reader instanceof RuntimeStdioReader) return src.reader.done;
    src.endSince ??= now;
    return now - src.endSince >= this.opts.settleMs;
  }

  /**
   * One step: reads every source once and sends what was read. Resolves with whether lines
   * were read (call again at once) and whether the container's logs are complete.
   */
  poll(exited: boolean): Promise<{ progress: boolean; done: boolean }> {
    return this.serial(async () => {
      if (this.closed) return { progress: false, done: true };
      if (!this.started) await this.start();
      if (this.deps.now() - this.lastScan >= this.opts.scanIntervalMs || (exited && !this.scannedAfterExit)) await this.scan(exited);
      const batches: LogIngestBatch[] = [];
      const sent: Source[] = [];
      let progress = false;
      for (const src of this.sources.values()) {
        if (src.finished) continue;
        let r = await src.reader.read(this.opts.maxBatchLines);
        if (this.over(src, r, exited)) {
          const fin = src.reader.finish();
          r = { entries: [...r.entries, ...fin.entries], checkpoint: fin.checkpoint, eof: true };
        }
        if (r.entries.length) progress = true;
        if (!r.entries.length && sameCheckpoint(src.acked, r.checkpoint)) continue;
        batches.push({ logstore: src.logstore, source: src.meta, entries: r.entries, checkpoint: r.checkpoint });
        sent.push(src);
      }
      if (batches.length) {
        try {
          const results = await this.deps.sink.ingest(batches);
          results.forEach((res, i) => {
            const src = sent[i];
            src.acked = res.checkpoint;
            if (res.checkpoint.finished) {
              src.finished = true;
              void src.reader.close();
            }
          });
        } catch (err) {
          // Back to what the sink holds; the same lines are read and sent again next time.
          for (const src of sent) await src.reader.resume(src.acked);
          throw err;
        }
      }
      const done = exited && this.scannedAfterExit && [...this.sources.values()].every((s) => s.finished);
      return { progress, done };
    });
  }

  /** Stops reading (the container is gone, or the agent stops). */
  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      for (const s of this.sources.values()) await s.reader.close();
    });
  }
}
