// The CRI container log format (containerd, CRI-O; agent/runtime's cri-log-format.ts), line by
// line with byte offsets, for the collectors: `<time> <stream> <F|P> <content>`. A `P` record is
// a piece of a longer line (containerd splits at 16 KiB, and writes what is left without a
// newline at the end as `P`), joined with the next pieces of its stream into one line timed by
// its first piece, exactly as Docker's partial messages (json-log-parser.ts, whose offsets,
// holding back and truncation this shares).
import { parseCriLogRecord } from '../runtime/index.js';
import { DockerJsonLogParser, dockerTimeToMicros, type Pending } from './json-log-parser.js';

export class CriLogParser extends DockerJsonLogParser {
  protected override entry(chunk: Buffer, from: number, nl: number, start: number, end: number): void {
    const r = parseCriLogRecord(chunk, from, nl);
    if (!r) {
      this.skipped++;
      return;
    }
    const time = dockerTimeToMicros(r.time);
    let text = chunk.toString('utf8', r.contentStart, r.contentEnd);
    const p = this.pending[r.stream];
    if (r.partial) {
      if (p) this.add(p, text);
      else {
        const np: Pending = { start, time, pieces: [], bytes: 0, truncated: false };
        this.add(np, text);
        this.pending[r.stream] = np;
      }
      return;
    }
    // A tty's line ends "\r\n"; the runtime dropped the "\n" only (Docker's parser drops both).
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.line(r.stream, time, text, p, start, end);
  }
}
