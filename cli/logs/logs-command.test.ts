import { describe, expect, it } from 'vitest';
import type { LogRecord, LogRecordList, Logstore } from '../../api/index.js';
import { DEFAULT_KUBECONFIG, formatLogstores, formatRecord, logsCommand } from './logs-command.js';
import type { LogsClient } from './logs-client.js';

function record(i: number, over: Partial<LogRecord> = {}): LogRecord {
  return { id: i, time: `2026-03-01T12:00:0${i}.000000Z`, line: `line ${i}`, stream: 'stdout', logstore: 'app', namespace: 'default', pod: 'pi-a', container: 'main', job: 'pi', ...over };
}

class FakeLogsClient implements LogsClient {
  readonly searches: { logstore: string; params: Record<string, string | string[]> }[] = [];
  follows: Record<string, string | string[]>[] = [];
  closed = 0;
  kubeconfig = '';
  /** Pages served in order. */
  pages: LogRecordList[] = [];
  followed: LogRecord[] = [];
  stores: Logstore[] = [];

  async search(logstore: string, params: URLSearchParams): Promise<LogRecordList> {
    this.searches.push({ logstore, params: toObject(params) });
    return this.pages.shift() ?? { apiVersion: 'logs.jobyard.io/v1', kind: 'LogRecordList', metadata: {}, items: [] };
  }

  follow(_logstore: string, params: URLSearchParams): AsyncIterable<LogRecord> {
    this.follows.push(toObject(params));
    const items = this.followed;
    return (async function* () {
      yield* items;
    })();
  }

  async logstores(): Promise<Logstore[]> {
    return this.stores;
  }

  close(): void {
    this.closed++;
  }
}

function toObject(p: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(p.keys())) {
    const all = p.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

async function run(args: string[], client = new FakeLogsClient()): Promise<{ out: string; client: FakeLogsClient; error?: Error }> {
  let out = '';
  const cmd = logsCommand({
    out: (t) => (out += t),
    err: () => undefined,
    client: (k) => {
      client.kubeconfig = k;
      return client;
    },
  });
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const sub of cmd.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  }
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { out, client };
  } catch (error) {
    return { out, client, error: error as Error };
  }
}

