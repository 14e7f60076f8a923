// How long the API keeps other clients waiting while it takes in a heavy body: each body of
// test/security/bodies.test.ts (which asserts what is answered, never how fast) is sent, and
// while it is in flight /healthz and a GET of an absent object are probed one after another;
// the probes' max and p99. Reference in the same run: the same probes with nothing heavy in
// flight. The goal: no probe waits 300 ms or more (the event loop is never held that long).
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../lib/measure.js';
import { type BenchRow, type Check, type Figure, ratioFigure } from '../lib/row.js';
import { BenchServer } from '../lib/server.js';

const GOAL_MAX_MS = 300;
const NS = '/api/v1/namespaces/default';
const PROBE_PATHS = ['/healthz', `${NS}/configmaps/absent`];

interface Heavy {
  name: string;
  path: string;
  contentType: string;
  body: string;
  /** The answer it must get. */
  code: number;
}

/** The heavy bodies; `scale` 1 is the security test's size (smoke runs them smaller). */
function heavyBodies(scale: number): Heavy[] {
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  const yamlLines = Array.from({ length: n(30_000) }, (_, i) => `  k${String(i).padStart(6, '0')}: ${'v'.repeat(20)}`);
  const labels = Object.fromEntries(Array.from({ length: n(49_990) }, (_, i) => [`k${i}`, 'v']));
  return [
    { name: `${n(2048)} KiB of '[' as JSON (refused by the scan)`, path: `${NS}/configmaps`, contentType: 'application/json', body: '['.repeat(n(2048) * 1024), code: 400 },
    { name: `${n(2048)} KiB of '[' as YAML (refused by the scan)`, path: `${NS}/configmaps`, contentType: 'application/yaml', body: '['.repeat(n(2048) * 1024), code: 400 },
    { name: `YAML ConfigMap of ${n(30_000).toLocaleString('en-US')} keys (decoded on a worker)`, path: `${NS}/configmaps?dryRun=All`, contentType: 'application/yaml', body: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-yaml\ndata:\n${yamlLines.join('\n')}\n`, code: 201 },
    { name: `JSON ConfigMap of ${n(49_990).toLocaleString('en-US')} labels (decoded and validated inline)`, path: `${NS}/configmaps?dryRun=All`, contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many', labels } }), code: 201 },
    { name: `YAML of ${n(1_000_000).toLocaleString('en-US')} nodes (over 50,000: 413 before decoding)`, path: `${NS}/configmaps`, contentType: 'application/yaml', body: `[${'1,'.repeat(n(1_000_000))}1]`, code: scale * 1_000_000 > 50_000 ? 413 : 400 },
  ];
}

interface Answer {
  code: number;
  ms: number;
}

class Client {
  private readonly agent: https.Agent;
  private readonly base: string;
  private readonly token: string;

  constructor(base: string, token: string, ca: string) {
    this.base = base;
    this.token = token;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca });
  }

  send(method: string, path: string, body?: { contentType: string; text: string }): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    if (body) Object.assign(headers, { 'Content-Type': body.contentType, 'Content-Length': String(Buffer.byteLength(body.text)) });
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.base}${path}`, { method, headers, agent: this.agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ code: res.statusCode ?? 0, ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer in 300 s`)));
      req.on('error', reject);
      req.end(body?.text);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Probes one after another while `heavy` is in flight (at least `min`): their codes and latencies. */
async function probeWhile(client: Client, heavy: Promise<Answer> | undefined, min: number): Promise<Answer[]> {
  let inFlight = heavy !== undefined;
  void heavy?.then(
    () => (inFlight = false),
    () => (inFlight = false),
  );
  const out: Answer[] = [];
  while (inFlight || out.length < min) out.push(await client.send('GET', PROBE_PATHS[out.length % PROBE_PATHS.length]!));
  return out;
}

export const apiHeavyBodies: BenchRow = {
  id: 'api-heavy-bodies',
  title: 'API probes while heavy bodies are decoded, vs the same probes alone',
  docker: false,
  async run(ctx) {
    const scale = ctx.smoke ? 0.1 : 1;
    const referenceProbes = ctx.size('probes', 200, 20);
    const server = await BenchServer.start({ build: ctx.build, args: ['--no-agent'] });
    const client = new Client(`https://127.0.0.1:${server.port}`, server.token, readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8'));
    const figures: Figure[] = [];
    const checks: Check[] = [];
    const details: Record<string, unknown> = {};
    try {
      // Warm up (TLS sessions, the routes' first compile), then the reference.
      await probeWhile(client, undefined, 10);
      const alone = (await probeWhile(client, undefined, referenceProbes)).map((p) => p.ms);
      details.referenceMs = alone;
      const refMax = Math.max(...alone);
      const refP99 = percentile(alone, 99);
      let allProbesAnswered = true;
      for (const heavy of heavyBodies(scale)) {
        ctx.log(`api-heavy-bodies: ${heavy.name}`);
        const sent = client.send('POST', heavy.path, { contentType: heavy.contentType, text: heavy.body });
        const probes = await probeWhile(client, sent, 3);
        const answer = await sent;
        const ms = probes.map((p) => p.ms);
        details[heavy.name] = { answer, probesMs: ms };
        checks.push({ name: `${heavy.name}: answered ${heavy.code}`, ok: answer.code === heavy.code, detail: answer.code === heavy.code ? undefined : `answered ${answer.code}` });
        if (probes.some((p) => p.code !== 200 && p.code !== 404)) allProbesAnswered = false;
        const max = Math.max(...ms);
        figures.push(
          ratioFigure({ name: `${heavy.name}, ${ms.length} probes in ${answer.ms.toFixed(0)} ms: max`, value: max, unit: 'ms', reference: { label: `${alone.length} probes alone: max`, value: refMax, unit: 'ms' }, goal: { text: `< ${GOAL_MAX_MS} ms`, met: max < GOAL_MAX_MS } }),
          ratioFigure({ name: 'same: p99', value: percentile(ms, 99), unit: 'ms', reference: { label: 'alone: p99', value: refP99, unit: 'ms' } }),
        );
      }
      checks.push({ name: 'every probe answered 200 or 404', ok: allProbesAnswered });
    } finally {
      client.close();
      await server.stop();
    }
    return {
      figures,
      checks,
      notes: [`server: ${ctx.build}, --no-agent; probes are GET /healthz and GET of an absent ConfigMap, one after another on keep-alive HTTPS; bodies at ${scale === 1 ? 'the security test\'s sizes' : `${scale} of the security test's sizes`}`],
      details,
    };
  },
};
