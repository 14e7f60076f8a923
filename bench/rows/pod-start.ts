// Pod start, one at a time: POST → the container seen running by a watch (containerStatuses
// state.running), p50/p99 over 30 pods; each pod is deleted (grace 0) and gone before the next.
// Reference in the same run: `docker run -d busybox:1.36 sleep 3600`, spawn → the container's
// `start` event from `docker events` (the engine's own signal, as the watch is jobyard's), each
// removed before the next. One unmeasured warm-up on each side first.
import type { Pod } from '../../api/index.js';
import type { RestClientset } from '../../client/index.js';
import { removeAgentContainers } from '../../test/support/jobyard-server.js';
import { DockerStartEvents, docker } from '../lib/docker.js';
import { percentile } from '../lib/measure.js';
import { type BenchRow, type Check, ratioFigure } from '../lib/row.js';
import { BenchServer } from '../lib/server.js';
import { IMAGE } from './job-200.js';

const GOAL_RATIO = 1.1;

/** Watches pods of `ns` and resolves waiters on a pod running / deleted. */
class PodWatch {
  private readonly ac = new AbortController();
  private readonly running = new Map<string, (t: number) => void>();
  private readonly deleted = new Map<string, () => void>();

  constructor(cs: RestClientset, ns: string, rv: string) {
    void (async () => {
      let from = rv;
      while (!this.ac.signal.aborted) {
        try {
          for await (const ev of cs.pods.namespace(ns).watch({ resourceVersion: from, allowWatchBookmarks: true, signal: this.ac.signal })) {
            const t = performance.now();
            from = ev.object.metadata.resourceVersion ?? from;
            if (ev.type === 'BOOKMARK') continue;
            const p = ev.object as Pod;
            const name = p.metadata.name ?? '';
            if (ev.type === 'DELETED') this.deleted.get(name)?.();
            else if (p.status?.containerStatuses?.[0]?.state?.running) {
              const w = this.running.get(name);
              this.running.delete(name);
              w?.(t);
            }
          }
        } catch {
          if (this.ac.signal.aborted) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    })();
  }

  whenRunning(name: string): Promise<number> {
    return new Promise((res) => this.running.set(name, res));
  }

  whenDeleted(name: string): Promise<void> {
    return new Promise((res) => this.deleted.set(name, res));
  }

  close(): void {
    this.ac.abort();
  }
}

function podManifest(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  } as Pod;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export const podStart: BenchRow = {
  id: 'pod-start',
  title: 'pod start, POST → running seen by watch, vs docker run -d',
  docker: true,
  async run(ctx) {
    const n = ctx.size('pods', 30, 2);
    const server = await BenchServer.start({ build: ctx.build, args: ctx.serverArgs });
    const ours: number[] = [];
    const theirs: number[] = [];
    const checks: Check[] = [];
    try {
      const cs = server.clientset();
      const pods = cs.pods.namespace('default');
      const list = await pods.list();
      const watch = new PodWatch(cs, 'default', list.metadata?.resourceVersion ?? '');
      try {
        for (let i = 0; i <= n; i++) {
          const name = `pod-start-${i}`;
          const running = watch.whenRunning(name);
          const t0 = performance.now();
          await pods.create(podManifest(name));
          const t = await withTimeout(running, 120_000, `pod ${name} running`);
          if (i > 0) ours.push(t - t0);
          const gone = watch.whenDeleted(name);
          await pods.delete(name, { gracePeriodSeconds: 0 });
          await withTimeout(gone, 120_000, `pod ${name} deleted`);
        }
      } finally {
        watch.close();
      }
    } finally {
      await server.stop({ keepDataDir: true });
      await removeAgentContainers(server.dataDir);
      await server.stop();
    }
    checks.push({ name: `jobyard: ${n} pods seen running`, ok: ours.length === n });
    const events = new DockerStartEvents();
    try {
      // Let `docker events` subscribe before the first container.
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i <= n; i++) {
        const name = `jobyard-bench-${process.pid}-${i}`;
        const started = events.started(name);
        const t0 = performance.now();
        await docker(['run', '-d', '--name', name, IMAGE, 'sleep', '3600']);
        const t = await started;
        if (i > 0) theirs.push(t - t0);
        await docker(['rm', '-f', name]);
      }
    } finally {
      events.close();
    }
    checks.push({ name: `docker: ${n} containers seen started`, ok: theirs.length === n });
    const p50 = percentile(ours, 50);
    const p99 = percentile(ours, 99);
    const d50 = percentile(theirs, 50);
    const d99 = percentile(theirs, 99);
    return {
      figures: [
        ratioFigure({ name: `p50 of ${n}`, value: p50, unit: 'ms', reference: { label: 'docker run -d p50', value: d50, unit: 'ms' }, goal: { text: `≤ ${GOAL_RATIO}× docker run -d`, met: p50 <= GOAL_RATIO * d50 } }),
        ratioFigure({ name: `p99 of ${n}`, value: p99, unit: 'ms', reference: { label: 'docker run -d p99', value: d99, unit: 'ms' } }),
      ],
      checks,
      notes: [`server: ${ctx.build}, with its node agent; ${IMAGE} sleep 3600, one at a time, deleted before the next; docker side timed from spawning the docker CLI (its own start included, as a user's) to the container's start event (docker events)`],
      details: { jobyardMs: ours, dockerMs: theirs },
    };
  },
};