describe('jobyard logs search: arguments', () => {
  it('sends words, filters, repeated tags and the time range to the search endpoint', async () => {
    const { client, error } = await run([
      'search', 'app', 'timeout', 'user=alice',
      '--namespace', 'prod', '--job', 'pi', '--pod', 'pi-a', '-c', 'main',
      '--tag', 'team=a', '--tag', 'env=x=y',
      '--since', '10m', '--to', '2026-03-01T12:00:00Z', '--match', 'error OR warn',
      '--kubeconfig', '/tmp/kc',
    ]);
    expect(error).toBeUndefined();
    expect(client.kubeconfig).toBe('/tmp/kc');
    expect(client.searches).toEqual([
      {
        logstore: 'app',
        params: {
          q: 'timeout user=alice',
          match: 'error OR warn',
          namespace: 'prod',
          job: 'pi',
          pod: 'pi-a',
          container: 'main',
          since: '10m',
          to: '2026-03-01T12:00:00Z',
          tag: ['team=a', 'env=x=y'],
          order: 'newest',
          limit: '100',
        },
      },
    ]);
    expect(client.closed).toBe(1);
  });

  it('defaults to the kubeconfig jobyard server writes', async () => {
    const { client } = await run(['search', 'app']);
    expect(client.kubeconfig).toBe(process.env.JOBYARD_KUBECONFIG || DEFAULT_KUBECONFIG);
    expect(DEFAULT_KUBECONFIG).toMatch(/\.jobyard\/kubeconfig$/);
  });

  it.each<[string, string[], RegExp]>([
    ['a malformed --since', ['search', 'app', '--since', '10 minutes'], /must be a duration/],
    ['a malformed --from', ['search', 'app', '--from', 'yesterday'], /must be an RFC 3339 time/],
    ['a tag without a value', ['search', 'app', '--tag', 'team'], /must be key=value/],
    ['a negative --limit', ['search', 'app', '--limit', '-1'], /non-negative integer/],
    ['--since with --from', ['search', 'app', '--since', '1h', '--from', '2026-03-01T12:00:00Z'], /cannot be used together/],
    ['an unknown output', ['search', 'app', '-o', 'yaml'], /Allowed choices are text, json/],
    ['no logstore', ['search'], /missing required argument 'logstore'/],
  ])('refuses %s', async (_name, args, message) => {
    const { error, client } = await run(args);
    expect(error?.message).toMatch(message);
    expect(client.searches).toEqual([]);
  });

  it('pages through continue tokens up to --limit, oldest first when asked', async () => {
    const client = new FakeLogsClient();
    client.pages = [
      { apiVersion: 'v', kind: 'LogRecordList', metadata: { continue: 'c1' }, items: Array.from({ length: 1000 }, (_, i) => record(i % 10)) },
      { apiVersion: 'v', kind: 'LogRecordList', metadata: { continue: 'c2' }, items: Array.from({ length: 500 }, (_, i) => record(i % 10)) },
    ];
    const { out } = await run(['search', 'app', '--limit', '1500', '--oldest-first'], client);
    expect(client.searches.map((s) => [s.params.limit, s.params.continue, s.params.order])).toEqual([
      ['1000', undefined, 'oldest'],
      ['500', 'c1', 'oldest'],
    ]);
    expect(out.trimEnd().split('\n')).toHaveLength(1500);
  });

  it('reads every page with --limit 0', async () => {
    const client = new FakeLogsClient();
    client.pages = [
      { apiVersion: 'v', kind: 'LogRecordList', metadata: { continue: 'c1' }, items: [record(1)] },
      { apiVersion: 'v', kind: 'LogRecordList', metadata: {}, items: [record(2)] },
    ];
    const { out } = await run(['search', 'app', '--limit', '0', '-o', 'json'], client);
    expect(out.trimEnd().split('\n').map((l) => (JSON.parse(l) as LogRecord).line)).toEqual(['line 1', 'line 2']);
  });

  it('follows with -f: the newest lines, then new ones, one JSON object per line with -o json', async () => {
    const client = new FakeLogsClient();
    client.followed = [record(1), record(2, { stream: 'file', path: '/var/log/a.log' })];
    const { out } = await run(['search', 'app', '-f', '--limit', '20', '--job', 'pi', '-o', 'json'], client);
    expect(client.follows).toEqual([{ job: 'pi', limit: '20' }]);
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(client.followed);
  });
});

describe('jobyard logs output', () => {
  it('prints a line with its time, pod, container and stream or file', () => {
    expect(formatRecord(record(1))).toBe('2026-03-01T12:00:01.000000Z default/pi-a/main stdout: line 1');
    expect(formatRecord(record(2, { stream: 'file', path: '/var/log/a.log' }))).toBe('2026-03-01T12:00:02.000000Z default/pi-a/main /var/log/a.log: line 2');
  });

  it('lists logstores as kubectl get logstores does', async () => {
    const client = new FakeLogsClient();
    client.stores = [
      {
        metadata: { name: 'app', creationTimestamp: new Date(Date.now() - 3 * 86400_000).toISOString() },
        spec: { retentionDays: 7, maxSize: '1Gi' },
        status: { lines: 1234, sizeBytes: 5 * 1024 * 1024 },
      },
    ];
    const { out } = await run(['stores', '--kubeconfig', '/k'], client);
    expect(out).toBe('NAME   RETENTION   MAX-SIZE   LINES   SIZE   AGE\napp    7d          1Gi        1234    5Mi    3d\n');
    expect(formatLogstores([], new Date())).toBe('No logstores found.\n');
  });
});
