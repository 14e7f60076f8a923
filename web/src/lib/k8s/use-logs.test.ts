import { describe, expect, it } from 'vitest';
import { KubeClient } from './client.js';
import { FakeFetch, statusResponse } from './fake-fetch.js';
import { LogStreams, streamLogs, type LogStreamsState } from './use-logs.js';

describe('streamLogs', () => {
  it('merges the lines of several pods in time order and reports each stream’s end', async () => {
    const fake = new FakeFetch().on((r) => {
      const pod = r.url.pathname.split('/')[6];
      if (pod === 'a') return new Response('2026-01-01T00:00:01Z a-one\n2026-01-01T00:00:03Z a-two\n');
      return new Response('2026-01-01T00:00:02Z b-one\n');
    });
    const client = new KubeClient({ baseUrl: '', fetch: fake.fetch });
    let last: LogStreamsState = { lines: [], status: {} };
    const stop = streamLogs(client, [{ namespace: 'ns', pod: 'a', container: 'c' }, { namespace: 'ns', pod: 'b', container: 'c' }], { follow: false, tailLines: 100 }, (s) => (last = s));
    await fake.until(() => last.lines.length === 3 && Object.values(last.status).every((s) => s.status === 'ended'), 'all lines');
    expect(last.lines.map((l) => `${l.pod}:${l.text}`)).toEqual(['a:a-one', 'b:b-one', 'a:a-two']);
    expect(fake.requests[0].url.searchParams.get('timestamps')).toBe('true');
    expect(fake.requests[0].url.searchParams.get('tailLines')).toBe('100');
    stop();
  });

  it('retries a container that is waiting to start while following, and reports other errors', async () => {
    let calls = 0;
    const fake = new FakeFetch().on((r) => {
      if (r.url.pathname.includes('/bad/')) return statusResponse(404, 'NotFound', 'pods "bad" not found');
      calls++;
      return calls === 1 ? statusResponse(400, 'BadRequest', 'container "c" in pod "a" is waiting to start: ContainerCreating') : new Response('2026-01-01T00:00:01Z up\n');
    });
    const client = new KubeClient({ baseUrl: '', fetch: fake.fetch });
    let last: LogStreamsState = { lines: [], status: {} };
    const seen = new Set<string>();
    const stop = streamLogs(client, [{ namespace: 'ns', pod: 'a', container: 'c' }, { namespace: 'ns', pod: 'bad', container: 'c' }], { follow: true, retryMs: 1 }, (s) => {
      last = s;
      for (const v of Object.values(s.status)) seen.add(v.status);
    });
    await fake.until(() => last.lines.length === 1 && last.status['ns/a/c']?.status === 'ended', 'line after retry');
    expect(seen.has('waiting')).toBe(true);
    expect(last.status['ns/bad/c']).toEqual({ status: 'error', message: 'pods "bad" not found' });
    stop();
  });
});

describe('LogStreams', () => {
  it('starts streams for new targets without restarting the others, and stops removed ones', async () => {
    const fake = new FakeFetch().on((r) => new Response(`2026-01-01T00:00:0${r.url.pathname.includes('/a/') ? 1 : 2}Z line\n`));
    const client = new KubeClient({ baseUrl: '', fetch: fake.fetch });
    let last: LogStreamsState = { lines: [], status: {} };
    const s = new LogStreams(client, { follow: false }, (st) => (last = st));
    s.setTargets([{ namespace: 'ns', pod: 'a', container: 'c' }]);
    await fake.until(() => last.lines.length === 1);
    s.setTargets([
      { namespace: 'ns', pod: 'a', container: 'c' },
      { namespace: 'ns', pod: 'b', container: 'c' },
    ]);
    await fake.until(() => last.lines.length === 2);
    expect(fake.requests.map((r) => r.url.pathname)).toEqual(['/api/v1/namespaces/ns/pods/a/log', '/api/v1/namespaces/ns/pods/b/log']);
    expect(last.lines.map((l) => l.pod)).toEqual(['a', 'b']);
    s.close();
  });
});

describe('LogStreams concurrency', () => {
  it('keeps at most maxConcurrent streams open and starts queued ones as others end', async () => {
    const fake = new FakeFetch();
    const client = new KubeClient({ baseUrl: '', fetch: fake.fetch });
    let last: LogStreamsState = { lines: [], status: {} };
    // Log requests answered with open streams (like follow=true on running containers).
    fake.on((r) => (r.url.pathname.endsWith('/log') ? fake.openStream(r) : undefined));
    const s = new LogStreams(client, { follow: true, maxConcurrent: 2 }, (st) => (last = st));
    s.setTargets(['a', 'b', 'c'].map((pod) => ({ namespace: 'ns', pod, container: 'c' })));
    await fake.until(() => fake.watches.length === 2, 'two streams');
    expect(last.status['ns/c/c']?.status).toBe('queued');
    fake.watches[0].end();
    await fake.until(() => fake.watches.length === 3, 'the queued one starts');
    expect(fake.watches[2].request.url.pathname).toBe('/api/v1/namespaces/ns/pods/c/log');
    s.close();
  });
});
