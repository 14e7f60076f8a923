import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Job, Node, Pod, Status, WatchEvent } from '../api/index.js';
import { StatusError, isGone } from '../machinery/index.js';
import { RestClientset, Resources } from './resource-client.js';
import { RequestError } from './rest-client.js';
import { FakeApiServer, sendJson, statusBody } from './testing/fake-api-server.js';

let server: FakeApiServer | undefined;
let cs: RestClientset | undefined;

afterEach(async () => {
  cs?.close();
  cs = undefined;
  await server?.close();
  server = undefined;
});

async function setup(): Promise<{ server: FakeApiServer; cs: RestClientset }> {
  server = await FakeApiServer.start();
  cs = new RestClientset({ server: server.url, token: 'tok' });
  return { server, cs };
}

const pod = (name: string, ns = 'default'): Pod => ({ metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

describe('ResourceClient URLs and verbs', () => {
  it('builds core, group, namespaced, cluster-scoped and subresource paths', async () => {
    const { server, cs } = await setup();
    server.on('GET', /.*/, (_req, res) => sendJson(res, 200, { metadata: { name: 'x' } }));
    server.on('PUT', /.*/, (req, res) => sendJson(res, 200, req.json));

    await cs.pods.namespace('team-a').get('p1');
    await cs.jobs.namespace('default').get('j1');
    await cs.nodes.get('node-1');
    await cs.jobs.updateStatus({ metadata: { name: 'j1', namespace: 'ns2' }, spec: { template: { spec: { containers: [] } } } });
    await cs.resource<ConfigMap>({ group: 'example.com', version: 'v1alpha1', resource: 'widgets', kind: 'Widget', namespaced: true }).namespace('w').get('w1');

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/team-a/pods/p1',
      'GET /apis/batch/v1/namespaces/default/jobs/j1',
      'GET /api/v1/nodes/node-1',
      'PUT /apis/batch/v1/namespaces/ns2/jobs/j1/status',
      'GET /apis/example.com/v1alpha1/namespaces/w/widgets/w1',
    ]);
  });

  it('lists across all namespaces, with selectors, and sets kind/apiVersion on the items', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/api\/v1\/pods$/, (_req, res) =>
      sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' }, items: [pod('a'), pod('b', 'x')] }),
    );

    const list = await cs.pods.list({ labelSelector: 'app=web', fieldSelector: 'status.phase=Running', limit: 10 });

    expect(list.metadata.resourceVersion).toBe('42');
    expect(list.items.map((p) => [p.kind, p.apiVersion, p.metadata.name])).toEqual([
      ['Pod', 'v1', 'a'],
      ['Pod', 'v1', 'b'],
    ]);
    const q = server.requests[0].query;
    expect([q.get('labelSelector'), q.get('fieldSelector'), q.get('limit')]).toEqual(['app=web', 'status.phase=Running', '10']);
  });

  it('creates in the bound namespace or the object namespace, with write options', async () => {
    const { server, cs } = await setup();
    server.on('POST', /.*/, (req, res) => sendJson(res, 201, { ...(req.json as object), metadata: { ...(req.json as Pod).metadata, uid: 'u1' } }));

    const created = await cs.pods.create(pod('a', 'from-object'), { dryRun: true, fieldManager: 'jobyard', fieldValidation: 'Strict' });
    await cs.pods.namespace('bound').create(pod('b', 'bound'));

    expect(created.metadata.uid).toBe('u1');
    expect(server.requests[0].path).toBe('/api/v1/namespaces/from-object/pods');
    expect(server.requests[0].json).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(Object.fromEntries(server.requests[0].query)).toEqual({ dryRun: 'All', fieldManager: 'jobyard', fieldValidation: 'Strict' });
    expect(server.requests[1].path).toBe('/api/v1/namespaces/bound/pods');
  });

  it('refuses a namespaced call without a namespace', async () => {
    const { cs } = await setup();
    await expect(cs.pods.get('p')).rejects.toThrow('pods is namespaced');
    await expect(cs.pods.create({ metadata: { name: 'p' }, spec: { containers: [] } })).rejects.toThrow('pods is namespaced');
  });

  it('sends each patch type with its content type, and status patches to the subresource', async () => {
    const { server, cs } = await setup();
    server.on('PATCH', /.*/, (_req, res) => sendJson(res, 200, { metadata: { name: 'p' } }));
    const pods = cs.pods.namespace('default');

    await pods.patch('p', 'merge', { metadata: { labels: { a: 'b' } } });
    await pods.patch('p', 'strategic', { metadata: { $deleteFromPrimitiveList: ['x'] } });
    await pods.patch('p', 'json', [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    await pods.patch('p', 'merge', { status: { phase: 'Running' } }, { subresource: 'status' });

    expect(server.requests.map((r) => [r.path, r.headers['content-type']])).toEqual([
      ['/api/v1/namespaces/default/pods/p', 'application/merge-patch+json'],
      ['/api/v1/namespaces/default/pods/p', 'application/strategic-merge-patch+json'],
      ['/api/v1/namespaces/default/pods/p', 'application/json-patch+json'],
      ['/api/v1/namespaces/default/pods/p/status', 'application/merge-patch+json'],
    ]);
    expect(server.requests[2].json).toEqual([{ op: 'remove', path: '/metadata/finalizers/0' }]);
  });

  it('deletes with DeleteOptions in the body and returns either the object or a Status', async () => {
    const { server, cs } = await setup();
    server.on('DELETE', /pods\/graceful$/, (_req, res) =>
      sendJson(res, 200, { metadata: { name: 'graceful', deletionTimestamp: '2026-01-01T00:00:00Z' } }),
    );
    server.on('DELETE', /pods\/gone$/, (_req, res) => sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 }));
    const pods = cs.pods.namespace('default');

    const graceful = (await pods.delete('graceful', { gracePeriodSeconds: 5, propagationPolicy: 'Background', preconditions: { uid: 'u1' } })) as Pod;
    const gone = (await pods.delete('gone')) as Status;

    expect(graceful.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(graceful.kind).toBe('Pod');
    expect(gone.status).toBe('Success');
    expect(server.requests[0].json).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 5,
      propagationPolicy: 'Background',
      preconditions: { uid: 'u1' },
    });
  });
});

