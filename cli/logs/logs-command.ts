// `jobyard logs`: the log service from the command line.
//
//   jobyard logs search LOGSTORE [TEXT] [--namespace NS] [--job NAME] [--pod P] [--container C]
//        [--tag k=v]... [--since 10m | --from T] [--to T] [--oldest-first] [--limit N] [-f]
//        [-o text|json] [--match EXPR] [--kubeconfig FILE]
//   jobyard logs stores [-o text|json] [--kubeconfig FILE]
//
// TEXT is plain words (all must appear; FTS5 syntax in them is taken literally); --match takes
// a raw FTS5 expression (OR, NOT, NEAR, "phrases", prefix*). -o json prints one JSON object per
// line (JSON Lines), the LogRecord of each line, also while following.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LogRecord, Logstore } from '../../api/index.js';
import { loadKubeconfig } from '../../client/index.js';
import { humanBytes, translateTimestampSince } from '../../machinery/index.js';
import { type LogsClient, RestLogsClient } from './logs-client.js';

export const DEFAULT_KUBECONFIG = join(homedir(), '.jobyard', 'kubeconfig');
/** Lines a search prints when --limit is not given. */
export const DEFAULT_LIMIT = 100;
const PAGE = 1000;

export interface LogsCommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The client for a kubeconfig path (tests pass a fake). */
  client?: (kubeconfig: string) => LogsClient;
  /** Aborts a follow (Ctrl-C in the real CLI). */
  signal?: AbortSignal;
}

export interface SearchOptions {
  namespace?: string;
  job?: string;
  pod?: string;
  container?: string;
  tag: string[];
  since?: string;
  from?: string;
  to?: string;
  match?: string;
  oldestFirst?: boolean;
  limit: number;
  follow?: boolean;
  output: 'text' | 'json';
  kubeconfig: string;
}

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

function duration(value: string): string {
  if (!DURATION.test(value)) throw new InvalidArgumentError('must be a duration like 30s, 10m, 2h or 7d');
  return value;
}

function time(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('must be an RFC 3339 time, e.g. 2026-03-01T12:00:00Z');
  }
  return value;
}

function tag(value: string, previous: string[]): string[] {
  if (value.indexOf('=') <= 0) throw new InvalidArgumentError('must be key=value');
  return [...previous, value];
}

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer (0: no limit)');
  return n;
}

/** The search endpoint's parameters for a command line (without paging). */
export function searchParams(text: string[], o: SearchOptions): URLSearchParams {
  const p = new URLSearchParams();
  if (text.length) p.set('q', text.join(' '));
  if (o.match) p.set('match', o.match);
  for (const key of ['namespace', 'job', 'pod', 'container', 'since', 'from', 'to'] as const) if (o[key]) p.set(key, o[key]);
  for (const t of o.tag) p.append('tag', t);
  p.set('order', o.oldestFirst ? 'oldest' : 'newest');
  return p;
}

