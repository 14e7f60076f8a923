import '../../test/setup-dom.js';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../api/batch.js';
import type { LogHistogram, LogRecord } from '../../../../api/logs.js';
import { FakeFetch, jsonResponse } from '../../lib/k8s/fake-fetch.js';
import { renderConsole } from '../../test/render.js';
import { JobCollectedLogs } from './JobCollectedLogs.js';
import { emptyFilter, filterParams, logstoresOfJob, mergeFollowed } from './log-service.js';
import { LogSearch } from './LogSearch.js';
import { LogstoreTableRenderer } from './LogstoresPage.js';

const rec = (id: number, over: Partial<LogRecord> = {}): LogRecord => ({
  id,
  time: `2026-03-01T12:00:${String(id).padStart(2, '0')}.000000Z`,
  line: `line ${id}`,
  stream: 'stdout',
  logstore: 'app',
  namespace: 'default',
  pod: 'pi-a',
  container: 'main',
  job: 'pi',
  ...over,
});

const hist = (counts: number[]): LogHistogram => ({
  apiVersion: 'logs.jobyard.io/v1',
  kind: 'LogHistogram',
  from: '2026-03-01T12:00:00.000000Z',
  to: '2026-03-01T12:03:00.000000Z',
  bucketSeconds: 60,
  total: counts.reduce((a, b) => a + b, 0),
  buckets: counts.map((count, i) => ({ time: new Date(Date.parse('2026-03-01T12:00:00Z') + i * 60_000).toISOString(), count })),
});

/** A fake log service: search pages by `continue`, the histogram, and an open follow stream. */
function logService(pages: LogRecord[][], histogram = hist([2, 0, 1])) {
  const fake = new FakeFetch();
  fake.on((req) => {
    const p = req.url.pathname;
    if (p.endsWith('/histogram')) return jsonResponse(histogram);
    if (p.endsWith('/search') && req.url.searchParams.get('follow') === 'true') return fake.openStream(req);
    if (p.endsWith('/search')) {
      const i = Number(req.url.searchParams.get('continue') ?? '0');
      return jsonResponse({ apiVersion: 'logs.jobyard.io/v1', kind: 'LogRecordList', metadata: i + 1 < pages.length ? { continue: String(i + 1) } : {}, items: pages[i] ?? [] });
    }
    return undefined;
  });
  return fake;
}

const shown = () => [...document.querySelectorAll('.logstore-line .logstore-text')].map((e) => e.textContent);
const searches = (fake: FakeFetch) => fake.requests.filter((r) => r.url.pathname.endsWith('/search') && r.url.searchParams.get('follow') !== 'true');

describe('log service helpers', () => {
  it('turns a filter into the search endpoint’s parameters', () => {
    const p = filterParams(emptyFilter({ text: ' timeout ', job: 'pi', tags: ['team=a', 'broken', 'env=x'], range: { kind: 'quick', range: '1h' } }));
    expect([...p.entries()]).toEqual([
      ['q', 'timeout'],
      ['job', 'pi'],
      ['tag', 'team=a'],
      ['tag', 'env=x'],
      ['since', '1h'],
    ]);
    expect([...filterParams(emptyFilter({ range: { kind: 'custom', from: '2026-03-01T00:00:00Z', to: '' } })).entries()]).toEqual([['from', '2026-03-01T00:00:00Z']]);
    expect([...filterParams(emptyFilter({ range: { kind: 'quick', range: 'all' } })).entries()]).toEqual([]);
  });

  it('reads the logstores of a Job from its containers’ env, tags variables aside', () => {
    const job = {
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'i', env: [{ name: 'aliyun_logs_setup', value: 'stdout' }] }],
            containers: [
              { name: 'a', env: [{ name: 'aliyun_logs_app', value: 'stdout' }, { name: 'aliyun_logs_app_tags', value: 'k=v' }, { name: 'aliyun_logs_files_tags', value: '/x/*.log' }, { name: 'OTHER', value: '1' }] },
            ],
          },
        },
      },
    } as unknown as Job;
    expect(logstoresOfJob(job)).toEqual(['app', 'files_tags', 'setup']);
  });

  it('merges followed lines in display order without duplicates, keeping at most max', () => {
    expect(mergeFollowed([rec(2), rec(1)], [rec(2), rec(3), rec(4)], 'newest', 10).map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect(mergeFollowed([rec(1), rec(2)], [rec(3)], 'oldest', 2).map((r) => r.id)).toEqual([2, 3]);
  });
});

