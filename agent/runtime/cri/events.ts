// Container lifecycle events through the CRI by relisting, as the kubelet's generic PLEG does:
// containerd 1.6 answers GetContainerEvents with Unimplemented (the evented PLEG came with
// containerd 1.7), so every second the sandboxes and containers are listed and the states
// compared with the last list. A container first seen after the stream began gets every step it
// went through (created, started, exited), so a short-lived one is never missed; an exit
// carries its code (one status call), an OOM kill an 'oom' first.
import { AsyncQueue } from '../async-queue.js';
import { LABEL_CONTAINER_TYPE, LABEL_MANAGED, type ContainerEvent, type ContainerEventType, type ContainerType, type EventsOptions } from '../container-runtime.js';
import { isRuntimeError, RuntimeError } from '../runtime-error.js';
import type { CriContext } from './context.js';
import { fromNanos } from './status.js';

export const RELIST_PERIOD_MS = 1000;

type Phase = 'created' | 'running' | 'exited';

interface Seen {
  phase: Phase;
  type: ContainerType;
  labels: Record<string, string>;
}

const ORDER: Phase[] = ['created', 'running', 'exited'];

export function criEvents(ctx: CriContext, options: EventsOptions = {}, periodMs = RELIST_PERIOD_MS): AsyncIterable<ContainerEvent> {
  const ac = new AbortController();
  const queue = new AsyncQueue<ContainerEvent>(() => ac.abort());
  const since = Date.now();
  const selector = { ...options.labels, [LABEL_MANAGED]: 'true' };
  const known = new Map<string, Seen>();
  options.signal?.addEventListener('abort', () => {
    ac.abort();
    queue.end();
  });
  if (options.signal?.aborted) {
    queue.end();
    return queue;
  }

  const emit = (type: ContainerEventType, id: string, seen: Seen, extra: Partial<ContainerEvent> = {}) => {
    if (!ac.signal.aborted) queue.push({ type, id, containerType: seen.type, labels: seen.labels, time: new Date(), ...extra });
  };

  const exitOf = async (id: string): Promise<Partial<ContainerEvent> & { oom?: boolean; neverStarted?: boolean }> => {
    try {
      const { status } = await ctx.runtime.ContainerStatus({ container_id: id, verbose: false });
      if (!status) return {};
      return {
        exitCode: status.exit_code,
        oom: status.reason === 'OOMKilled',
        neverStarted: !status.started_at,
        ...(fromNanos(status.finished_at) ? { time: fromNanos(status.finished_at)! } : {}),
      };
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) return {};
      throw err;
    }
  };

  const relist = async (first: boolean) => {
    const [{ items }, { containers }] = await Promise.all([
      ctx.runtime.ListPodSandbox({ filter: { label_selector: selector } }, { untracked: true }),
      ctx.runtime.ListContainers({ filter: { label_selector: selector } }, { untracked: true }),
    ]);
    const now = new Map<string, { phase: Phase; type: ContainerType; labels: Record<string, string>; createdAt: number }>();
    for (const s of items) now.set(s.id, { phase: String(s.state) === 'SANDBOX_READY' ? 'running' : 'exited', type: 'podsandbox', labels: { ...s.labels }, createdAt: s.created_at });
    for (const c of containers) {
      const st = String(c.state);
      const phase: Phase = st === 'CONTAINER_RUNNING' ? 'running' : st === 'CONTAINER_EXITED' ? 'exited' : 'created';
      now.set(c.id, { phase, type: c.labels[LABEL_CONTAINER_TYPE] === 'podsandbox' ? 'podsandbox' : 'container', labels: { ...c.labels }, createdAt: c.created_at });
    }
    for (const [id, cur] of now) {
      const prev = known.get(id);
      // What existed before the stream began is the baseline, not news.
      if (!prev && first && (fromNanos(cur.createdAt)?.getTime() ?? 0) < since) {
        known.set(id, { phase: cur.phase, type: cur.type, labels: cur.labels });
        continue;
      }
      const seen: Seen = { phase: cur.phase, type: cur.type, labels: cur.labels };
      const from = prev ? ORDER.indexOf(prev.phase) + 1 : 0;
      const to = ORDER.indexOf(cur.phase);
      // An exit is read first: a container whose process never started (StartError) is not told as started.
      const exit = cur.phase === 'exited' && from <= to && cur.type === 'container' ? await exitOf(id) : {};
      const { oom, neverStarted, ...exitEvent } = exit;
      for (let i = from; i <= to; i++) {
        const phase = ORDER[i]!;
        if (phase === 'created') emit('created', id, seen);
        else if (phase === 'running') {
          if (!neverStarted) emit('started', id, seen);
        } else {
          if (oom) emit('oom', id, seen);
          emit('exited', id, seen, exitEvent);
        }
      }
      known.set(id, seen);
    }
    for (const [id, seen] of known) {
      if (now.has(id)) continue;
      known.delete(id);
      emit('removed', id, seen);
    }
  };

  void (async () => {
    let first = true;
    while (!ac.signal.aborted) {
      try {
        await relist(first);
        first = false;
      } catch (err) {
        if (ac.signal.aborted) break;
        queue.error(isRuntimeError(err) ? err : new RuntimeError('RuntimeUnavailable', `relist: ${String(err)}`, { cause: err }));
        return;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, periodMs);
        ac.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
    queue.end();
  })();
  return queue;
}
