// Decodes YAML bodies off the event loop. The yaml library takes about 2 µs a byte (seconds for
// a 3 MiB body), so only small bodies are decoded inline; larger ones go to a few worker threads,
// and while they work the server keeps answering. Bodies waiting beyond the queue's bound are
// refused with 429, as upstream's max-in-flight limit does; a decode that runs past its
// deadline is stopped (its worker replaced) and refused.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StatusError, badRequest, failureStatus } from '../../machinery/index.js';
import { decodeYamlText, type YamlDecodeResult } from './yaml-decode.js';
import { Counter, Gauge, lazyMetric } from '../../machinery/metrics/index.js';

// Two metrics show from outside what happens here (test/security/bodies.test.ts reads them):
// jobyard_yaml_worker_decodes_total counts the bodies handed to a worker (a body refused before
// decoding never is); jobyard_yaml_worker_decodes_in_flight, read from /metrics while one is
// decoded, shows the event loop answering meanwhile.
const decodesTotal = lazyMetric(
  (registry) =>
    new Counter({
      name: 'jobyard_yaml_worker_decodes_total',
      help: 'Number of YAML request bodies handed to worker threads for decoding.',
      registers: [registry],
    }),
);

const decodesInFlight = lazyMetric(
  (registry) =>
    new Gauge({
      name: 'jobyard_yaml_worker_decodes_in_flight',
      help: 'Number of YAML request bodies being decoded on worker threads.',
      registers: [registry],
    }),
);

/** Bodies up to this size decode inline (well under 100 ms even in the worst case). */
export const INLINE_YAML_BYTES = 16 * 1024;
const MAX_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));
const MAX_QUEUED = 16;
const DEADLINE_MS = 30_000;

interface Job {
  id: number;
  text: string;
  resolve: (r: YamlDecodeResult) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/** The worker: the built .js file, or from sources (tsx, vitest) the .ts file loaded through tsx's API. */
function newWorker(): Worker {
  // A worker's heap is bounded too: a body that needs more is refused, the server lives on.
  const resourceLimits = { maxOldGenerationSizeMb: 256 };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./yaml-worker.js', import.meta.url), { resourceLimits });
  // Node 20 does not carry `--import tsx` hooks into a worker's entry module: register them there.
  const entry = new URL('./yaml-worker.ts', import.meta.url).href;
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve(api);
  } catch {
    // the bare name, resolved from the working directory
  }
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, execArgv: [], resourceLimits });
}

class YamlPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;

  decode(text: string): Promise<YamlDecodeResult> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(
        new StatusError(failureStatus(429, 'TooManyRequests', 'too many large YAML bodies are being decoded; try again later, or send JSON')),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= MAX_WORKERS) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.fail(slot!, tooCostly()), DEADLINE_MS);
      decodesTotal().inc();
      decodesInFlight().inc();
      slot.worker.postMessage({ id: job.id, text: job.text });
    }
  }

  private spawn(): Slot {
    const worker = newWorker();
    const slot: Slot = { worker };
    worker.on('message', (msg: { id: number; result: YamlDecodeResult }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.finish(slot);
      job.resolve(msg.result);
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', () => this.fail(slot, new Error('the YAML decoding worker stopped')));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    decodesInFlight().dec();
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    slot.worker.unref();
    this.pump();
  }

  /** The worker's job fails and the worker is replaced (it may be stuck in the job). */
  private fail(slot: Slot, err: unknown): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    const job = slot.job;
    if (job) decodesInFlight().dec();
    slot.job = undefined;
    void slot.worker.terminate();
    job?.reject(err instanceof StatusError ? err : badRequest('error converting YAML to JSON: the body could not be decoded'));
    this.pump();
  }
}

function tooCostly(): StatusError {
  return new StatusError(failureStatus(413, 'RequestEntityTooLarge', `the YAML body could not be decoded within ${DEADLINE_MS / 1000} s; send it as JSON`));
}

let pool: YamlPool | undefined;

/** Decodes YAML inline when small, otherwise on a worker thread. */
export function decodeYaml(text: string): Promise<YamlDecodeResult> {
  if (text.length <= INLINE_YAML_BYTES) return Promise.resolve(decodeYamlText(text));
  pool ??= new YamlPool();
  return pool.decode(text);
}