describe('ResourceClient.watch', () => {
  it('parses newline-delimited events, including lines split across chunks, and ends when the server closes', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/apis\/batch\/v1\/namespaces\/default\/jobs$/, () => 'stream');
    const received: WatchEvent<Job>[] = [];

    const done = (async () => {
      for await (const e of cs.jobs.namespace('default').watch({ resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 30 })) {
        received.push(e);
      }
    })();
    const stream = await server.nextStream();
    stream.send({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '11' } } });
    const line = JSON.stringify({ type: 'MODIFIED', object: { kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'a', resourceVersion: '12' } } });
    stream.write(line.slice(0, 17));
    stream.write(`${line.slice(17)}\n\n`);
    stream.send({ type: 'BOOKMARK', object: { kind: 'Job', apiVersion: 'batch/v1', metadata: { resourceVersion: '15' } } });
    stream.send({ type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: '16' } } });
    stream.end();
    await done;

    expect(received.map((e) => [e.type, e.object.metadata?.resourceVersion, e.object.kind])).toEqual([
      ['ADDED', '11', 'Job'],
      ['MODIFIED', '12', 'Job'],
      ['BOOKMARK', '15', 'Job'],
      ['DELETED', '16', 'Job'],
    ]);
    const q = stream.request.query;
    expect([q.get('watch'), q.get('resourceVersion'), q.get('allowWatchBookmarks'), q.get('timeoutSeconds')]).toEqual(['true', '10', 'true', '30']);
    expect(stream.request.headers.authorization).toBe('Bearer tok');
  });

  it('throws the Status of an ERROR event (410 Expired) as a StatusError', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/api\/v1\/pods$/, () => 'stream');

    const result = (async () => {
      const seen: string[] = [];
      try {
        for await (const e of cs.pods.watch({ resourceVersion: '3' })) seen.push(e.type);
        return { seen, err: undefined };
      } catch (err) {
        return { seen, err };
      }
    })();
    const stream = await server.nextStream();
    stream.send({ type: 'ADDED', object: pod('a') });
    stream.send({ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 3 (9)') });
    const { seen, err } = await result;

    expect(seen).toEqual(['ADDED']);
    expect(err).toBeInstanceOf(StatusError);
    expect(isGone(err)).toBe(true);
    expect((err as StatusError).message).toBe('too old resource version: 3 (9)');
    await stream.closed;
  });

  it('throws an HTTP error answer to the watch request itself', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/api\/v1\/nodes$/, (_req, res) => sendJson(res, 410, statusBody(410, 'Expired', 'too old')));

    const iterate = async () => {
      for await (const _e of cs.resource<Node>(Resources.nodes).watch({ resourceVersion: '1' })) {
        // nothing arrives
      }
    };

    await expect(iterate()).rejects.toSatisfy(isGone);
  });

  it('stops quietly when the signal aborts, and closes the connection', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/api\/v1\/pods$/, () => 'stream');
    const ac = new AbortController();
    const received: string[] = [];

    const done = (async () => {
      for await (const e of cs.pods.watch({ signal: ac.signal })) received.push(e.object.metadata.name ?? '');
    })();
    const stream = await server.nextStream();
    stream.send({ type: 'ADDED', object: pod('a') });
    await new Promise<void>((r) => {
      const t = setInterval(() => {
        if (received.length === 1) {
          clearInterval(t);
          r();
        }
      }, 1);
    });
    ac.abort();
    await done;
    await stream.closed;

    expect(received).toEqual(['a']);
  });

  it('reports a cut connection as a RequestError', async () => {
    const { server, cs } = await setup();
    server.on('GET', /^\/api\/v1\/pods$/, () => 'stream');

    const done = (async () => {
      for await (const _e of cs.pods.watch({})) {
        // none
      }
    })();
    const stream = await server.nextStream();
    stream.write('{"type":"ADDED","obj');
    stream.destroy();

    await expect(done).rejects.toBeInstanceOf(RequestError);
  });
});
