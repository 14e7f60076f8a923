// What the server does not serve says so, as kube-apiserver does: an unserved group, version,
// resource or subresource is upstream's 404 Status for every verb, and kubectl prints a message
// naming what is missing. Query parameters are read as upstream reads them (a bad integer is
// strconv's message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { apiRequest } from '../support/api.js';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;

/** kube-apiserver's answer to a path it serves nothing at (genericapiserver's NotFoundHandler and the installer's). */
const NOT_FOUND = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server could not find the requested resource',
  reason: 'NotFound',
  details: {},
  code: 404,
};

beforeAll(async () => {
  server = await JobyardServer.start();
  const objects = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'here' }, data: { a: '1' } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'here' }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:latest' }] } } } },
  ];
  const r = await server.kubectl(['apply', '-f', '-'], objects.map((o) => YAML.stringify(o)).join('---\n'));
  if (r.code !== 0) throw new Error(r.stderr);
});

afterAll(async () => {
  await server?.stop();
});

const UNSERVED = [
  // a group
  '/apis/example.com/v1/namespaces/default/foos',
  '/apis/example.com/v1/namespaces/default/foos/x',
  '/apis/example.com/v1/foos',
  '/apis/example.com/v1/watch/namespaces/default/foos',
  // a version of a served group, and of the core group
  '/apis/batch/v9/namespaces/default/jobs',
  '/apis/batch/v9/namespaces/default/jobs/here',
  '/api/v2/namespaces/default/configmaps/here',
  // a resource of a served group version
  '/apis/batch/v1/namespaces/default/foos',
  '/api/v1/namespaces/default/foos/x',
  '/api/v1/foos',
  // a subresource, of an object that exists and of one that does not (the path decides, not the object)
  '/api/v1/namespaces/default/configmaps/here/status',
  '/apis/batch/v1/namespaces/default/jobs/here/scale',
  '/apis/batch/v1/namespaces/default/jobs/nothere/scale',
  '/api/v1/namespaces/default/configmaps/here/status/more',
  // a cluster-scoped resource under a namespace
  '/api/v1/namespaces/default/nodes',
];

describe('unserved paths: upstream’s 404 Status for every verb', () => {
  for (const path of UNSERVED) {
    it(path, async () => {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : { apiVersion: 'v1', kind: 'Foo', metadata: { name: 'x' } };
        const contentType = method === 'PATCH' ? 'application/merge-patch+json' : undefined;
        const r = await apiRequest(server, method, path, { body, contentType });
        expect({ method, code: r.code, body: r.json() }).toEqual({ method, code: 404, body: NOT_FOUND });
      }
      const watch = await apiRequest(server, 'GET', `${path}?watch=true`);
      expect({ code: watch.code, body: watch.json() }).toEqual({ code: 404, body: NOT_FOUND });
    });
  }

  it.each(['/apis/example.com', '/apis/example.com/v1', '/apis/batch/v9', '/api/v2'])('discovery of %s', async (path) => {
    const r = await apiRequest(server, 'GET', path);
    expect({ code: r.code, body: r.json() }).toEqual({ code: 404, body: NOT_FOUND });
  });
});

describe('kubectl names what is missing', () => {
  it.each([
    [['get', 'foos.example.com'], 'error: the server doesn\'t have a resource type "foos"'],
    [['get', 'foos'], 'error: the server doesn\'t have a resource type "foos"'],
    [['delete', 'foos.example.com', 'x'], 'error: the server doesn\'t have a resource type "foos"'],
    // kubectl explain prints it without the "error: " prefix
    [['explain', 'foos.example.com'], 'the server doesn\'t have a resource type "foos"'],
  ])('kubectl %j', async (args, message) => {
    const r = await server.kubectl(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('kubectl get/create/replace/delete --raw of an unserved path: Error from server (NotFound)', async () => {
    const manifest = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } });
    const runs = [
      await server.kubectl(['get', '--raw', '/apis/example.com/v1/namespaces/default/foos']),
      await server.kubectl(['create', '--raw', '/apis/example.com/v1/namespaces/default/foos', '-f', '-'], manifest),
      await server.kubectl(['replace', '--raw', '/apis/example.com/v1/namespaces/default/foos/x', '-f', '-'], manifest),
      await server.kubectl(['delete', '--raw', '/apis/example.com/v1/namespaces/default/foos/x']),
      await server.kubectl(['get', '--raw', '/api/v1/namespaces/default/configmaps/here/status']),
    ];
    for (const r of runs) {
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toBe('Error from server (NotFound): the server could not find the requested resource');
    }
  });

  it('kubectl apply of a kind no group serves: no matches for kind, the served objects of the file still applied', async () => {
    const file = [
      { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'beside-foo' }, data: { a: '1' } },
    ]
      .map((o) => YAML.stringify(o))
      .join('---\n');
    const r = await server.kubectl(['apply', '--validate=false', '-f', '-'], file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no matches for kind "Foo" in version "example.com/v1"');
    expect(r.stdout).toContain('configmap/beside-foo created');
  });

  it('a bad integer parameter: Error from server (BadRequest) with strconv’s message', async () => {
    const r = await server.kubectl(['get', '--raw', '/api/v1/namespaces/default/configmaps?limit=abc']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error from server (BadRequest): strconv.ParseInt: parsing "abc": invalid syntax');
  });
});
