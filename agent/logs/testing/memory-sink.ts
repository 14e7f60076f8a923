// Test support: a LogSink in memory with the log store's rules (entries at or below a
// source's checkpoint are skipped, checkpoints never move back), and failures on demand.
import type { LogCheckpoint, LogIngestBatch, LogIngestEntry, LogIngestResult, LogSource } from '../../../api/index.js';
import type { LogSink } from '../log-sink.js';

export interface StoredLine extends LogIngestEntry {
  logstore: string;
  source: LogSource;
}

export class MemorySink implements LogSink {
  readonly lines: StoredLine[] = [];
  readonly checkpointsBySource = new Map<string, LogCheckpoint>();
  readonly calls: LogIngestBatch[][] = [];
  /** The next n ingest calls fail (after nothing was stored). */
  failNext = 0;

  async checkpoints(logstore: string, prefix: string): Promise<Array<LogCheckpoint & { source: string }>> {
    const out: Array<LogCheckpoint & { source: string }> = [];
    for (const [key, cp] of this.checkpointsBySource) {
      const [store, source] = key.split('\0');
      if (store === logstore && source.startsWith(prefix)) out.push({ source, ...cp });
    }
    return out;
  }

  async ingest(batches: LogIngestBatch[]): Promise<LogIngestResult[]> {
    this.calls.push(structuredClone(batches));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('log service unavailable');
    }
    return batches.map((b) => {
      const key = `${b.logstore}\0${b.source.id}`;
      const stored = this.checkpointsBySource.get(key);
      let accepted = 0;
      let skipped = 0;
      for (const e of b.entries) {
        if (stored && e.end <= stored.offset) skipped++;
        else {
          this.lines.push({ ...e, logstore: b.logstore, source: b.source });
          accepted++;
        }
      }
      const next = !stored || b.checkpoint.offset >= stored.offset ? { ...b.checkpoint, ...(stored?.finished ? { finished: true } : {}) } : stored;
      this.checkpointsBySource.set(key, next);
      return { accepted, skipped, checkpoint: next };
    });
  }

  /** The stored lines of a logstore, as text. */
  text(logstore: string): string[] {
    return this.lines.filter((l) => l.logstore === logstore).map((l) => l.line);
  }
}
