// Streams the logs of several containers into one ordered list of lines (the all-pods view).
import { useEffect, useRef, useState } from 'react';
import type { KubeClient } from './client.js';
import { errorMessage } from './api-error.js';
import { mergeLogLines, parseLogLine, type LogLine } from './log-lines.js';

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
}

export type LogStreamStatus = 'queued' | 'connecting' | 'streaming' | 'ended' | 'waiting' | 'error';

export interface LogStreamsState {
  lines: LogLine[];
  status: Record<string, { status: LogStreamStatus; message?: string }>;
}

export interface LogStreamOptions {
  follow: boolean;
  tailLines?: number;
  previous?: boolean;
  /** Delay before asking again for a container that has not started yet. */
  retryMs?: number;
  /**
   * Streams open at once. A browser keeps at most 6 HTTP/1.1 connections per origin and the
   * console's watches need some of them, so further containers wait for a free slot.
   */
  maxConcurrent?: number;
}

export const MAX_CONCURRENT_LOG_STREAMS = 3;

export const targetKey = (t: LogTarget): string => `${t.namespace}/${t.pod}/${t.container}`;

let seq = 0;

/**
 * Log streams of a changing set of containers: one stream per target (timestamps on, so lines of
 * different pods merge in time order), arriving lines flushed in batches. Targets that appear
 * (new pods) start streaming without disturbing the others; a container still waiting to start
 * is retried while following.
 */
export class LogStreams {
  private readonly client: KubeClient;
  private readonly o: LogStreamOptions;
  private readonly onChange: (s: LogStreamsState) => void;
  private readonly running = new Map<string, AbortController>();
  private state: LogStreamsState = { lines: [], status: {} };
  private pending: LogLine[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private active = 0;
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(client: KubeClient, o: LogStreamOptions, onChange: (s: LogStreamsState) => void) {
    this.client = client;
    this.o = o;
    this.onChange = onChange;
  }

  /** Starts streams for new targets and stops those no longer wanted (their lines stay). */
  setTargets(targets: readonly LogTarget[]): void {
    const wanted = new Map(targets.map((t) => [targetKey(t), t]));
    for (const [key, ctrl] of this.running) {
      if (!wanted.has(key)) {
        ctrl.abort();
        this.running.delete(key);
      }
    }
    for (const [key, t] of wanted) {
      if (this.running.has(key)) continue;
      const ctrl = new AbortController();
      this.running.set(key, ctrl);
      void this.run(t, ctrl.signal);
    }
  }

  close(): void {
    this.closed = true;
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    if (this.timer) clearTimeout(this.timer);
  }

  private flush = () => {
    this.timer = undefined;
    if (this.closed) return;
    this.state = { ...this.state, lines: mergeLogLines(this.state.lines, this.pending) };
    this.pending = [];
    this.onChange(this.state);
  };

  private setStatus(key: string, status: LogStreamStatus, message?: string) {
    if (this.closed) return;
    this.state = { ...this.state, status: { ...this.state.status, [key]: { status, message } } };
    this.onChange(this.state);
  }

  private async acquire(key: string, signal: AbortSignal): Promise<boolean> {
    const max = this.o.maxConcurrent ?? MAX_CONCURRENT_LOG_STREAMS;
    if (this.active >= max) {
      this.setStatus(key, 'queued');
      await new Promise<void>((resolve) => {
        this.waitingForSlot.push(resolve);
        signal.addEventListener('abort', () => resolve());
      });
    }
    if (signal.aborted) return false;
    this.active++;
    return true;
  }

  private release(): void {
    this.active--;
    this.waitingForSlot.shift()?.();
  }

  private async run(t: LogTarget, signal: AbortSignal) {
    if (!(await this.acquire(targetKey(t), signal))) return;
    try {
      await this.stream(t, signal);
    } finally {
      this.release();
    }
  }

  private async stream(t: LogTarget, signal: AbortSignal) {
    const key = targetKey(t);
    for (;;) {
      this.setStatus(key, 'connecting');
      try {
        let first = true;
        for await (const raw of this.client.logs(t.namespace, t.pod, { container: t.container, follow: this.o.follow, tailLines: this.o.tailLines, timestamps: true, previous: this.o.previous, signal })) {
          if (first) {
            this.setStatus(key, 'streaming');
            first = false;
          }
          this.pending.push({ pod: t.pod, container: t.container, ...parseLogLine(raw), seq: seq++ });
          if (!this.timer) this.timer = setTimeout(this.flush, 100);
        }
        if (!signal.aborted) this.setStatus(key, 'ended');
        return;
      } catch (err) {
        if (signal.aborted) return;
        const msg = errorMessage(err);
        // The kubelet answers 400 "container … is waiting to start" before the container runs.
        if (this.o.follow && /waiting to start|ContainerCreating|PodInitializing/i.test(msg)) {
          this.setStatus(key, 'waiting', msg);
          await new Promise((r) => setTimeout(r, this.o.retryMs ?? 2000));
          if (signal.aborted) return;
          continue;
        }
        this.setStatus(key, 'error', msg);
        return;
      }
    }
  }
}

/** Streams the logs of fixed targets until the returned function is called. */
export function streamLogs(client: KubeClient, targets: readonly LogTarget[], o: LogStreamOptions, onChange: (s: LogStreamsState) => void): () => void {
  const s = new LogStreams(client, o, onChange);
  s.setTargets(targets);
  return () => s.close();
}

/** React binding: options changes restart every stream; target changes add or stop streams. */
export function useLogStreams(client: KubeClient, targets: readonly LogTarget[], o: LogStreamOptions): LogStreamsState {
  const [state, setState] = useState<LogStreamsState>({ lines: [], status: {} });
  const streams = useRef<LogStreams | undefined>(undefined);
  const latestTargets = useRef(targets);
  latestTargets.current = targets;
  useEffect(() => {
    setState({ lines: [], status: {} });
    const s = new LogStreams(client, { follow: o.follow, tailLines: o.tailLines, previous: o.previous, retryMs: o.retryMs, maxConcurrent: o.maxConcurrent }, setState);
    streams.current = s;
    s.setTargets(latestTargets.current);
    return () => {
      s.close();
      streams.current = undefined;
    };
  }, [client, o.follow, o.tailLines, o.previous, o.retryMs, o.maxConcurrent]);
  const key = targets.map(targetKey).join('|');
  useEffect(() => {
    streams.current?.setTargets(latestTargets.current);
  }, [key]);
  return state;
}
