// Cold start: a fresh data dir is started once and stopped (SIGTERM); the second start of it
// is timed from spawn to the first 200 of GET /version (polled every 10 ms over loopback HTTP
// with the token). Then the server idles and its RSS is read from /proc/<pid>/status (VmRSS).
// The server runs as `jobyard server` runs by default (with its node agent when an engine answers).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAgentContainers } from '../../test/support/jobyard-server.js';
import { rssBytes } from '../lib/measure.js';
import { type BenchRow, ratioFigure } from '../lib/row.js';
import { BenchServer, freePort } from '../lib/server.js';

// Published, not measured here:
// - k3s server with a workload, kine/SQLite: 1596 M RAM (https://docs.k3s.io/reference/resource-profiling).
// - k3d: about 20 s to a cluster (issue 12's figure).
export const K3S_SERVER_RSS_MB = 1596;
export const K3D_START_SECONDS = 20;
const GOAL_START_S = 1.0;
const GOAL_RSS_MB = 120;

function versionOnce(port: number, token: string): Promise<number> {
  return new Promise((res) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/version', headers: { authorization: `Bearer ${token}` }, timeout: 1000 }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.on('timeout', () => {
      req.destroy();
      res(0);
    });
  });
}

async function firstVersion(port: number, token: string, t0: number, timeoutMs: number): Promise<number> {
  for (;;) {
    if ((await versionOnce(port, token)) === 200) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutMs) throw new Error(`/version did not answer 200 in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const coldStart: BenchRow = {
  id: 'cold-start',
  title: 'second start of a data dir → /version; RSS when idle',
  docker: false,
  async run(ctx) {
    const idleSeconds = ctx.size('idle-seconds', 20, 1);
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-bench-cold-'));
    const port = await freePort();
    let firstStart = 0;
    let secondStart = 0;
    let rss = 0;
    try {
      let t0 = performance.now();
      const first = await BenchServer.start({ build: ctx.build, dataDir, port });
      firstStart = await firstVersion(port, first.token, t0, 90_000);
      const token = first.token;
      await first.stop();
      t0 = performance.now();
      const starting = BenchServer.start({ build: ctx.build, dataDir, port });
      secondStart = await firstVersion(port, token, t0, 90_000);
      const second = await starting;
      ctx.log(`cold-start: idle ${idleSeconds} s`);
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
      rss = rssBytes(second.proc.pid!);
      await second.stop();
    } finally {
      await removeAgentContainers(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
    const rssMB = rss / 1024 / 1024;
    return {
      figures: [
        ratioFigure({ name: 'second start → /version', value: secondStart, unit: 's', reference: { label: 'k3d to a cluster (published)', value: K3D_START_SECONDS, unit: 's', published: true }, goal: { text: `≤ ${GOAL_START_S} s`, met: secondStart <= GOAL_START_S } }),
        ratioFigure({ name: `RSS after ${idleSeconds} s idle`, value: rssMB, unit: 'MB', reference: { label: 'k3s server, SQLite (published)', value: K3S_SERVER_RSS_MB, unit: 'MB', published: true }, goal: { text: `≤ ${GOAL_RSS_MB} MB`, met: rssMB <= GOAL_RSS_MB } }),
        { name: 'first start (fresh data dir) → /version', value: firstStart, unit: 's' },
      ],
      checks: [
        { name: 'both starts answered /version', ok: firstStart > 0 && secondStart > 0 },
        { name: 'RSS read', ok: rss > 0 },
      ],
      notes: [`server: ${ctx.build} (node ${ctx.build === 'tsx' ? '--import tsx cmd/jobyard.ts' : 'dist/cmd/jobyard.js'}), default flags (node agent on when Docker answers); time from spawn, polled every 10 ms`],
      details: { firstStartSeconds: firstStart, secondStartSeconds: secondStart, rssBytes: rss, idleSeconds },
    };
  },
};
