// What a log collector reads from: one source (a container's output, or one file inside it)
// with a position that can be stored as a checkpoint and resumed from.
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';

export interface ReadResult {
  entries: LogIngestEntry[];
  /** Where to resume after these entries (at or beyond the last entry's end). */
  checkpoint: LogCheckpoint;
  /** Nothing more to read right now. */
  eof: boolean;
}

export interface SourceReader {
  /** The source id within the logstore (`<containerID>/...`). */
  readonly id: string;
  /** For files: the path inside the container where it was found. */
  readonly path?: string;
  /** Positions at a stored checkpoint (or the beginning), e.g. after a failed send. */
  resume(cp: LogCheckpoint | undefined): Promise<void>;
  /** Reads what is there, at most about `maxEntries` lines. */
  read(maxEntries: number): Promise<ReadResult>;
  /** The source ended (its container exited and everything was read): unfinished lines as they are. */
  finish(): ReadResult;
  close(): Promise<void>;
}