/** One line of text output: time, where from, the line. */
export function formatRecord(r: LogRecord): string {
  const where = `${r.namespace}/${r.pod}/${r.container}`;
  const source = r.stream === 'file' ? (r.path ?? 'file') : r.stream;
  return `${r.time} ${where} ${source}: ${r.line}`;
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** The logstores as `kubectl get logstores` shows them. */
export function formatLogstores(items: Logstore[], now: Date): string {
  if (!items.length) return 'No logstores found.\n';
  const rows = [['NAME', 'RETENTION', 'MAX-SIZE', 'LINES', 'SIZE', 'AGE']];
  for (const ls of items) {
    rows.push([
      ls.metadata.name ?? '',
      ls.spec?.retentionDays !== undefined ? `${ls.spec.retentionDays}d` : '<none>',
      ls.spec?.maxSize ?? '<none>',
      String(ls.status?.lines ?? 0),
      humanBytes(ls.status?.sizeBytes ?? 0),
      translateTimestampSince(ls.metadata.creationTimestamp, now),
    ]);
  }
  return pad(rows);
}

async function runSearch(io: LogsCommandIO, logstore: string, text: string[], o: SearchOptions): Promise<void> {
  const client = (io.client ?? ((k) => new RestLogsClient(loadKubeconfig(k))))(o.kubeconfig);
  const print = (r: LogRecord) => io.out(o.output === 'json' ? `${JSON.stringify(r)}\n` : `${formatRecord(r)}\n`);
  try {
    const params = searchParams(text, o);
    if (o.follow) {
      params.set('limit', String(Math.min(o.limit || DEFAULT_LIMIT, 5000)));
      params.delete('order');
      const signal = io.signal ?? new AbortController().signal;
      try {
        for await (const r of client.follow(logstore, params, signal)) print(r);
      } catch (err) {
        if (!signal.aborted) throw err;
      }
      return;
    }
    let left = o.limit === 0 ? Infinity : o.limit;
    let cont: string | undefined;
    do {
      const page = new URLSearchParams(params);
      page.set('limit', String(Math.min(PAGE, left)));
      if (cont) page.set('continue', cont);
      const list = await client.search(logstore, page);
      for (const r of list.items) print(r);
      left -= list.items.length;
      cont = list.metadata.continue;
    } while (cont && left > 0);
  } finally {
    client.close();
  }
}

/** The `logs` command with its verbs. */
export function logsCommand(io: LogsCommandIO): Command {
  const logs = new Command('logs').description('Search the log service: lines collected from containers into logstores.');
  const kubeconfigOption = () => new Option('--kubeconfig <file>', 'the server and credentials (the file jobyard server writes)').default(process.env.JOBYARD_KUBECONFIG || DEFAULT_KUBECONFIG);
  const outputOption = () => new Option('-o, --output <format>', 'text, or json (one LogRecord per line)').choices(['text', 'json']).default('text');

  logs
    .command('search')
    .description('Print the lines of a logstore that match, newest first (or follow new ones with -f).')
    .argument('<logstore>', 'the logstore')
    .argument('[text...]', 'words every line must contain (taken literally)')
    .option('-n, --namespace <ns>', 'only lines of pods in this namespace')
    .option('--job <name>', 'only lines of pods of this Job')
    .option('--pod <name>', 'only lines of this pod')
    .option('-c, --container <name>', 'only lines of this container')
    .option('--tag <key=value>', 'only lines with this tag (repeatable: all must match)', tag, [])
    .option('--since <duration>', 'only lines newer than this (30s, 10m, 2h, 7d)', duration)
    .option('--from <time>', 'only lines at or after this RFC 3339 time', time)
    .option('--to <time>', 'only lines before this RFC 3339 time', time)
    .option('--match <expression>', 'a raw FTS5 expression (OR, NOT, NEAR, "phrase", prefix*)')
    .option('--oldest-first', 'print the oldest lines first')
    .option('--limit <n>', 'print at most this many lines (0: all)', limit, DEFAULT_LIMIT)
    .option('-f, --follow', 'print the newest lines, then new lines as they are stored')
    .addOption(outputOption())
    .addOption(kubeconfigOption())
    .action(async (logstore: string, text: string[], o: SearchOptions) => {
      if (o.since && o.from) throw new InvalidArgumentError('--since and --from cannot be used together');
      await runSearch(io, logstore, text, o);
    });

  logs
    .command('stores')
    .description('List the logstores with their retention and counts.')
    .addOption(outputOption())
    .addOption(kubeconfigOption())
    .action(async (o: { output: 'text' | 'json'; kubeconfig: string }) => {
      const client = (io.client ?? ((k) => new RestLogsClient(loadKubeconfig(k))))(o.kubeconfig);
      try {
        const items = await client.logstores();
        io.out(o.output === 'json' ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n` : formatLogstores(items, new Date()));
      } finally {
        client.close();
      }
    });
  return logs;
}
