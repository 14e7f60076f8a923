// The log service (docs/product.md#log-service) on real containers: the log service of `jobyard server` (node agent collectors on
// the Docker engine, the log store, the CLI). A Job's pods write to stdout and stderr and to
// files under a wildcard path that are rotated (renamed and recreated) and truncated
// (copytruncate), with tags; `jobyard logs search` finds every line exactly once with its
// tags and source, also after the pods are deleted; retention removes old lines and only
// them; a server killed with SIGKILL while a container writes 100,000 lines stores every line
// exactly once after its restart.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_LINE_MAX_BYTES, LOG_TRUNCATED_MARKER, type LogRecord } from '../../api/index.js';
import { apiRequest } from '../support/api.js';
import { JobyardServer, REPO_ROOT } from '../support/jobyard-server.js';
import { BUSYBOX, apply, kubectl, namespace, removeAgentLeftovers, startAgentServer, waitFor } from './agent-harness.js';
import { JOBYARD_CLI } from '../support/jobyard-command.js';

const servers: JobyardServer[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) {
    await s.stop();
    await removeAgentLeftovers(s.dataDir);
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the jobyard CLI from the sources; stdout when it succeeds. */
function jobyard(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...JOBYARD_CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`jobyard ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Every line of a logstore (filters as CLI flags), through `jobyard logs search -o json`. */
async function search(server: JobyardServer, logstore: string, flags: string[] = []): Promise<LogRecord[]> {
  const out = await jobyard(['logs', 'search', logstore, ...flags, '--limit', '0', '--oldest-first', '-o', 'json', '--kubeconfig', server.kubeconfig]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogRecord);
}

/** Lines stored in a logstore, from the histogram's total (cheap to poll). */
async function stored(server: JobyardServer, logstore: string): Promise<number> {
  const r = await apiRequest(server, 'GET', `/apis/logs.jobyard.io/v1/logstores/${logstore}/histogram?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&bucketSeconds=31536000`);
  if (r.code !== 200) throw new Error(`histogram: ${r.code} ${r.body}`);
  return r.json().total as number;
}

/** How often each value occurs. */
function counts(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function expectExactlyOnce(actual: string[], expected: string[]): void {
  const c = counts(actual);
  const missing = expected.filter((l) => !c.has(l));
  const twice = [...c].filter(([, n]) => n > 1).map(([l]) => l);
  const extra = [...c.keys()].filter((l) => !expected.includes(l));
  expect({ missing: missing.slice(0, 10), missingCount: missing.length, twice: twice.slice(0, 10), extra: extra.slice(0, 10) }).toEqual({ missing: [], missingCount: 0, twice: [], extra: [] });
  expect(actual).toHaveLength(expected.length);
}

const NS = 'logs-demo';
const N = 300;

/**
 * Per pod: N lines to stdout and stderr; /var/log/app/a.log rotated by rename after half its
 * lines (the writer adds 10 more to the renamed file, a new a.log gets the rest); b.log
 * created later and truncated in place (copytruncate) half-way. The pauses let the collectors
 * find each file before it is rotated, as with any tailer that finds files by pattern.
 */
const SCRIPT = `
set -e
mkdir -p /var/log/app
i=1
while [ $i -le ${N} ]; do
  echo "out $HOSTNAME $i"
  echo "err $HOSTNAME $i" >&2
  if [ $i -le ${N / 2} ]; then echo "a1 $HOSTNAME $i" >> /var/log/app/a.log; fi
  if [ $i -gt 100 ]; then echo "b $HOSTNAME $i" >> /var/log/app/b.log; fi
  if [ $i -eq ${N / 2} ]; then
    sleep 2
    mv /var/log/app/a.log /var/log/app/a.log.1
    for k in 1 2 3 4 5 6 7 8 9 10; do echo "a1-late $HOSTNAME $k" >> /var/log/app/a.log.1; done
  fi
  if [ $i -gt ${N / 2} ]; then echo "a2 $HOSTNAME $i" >> /var/log/app/a.log; fi
  if [ $i -eq 200 ]; then
    sleep 2
    cp /var/log/app/b.log /var/log/app/b.log.1
    : > /var/log/app/b.log
  fi
  i=$((i+1))
done
sleep 1
`;

function expectedFor(pod: string) {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  return {
    stdout: range(1, N).map((i) => `out ${pod} ${i}`),
    stderr: range(1, N).map((i) => `err ${pod} ${i}`),
    a: [...range(1, N / 2).map((i) => `a1 ${pod} ${i}`), ...range(1, 10).map((k) => `a1-late ${pod} ${k}`), ...range(N / 2 + 1, N).map((i) => `a2 ${pod} ${i}`)],
    b: range(101, N).map((i) => `b ${pod} ${i}`),
  };
}

describe('log service with real containers', () => {
  let server: JobyardServer;

  beforeAll(async () => {
    server = await startAgentServer();
    servers.push(server);
    await apply(server, namespace(NS));
  });

  it('finds every line of a Job’s pods exactly once, with tags and sources, also after the pods are deleted', async () => {
    await apply(server, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'logjob', namespace: NS },
      spec: {
        completions: 2,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'writer',
                image: BUSYBOX,
                command: ['/bin/busybox', 'sh', '-c', SCRIPT],
                env: [
                  { name: 'aliyun_logs_demo-stdout', value: 'stdout' },
                  { name: 'aliyun_logs_demo-stdout_tags', value: 'app=logdemo,team=qa' },
                  { name: 'aliyun_logs_demo-files', value: '/var/log/app/*.log' },
                  { name: 'aliyun_logs_demo-files_tags', value: 'tier=files' },
                ],
              },
            ],
          },
        },
      },
    });
    await kubectl(server, ['-n', NS, 'wait', '--for=condition=complete', 'job/logjob', '--timeout=180s']);
    const pods = (JSON.parse(await kubectl(server, ['-n', NS, 'get', 'pods', '-l', 'batch.kubernetes.io/job-name=logjob', '-o', 'json'])).items as { metadata: { name: string } }[]).map((p) => p.metadata.name).sort();
    expect(pods).toHaveLength(2);
    const expected = pods.map(expectedFor);
    const want = (k: 'stdout' | 'stderr' | 'a' | 'b') => expected.flatMap((e) => e[k]);
    // Exited containers are read to their end within a few collector turns.
    await waitFor('stdout and stderr stored', async () => (await stored(server, 'demo-stdout')) >= 4 * N);
    await waitFor('file lines stored', async () => (await stored(server, 'demo-files')) >= want('a').length + want('b').length);

    const check = async () => {
      const out = await search(server, 'demo-stdout', ['--namespace', NS]);
      expectExactlyOnce(out.filter((r) => r.stream === 'stdout').map((r) => r.line), want('stdout'));
      expectExactlyOnce(out.filter((r) => r.stream === 'stderr').map((r) => r.line), want('stderr'));
      for (const r of out) {
        expect(r).toMatchObject({ logstore: 'demo-stdout', namespace: NS, job: 'logjob', container: 'writer', tags: { app: 'logdemo', team: 'qa' } });
        expect(r.line.split(' ')[1]).toBe(r.pod);
      }
      const files = await search(server, 'demo-files', ['--job', 'logjob']);
      expectExactlyOnce(files.filter((r) => r.path === '/var/log/app/a.log').map((r) => r.line), want('a'));
      expectExactlyOnce(files.filter((r) => r.path === '/var/log/app/b.log').map((r) => r.line), want('b'));
      expect(files).toHaveLength(want('a').length + want('b').length);
      for (const r of files) expect(r).toMatchObject({ stream: 'file', tags: { tier: 'files' }, job: 'logjob' });
      // The filters of the CLI: one pod, a tag, plain words.
      const onePod = await search(server, 'demo-stdout', ['--pod', pods[0], '--tag', 'team=qa', `out ${pods[0]} 17`]);
      expect(onePod.map((r) => r.line)).toEqual([`out ${pods[0]} 17`]);
    };
    await check();

    // The Job and its pods go; the lines stay.
    await kubectl(server, ['-n', NS, 'delete', 'job', 'logjob', '--cascade=foreground', '--wait=true', '--timeout=120s']);
    await waitFor('pods deleted', async () => JSON.parse(await kubectl(server, ['-n', NS, 'get', 'pods', '-o', 'json'])).items.length === 0);
    await check();

    // kubectl sees the logstores the pods named, created by the collector.
    const table = await kubectl(server, ['get', 'logstores']);
    expect(table.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'RETENTION', 'MAX-SIZE', 'LINES', 'SIZE', 'AGE']);
    expect(table).toMatch(/^demo-files\s+7d\s+1Gi\s+/m);
    expect(table).toMatch(/^demo-stdout\s+7d\s+1Gi\s+/m);
  });

  it('keeps a long line whole (Docker’s 16 KiB partial messages joined) and cuts one past the limit with a marker', async () => {
    // busybox awk: one 100,000-byte line and one 300,000-byte line to stdout, the same to a file.
    const script = `mkdir -p /var/log/long; /bin/busybox awk 'BEGIN { a = sprintf("%100000s", ""); gsub(/ /, "a", a); b = sprintf("%300000s", ""); gsub(/ /, "b", b); print a; print b; print "short"; print a > "/var/log/long/x.log"; print b > "/var/log/long/x.log"; print "short" > "/var/log/long/x.log" }'; sleep 1`;
    await apply(server, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'long-lines', namespace: NS },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: BUSYBOX, command: ['/bin/busybox', 'sh', '-c', script], env: [{ name: 'aliyun_logs_long-out', value: 'stdout' }, { name: 'aliyun_logs_long-files', value: '/var/log/long/*.log' }] }],
      },
    });
    await waitFor('long lines stored', async () => (await stored(server, 'long-out')) === 3 && (await stored(server, 'long-files')) === 3);
    for (const store of ['long-out', 'long-files']) {
      const lines = await search(server, store);
      expect(lines.map((r) => [r.line.length, Boolean(r.truncated)])).toEqual([
        [100_000, false],
        [LOG_LINE_MAX_BYTES + LOG_TRUNCATED_MARKER.length, true],
        [5, false],
      ]);
      expect(lines[0].line).toBe('a'.repeat(100_000));
      expect(lines[1].line).toBe('b'.repeat(LOG_LINE_MAX_BYTES) + LOG_TRUNCATED_MARKER);
    }
  });

  it('removes lines older than the retention, and only them', async () => {
    await apply(server, { apiVersion: 'logs.jobyard.io/v1', kind: 'Logstore', metadata: { name: 'retained' }, spec: { retentionDays: 30 } });
    // Lines from another collector, 10 and 20 days old, through the ingest endpoint.
    const day = 86_400_000_000;
    const nowUs = Date.now() * 1000;
    const old = [20, 10].map((d, i) => ({ time: nowUs - d * day, line: `old ${d} days`, end: i + 1 }));
    const r = await apiRequest(server, 'POST', '/apis/logs.jobyard.io/v1/logstores/retained/ingest', {
      body: { batches: [{ logstore: 'retained', source: { id: 'elsewhere/stdio', namespace: NS, pod: 'old-pod', container: 'c' }, entries: old, checkpoint: { offset: 2 } }] },
    });
    expect(r.code).toBe(200);
    // Fresh lines from a real container.
    await apply(server, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'fresh', namespace: NS },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: BUSYBOX, command: ['/bin/busybox', 'sh', '-c', 'for i in 1 2 3; do echo fresh $i; done'], env: [{ name: 'aliyun_logs_retained', value: 'stdout' }] }],
      },
    });
    await waitFor('fresh lines stored', async () => (await stored(server, 'retained')) === 5);
    // 30 days keep everything; 15 days drop the 20-day-old line; 7 days the 10-day-old one too.
    await kubectl(server, ['patch', 'logstore', 'retained', '--type=merge', '-p', '{"spec":{"retentionDays":15}}']);
    await waitFor('the 20-day-old line removed', async () => (await stored(server, 'retained')) === 4);
    expect((await search(server, 'retained')).map((x) => x.line)).toEqual(['old 10 days', 'fresh 1', 'fresh 2', 'fresh 3']);
    await kubectl(server, ['patch', 'logstore', 'retained', '--type=merge', '-p', '{"spec":{"retentionDays":7}}']);
    await waitFor('the 10-day-old line removed', async () => (await stored(server, 'retained')) === 3);
    expect((await search(server, 'retained')).map((x) => x.line)).toEqual(['fresh 1', 'fresh 2', 'fresh 3']);
    // The status shows the counts (written by the log service).
    await waitFor('status counts', async () => {
      const ls = JSON.parse(await kubectl(server, ['get', 'logstore', 'retained', '-o', 'json']));
      return ls.status?.lines === 3 && ls.status?.sources === 2;
    }, 60_000);
  });
});

describe('jobyard logs search -f against a real server', () => {
  it('prints the newest lines, then the lines a container writes while it follows, and only matching ones', async () => {
    const server = await startAgentServer();
    servers.push(server);
    await apply(server, namespace('follow'), { apiVersion: 'logs.jobyard.io/v1', kind: 'Logstore', metadata: { name: 'followed' } });
    const before = { time: Date.now() * 1000, line: 'before the follower', end: 1 };
    const r = await apiRequest(server, 'POST', '/apis/logs.jobyard.io/v1/logstores/followed/ingest', {
      body: { batches: [{ logstore: 'followed', source: { id: 'earlier/stdio', namespace: 'follow', pod: 'earlier', container: 'c' }, entries: [before], checkpoint: { offset: 1 } }] },
    });
    expect(r.code).toBe(200);

    const child = spawn(process.execPath, [...JOBYARD_CLI, 'logs', 'search', 'followed', '-f', '-n', 'follow', '-o', 'json', '--kubeconfig', server.kubeconfig], { cwd: REPO_ROOT });
    let out = '';
    let errOut = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (errOut += c.toString()));
    const printed = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogRecord);
    try {
      await waitFor(`the stored line printed (stderr: ${errOut})`, async () => printed().length === 1);
      await apply(server, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'talker', namespace: 'follow' },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: BUSYBOX, command: ['/bin/busybox', 'sh', '-c', 'for i in 1 2 3; do echo "talk $i"; sleep 1; done'], env: [{ name: 'aliyun_logs_followed', value: 'stdout' }] }],
        },
      });
      // A line of another namespace, which the follower must not print.
      await apiRequest(server, 'POST', '/apis/logs.jobyard.io/v1/logstores/followed/ingest', {
        body: { batches: [{ logstore: 'followed', source: { id: 'other/stdio', namespace: 'other', pod: 'x', container: 'c' }, entries: [{ time: Date.now() * 1000, line: 'elsewhere', end: 1 }], checkpoint: { offset: 1 } }] },
      });
      await waitFor('the container’s lines printed as they come', async () => printed().length >= 4, 60_000);
      expect(printed().map((x) => `${x.pod} ${x.line}`)).toEqual(['earlier before the follower', 'talker talk 1', 'talker talk 2', 'talker talk 3']);
      expect(child.exitCode).toBeNull(); // still following
    } finally {
      child.kill('SIGINT');
    }
  });
});

describe('a server killed with SIGKILL while a container writes', () => {
  it('stores each of 100,000 stdout lines and 100,000 file lines exactly once after its restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-logs-kill-'));
    dirs.push(dataDir);
    let server = await startAgentServer({ dataDir });
    const TOTAL = 100_000;
    // ~11 s of writing: a pause every 1,000 lines.
    const script = `mkdir -p /var/log/k; i=0; while [ $i -lt ${TOTAL} ]; do echo "k9 $i"; echo "f9 $i" >> /var/log/k/k.log; i=$((i+1)); if [ $((i % 1000)) -eq 0 ]; then usleep 100000; fi; done`;
    await apply(server, namespace('logs-kill'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer', namespace: 'logs-kill' },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'w',
            image: BUSYBOX,
            command: ['/bin/busybox', 'sh', '-c', script],
            env: [
              { name: 'aliyun_logs_kill-out', value: 'stdout' },
              { name: 'aliyun_logs_kill-files', value: '/var/log/k/*.log' },
            ],
          },
        ],
      },
    });
    await waitFor('a part of the lines stored', async () => (await stored(server, 'kill-out')) >= 20_000 && (await stored(server, 'kill-files')) >= 10_000, 120_000);
    const before = await stored(server, 'kill-out');
    expect(before).toBeLessThan(TOTAL); // still writing
    await server.kill9();
    // The restarted server (same data dir, same agent) adopts and later removes its containers.
    server = await startAgentServer({ dataDir });
    servers.push(server);
    await waitFor('every line stored', async () => (await stored(server, 'kill-out')) >= TOTAL && (await stored(server, 'kill-files')) >= TOTAL, 180_000);
    const all = Array.from({ length: TOTAL }, (_, i) => i);
    const out = await search(server, 'kill-out');
    expectExactlyOnce(out.map((r) => r.line), all.map((i) => `k9 ${i}`));
    const files = await search(server, 'kill-files');
    expectExactlyOnce(files.map((r) => r.line), all.map((i) => `f9 ${i}`));
  });
});