describe('LogSearch', () => {
  it('shows the newest lines, the histogram, and pages with Load more', async () => {
    const fake = logService([[rec(3), rec(2)], [rec(1)]]);
    renderConsole(<LogSearch logstore="app" />, { fake });
    await waitFor(() => expect(shown()).toEqual(['line 3', 'line 2']));
    expect(screen.getByTestId('histogram-total').textContent).toBe('3 lines in the range');
    expect([...document.querySelectorAll('rect')].map((r) => r.getAttribute('data-count'))).toEqual(['2', '0', '1']);
    const first = searches(fake)[0].url;
    expect(first.pathname).toBe('/apis/logs.jobyard.io/v1/logstores/app/search');
    expect(first.searchParams.get('order')).toBe('newest');
    expect(first.searchParams.get('since')).toBe('24h');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(shown()).toEqual(['line 3', 'line 2', 'line 1']));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByText('3 lines shown')).toBeTruthy();
  });

  it('searches with the words and filters typed, on Enter', async () => {
    const fake = logService([[rec(1, { line: 'ERROR disk full', stream: 'stderr' })]]);
    renderConsole(<LogSearch logstore="app" />, { fake });
    await waitFor(() => expect(searches(fake)).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Pod'), { target: { value: 'pi-a' } });
    fireEvent.change(screen.getByLabelText('Search text'), { target: { value: 'disk' } });
    fireEvent.keyDown(screen.getByLabelText('Search text'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(searches(fake)).toHaveLength(2));
    const q = searches(fake)[1].url.searchParams;
    expect(q.get('q')).toBe('disk');
    expect(q.get('pod')).toBe('pi-a');
    await waitFor(() => expect(shown()).toEqual(['ERROR disk full']));
    expect(document.querySelector('.logstore-line')?.getAttribute('data-source')).toBe('stderr');
  });

  it('follows: new lines appear on top as the server stores them', async () => {
    const fake = logService([[rec(2), rec(1)]]);
    renderConsole(<LogSearch logstore="app" />, { fake });
    await waitFor(() => expect(shown()).toEqual(['line 2', 'line 1']));
    fireEvent.click(screen.getByRole('switch', { name: 'Live tail' }));
    await fake.until(() => fake.watches.length === 1, 'the follow stream');
    const stream = fake.watches[0];
    expect(stream.request.url.searchParams.get('follow')).toBe('true');
    stream.send(rec(2));
    stream.send(rec(3, { stream: 'file', path: '/var/log/app/a.log' }));
    await waitFor(() => expect(shown()).toEqual(['line 3', 'line 2', 'line 1']));
    expect(document.querySelector('.logstore-line')?.getAttribute('data-source')).toBe('/var/log/app/a.log');
    fireEvent.click(screen.getByRole('switch', { name: 'Live tail' }));
    await waitFor(() => expect(stream.closed).toBe(true));
  });

  it('reports a refused search', async () => {
    const fake = new FakeFetch().on(() => jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message: 'invalid search expression' }, 400));
    renderConsole(<LogSearch logstore="app" />, { fake });
    await waitFor(() => expect(screen.getByText(/invalid search expression/)).toBeTruthy());
  });

  it('on a job’s page: namespace and job fixed, all time, one logstore per tab', async () => {
    const fake = logService([[rec(1)]]);
    const job = {
      metadata: { name: 'pi', namespace: 'team-a' },
      spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'aliyun_logs_app', value: 'stdout' }, { name: 'aliyun_logs_files', value: '/var/log/*.log' }] }] } } },
    } as unknown as Job;
    renderConsole(<JobCollectedLogs job={job} />, { fake });
    await waitFor(() => expect(shown()).toEqual(['line 1']));
    const q = searches(fake)[0].url;
    expect(q.pathname).toBe('/apis/logs.jobyard.io/v1/logstores/app/search');
    expect(q.searchParams.get('namespace')).toBe('team-a');
    expect(q.searchParams.get('job')).toBe('pi');
    expect(q.searchParams.get('since')).toBeNull();
    expect(screen.queryByLabelText('Job')).toBeNull();
    fireEvent.click(screen.getByText('files'));
    await waitFor(() => expect(searches(fake).some((r) => r.url.pathname.endsWith('/logstores/files/search'))).toBe(true));
    expect(screen.getByRole('link', { name: 'Open in logstore files' }).getAttribute('href')).toBe('/logstores/files?namespace=team-a&job=pi');
  });
});

describe('LogstoreTableRenderer', () => {
  it('lists logstores with retention and counts, linked to their search', () => {
    renderConsole(<LogstoreTableRenderer items={[{ metadata: { name: 'app', creationTimestamp: '2026-03-01T00:00:00Z' }, spec: { retentionDays: 7, maxSize: '1Gi' }, status: { lines: 1234, sizeBytes: 5 * 1024 * 1024 } }]} />);
    const row = screen.getByRole('link', { name: 'app' }).closest('tr')!;
    expect(screen.getByRole('link', { name: 'app' }).getAttribute('href')).toBe('/logstores/app');
    expect(row.textContent).toContain('7 days');
    expect(row.textContent).toContain('1Gi');
    expect(row.textContent).toContain('5Mi');
  });
});
