// The fuzzer (docs/security.md, "The fuzzer"). Mutated manifests, patches of every type, malformed bodies of every
// content type and odd query strings, sent to a real `jobyard server` a few at a time.
// Invariants: no 5xx, no reset or timeout, every 4xx a Status with its code, and every seed
// object unchanged by any request the server refused (objects an accepted write changed are
// snapshotted again). The summary line is printed; on failure the seed reproduces the run:
//   FUZZ_SEED=<seed> FUZZ_RUNS=50000 npm run fuzz
import fc from 'fast-check';
import YAML from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { type Answer, ApiClient, statusOf } from './fuzz-support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const CONCURRENCY = 8;
const BATCH = 250;
const NS = 'fuzz';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface SeedObject {
  kind: string;
  collection: string;
  name: string;
  manifest: Obj;
}

const container: Obj = {
  name: 'main',
  image: 'busybox:1.36',
  command: ['sh', '-c', 'echo hi'],
  env: [{ name: 'A', value: '1' }],
  ports: [{ containerPort: 8080, name: 'http' }],
  resources: { limits: { cpu: '100m', memory: '64Mi' } },
};
const podSpec: Obj = { restartPolicy: 'Never', containers: [container], volumes: [{ name: 'v', emptyDir: {} }] };

const SEEDS: SeedObject[] = [
  { kind: 'Pod', collection: `/api/v1/namespaces/${NS}/pods`, name: 'seed-pod', manifest: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'seed-pod', labels: { app: 'fuzz' } }, spec: podSpec } },
  {
    kind: 'Job',
    collection: `/apis/batch/v1/namespaces/${NS}/jobs`,
    name: 'seed-job',
    manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'seed-job' }, spec: { suspend: true, completions: 2, parallelism: 1, backoffLimit: 1, template: { metadata: { labels: { app: 'fuzz' } }, spec: podSpec } } },
  },
  {
    kind: 'CronJob',
    collection: `/apis/batch/v1/namespaces/${NS}/cronjobs`,
    name: 'seed-cronjob',
    manifest: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'seed-cronjob' }, spec: { schedule: '0 0 1 1 *', suspend: true, jobTemplate: { spec: { template: { spec: podSpec } } } } },
  },
  { kind: 'ConfigMap', collection: `/api/v1/namespaces/${NS}/configmaps`, name: 'seed-cm', manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed-cm', labels: { a: 'b' }, annotations: { x: 'y' } }, data: { a: '1', 'b.txt': 'two' } } },
  { kind: 'Secret', collection: `/api/v1/namespaces/${NS}/secrets`, name: 'seed-secret', manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'seed-secret' }, type: 'Opaque', data: { password: 'aHVudGVyMg==' } } },
  { kind: 'Namespace', collection: '/api/v1/namespaces', name: 'fuzz-seed-ns', manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-seed-ns', labels: { team: 'fuzz' } } } },
  {
    kind: 'Event',
    collection: `/api/v1/namespaces/${NS}/events`,
    name: 'seed-event',
    manifest: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'seed-event' },
      involvedObject: { kind: 'Pod', name: 'seed-pod', namespace: NS, apiVersion: 'v1' },
      reason: 'Fuzzed',
      message: 'a seed event',
      type: 'Normal',
      source: { component: 'fuzz' },
      count: 1,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
    },
  },
  { kind: 'Logstore', collection: '/apis/logs.jobyard.io/v1/logstores', name: 'seed-logstore', manifest: { apiVersion: 'logs.jobyard.io/v1', kind: 'Logstore', metadata: { name: 'seed-logstore' }, spec: { retentionDays: 7, maxSize: '1Gi' } } },
];

const itemPath = (s: SeedObject) => `${s.collection}/${s.name}`;

// ---- generators ------------------------------------------------------------------------------

/**
 * Deep values travel as a marker string, expanded in the body's text (expandDeep): as objects
 * they would overflow the generator's own copies and serializers long before the server's.
 */
function nest(depth: number): Json {
  return `DEEP-NEST-${depth}`;
}

function expandDeep(text: string): string {
  return text.replace(/"?DEEP-NEST-(\d+)"?/g, (_, d: string) => {
    const n = Number(d);
    return '[{"a":'.repeat(n / 2) + '"deep"' + '}]'.repeat(n / 2);
  });
}

const weirdString = fc.oneof(
  fc.constantFrom('', ' ', 'x', 'UPPER', '-leading', 'trailing-', 'a/b', '../..', '%2F', '\u0000', '\ud800', '💥🔥', 'ｆｕｌｌ', 'a'.repeat(64), '0', 'true', 'null', '1e999', '$(rm -rf /)', '<script>'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 250, max: 70_000 }).map((n) => 'l'.repeat(n)),
  // Backtracking bait for number-shaped fields (quantities): long digits, then a bad suffix.
  fc.integer({ min: 1000, max: 300_000 }).map((n) => `${'1'.repeat(n)}x`),
);

const weirdNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom<Json>([], {}, [null], [null, null], [{}], [''], [[]], JSON.parse('{"__proto__":null}') as Json) },
  { weight: 1, arbitrary: fc.constantFrom(10, 100, 498, 502, 3000).map((d) => nest(d)) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'name', 'x', '$patch', 'toString'), fc.oneof(weirdString, fc.constant(null)), { maxKeys: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => `item${i}`)) },
);

const oddKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$patch', '$retainKeys', 'extraField', '', 'a.b', 'spec', 'metadata', 'status', 'apiVersion', 'kind');

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'insert'; at: number; key: string; value: Json }
  | { op: 'wrap'; at: number; how: 'array' | 'object' }
  | { op: 'nullElement'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: weirdValue }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), key: fc.oneof(oddKey, fc.string({ maxLength: 12 })), value: weirdValue }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat(), how: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ op: fc.constant('nullElement' as const), at: fc.nat() }),
);

/** Paths to the values of a JSON document down to depth 40 (a nested value is mutated whole), root first. */
function pathsOf(doc: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: Json; path: (string | number)[] }[] = [{ v: doc, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    out.push(path);
    if (path.length >= 40) continue;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) stack.push({ v: v[k], path: [...path, k] });
  }
  return out;
}

function setOwn(o: Record<string, Json>, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

function mutate(doc: Json, muts: Mutation[]): Json {
  const root: Obj = { root: structuredClone(doc) };
  for (const mut of muts) {
    // Generated values may be shared (constants, repeats): each use gets its own copy.
    const m = structuredClone(mut);
    const paths = pathsOf(root.root);
    const path = ['root', ...paths[m.at % paths.length]];
    let parent: any = root;
    for (const p of path.slice(0, -1)) parent = parent[p];
    const key = path[path.length - 1];
    if (parent === null || typeof parent !== 'object') continue;
    const cur = parent[key] as Json;
    switch (m.op) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else if (key !== 'root') delete parent[key];
        break;
      case 'set':
        setOwn(parent, String(key), m.value);
        break;
      case 'insert':
        if (Array.isArray(cur)) cur.push(m.value);
        else if (cur && typeof cur === 'object') setOwn(cur, m.key, m.value);
        break;
      case 'wrap':
        setOwn(parent, String(key), m.how === 'array' ? [cur] : { wrapped: cur });
        break;
      case 'nullElement':
        if (Array.isArray(cur)) cur.push(null);
        else if (Array.isArray(parent)) parent[key as number] = null;
        break;
    }
  }
  return root.root;
}

interface Req {
  kind: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  /** The seed a write was aimed at (its snapshot is checked or refreshed after the batch). */
  seed?: string;
  /** A dry run: even when accepted it must change nothing. */
  dry?: boolean;
}

const queryParams = fc.record(
  {
    fieldValidation: fc.constantFrom('Strict', 'Warn', 'Ignore', 'strict', 'Loud', ''),
    dryRun: fc.constantFrom('All', 'all', '', 'None', 'All&dryRun=All'),
    pretty: fc.constantFrom('true', '1', 'x'),
  },
  { requiredKeys: [] },
);

function query(q: Record<string, string>): string {
  const s = Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return s ? `?${s}` : '';
}

/** YAML text of a value; JSON (which is YAML) when the yaml library cannot nest that deep. */
function toYaml(value: Json): string {
  try {
    return YAML.stringify(value, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
}

function encodeBody(value: Json, as: 'json' | 'yaml' | 'json-dupkey'): { contentType: string; body: string } {
  if (as === 'yaml') return { contentType: 'application/yaml', body: expandDeep(toYaml(value)) };
  const text = expandDeep(JSON.stringify(value) ?? 'null');
  if (as === 'json-dupkey' && text.startsWith('{"')) return { contentType: 'application/json', body: `{"kind":"Duplicate","metadata":{"name":"dup"},${text.slice(1)}` };
  return { contentType: 'application/json', body: text };
}

const seedArb = fc.constantFrom(...SEEDS);
const encoding = fc.constantFrom('json' as const, 'json' as const, 'json' as const, 'yaml' as const, 'json-dupkey' as const);

const createReq: fc.Arbitrary<Req> = fc
  .tuple(seedArb, fc.array(mutation, { maxLength: 4 }), encoding, queryParams, fc.nat(), fc.boolean())
  .map(([seed, muts, enc, q, n, fresh]) => {
    const doc = structuredClone(seed.manifest) as Obj;
    if (fresh) (doc.metadata as Obj).name = `fz-${n % 100000}`;
    const { contentType, body } = encodeBody(mutate(doc, muts), enc);
    return { kind: `create ${seed.kind}`, method: 'POST', path: seed.collection + query(q), contentType, body, dry: true };
  });

const updateReq: fc.Arbitrary<Req> = fc
  .tuple(seedArb, fc.array(mutation, { maxLength: 4 }), encoding, queryParams, fc.boolean())
  .map(([seed, muts, enc, q, dry]) => {
    const { contentType, body } = encodeBody(mutate(seed.manifest, muts), enc);
    const params = { ...q, ...(dry ? { dryRun: 'All' } : {}) };
    return { kind: `update ${seed.kind}`, method: 'PUT', path: itemPath(seed) + query(params), contentType, body, seed: seed.name, dry: params.dryRun === 'All' };
  });

const jsonPointer = fc.oneof(
  fc.constantFrom('', '/', '/metadata/labels/x', '/metadata/__proto__/polluted', '/__proto__/x', '/constructor/prototype/x', '/spec/containers/-', '/spec/template/spec/containers/0/env/-', '/data/a', '/data/~1~0', '/a/b/c/d', '/metadata/name', '/kind', '/spec/suspend', '/metadata/finalizers/-', 'no-slash', '/spec/containers/99999999999'),
  fc.integer({ min: 100, max: 50_000 }).map((n) => '/x'.repeat(n)),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(5).map(String)), { maxLength: 6 }).map((ps) => '/' + ps.join('/')),
);

const jsonPatchOp = fc.record(
  { op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', ''), path: jsonPointer, from: jsonPointer, value: weirdValue },
  { requiredKeys: ['op'] },
);

const directive = fc.constantFrom<Obj>(
  { $patch: 'replace' },
  { $patch: 'delete' },
  { $patch: 'merge' },
  { $patch: 'bogus' },
  { $retainKeys: ['name'] },
  { $retainKeys: 'x' },
  { '$setElementOrder/containers': [{ name: 'main' }, { name: 'other' }] },
  { '$setElementOrder/finalizers': ['a', 'b'] },
  { '$setElementOrder/containers': 'x' },
  { '$deleteFromPrimitiveList/finalizers': ['a'] },
  { '$deleteFromPrimitiveList/args': 'x' },
);

const patchReq: fc.Arbitrary<Req> = fc
  .tuple(
    seedArb,
    fc.constantFrom('merge', 'strategic', 'json', 'apply', 'json', 'strategic'),
    fc.array(mutation, { minLength: 1, maxLength: 3 }),
    fc.array(jsonPatchOp, { maxLength: 6 }),
    fc.array(fc.tuple(fc.nat(), directive), { maxLength: 3 }),
    fc.boolean(),
    fc.oneof(fc.constant(0), fc.constant(10_001)),
  )
  .map(([seed, type, muts, ops, directives, dry, manyOps]) => {
    const contentType = {
      merge: 'application/merge-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      json: 'application/json-patch+json',
      apply: 'application/apply-patch+yaml',
    }[type]!;
    let body: string;
    if (type === 'json') {
      const list = manyOps ? Array.from({ length: manyOps }, () => ({ op: 'test', path: '/kind', value: seed.kind })) : ops;
      body = expandDeep(JSON.stringify(list));
    } else {
      const partial = mutate(structuredClone(seed.manifest), muts) as Obj;
      if (partial && typeof partial === 'object' && !Array.isArray(partial)) {
        for (const [at, d] of directives) {
          const objects = pathsOf(partial)
            .map((p) => p.reduce<any>((o, k) => o?.[k], partial))
            .filter((o) => o && typeof o === 'object' && !Array.isArray(o));
          Object.assign(objects[at % objects.length], structuredClone(d));
        }
      }
      body = expandDeep(type === 'apply' ? toYaml(partial) : JSON.stringify(partial));
    }
    return { kind: `patch ${type}`, method: 'PATCH', path: itemPath(seed) + (dry ? '?dryRun=All' : ''), contentType, body, seed: seed.name, dry };
  });

const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'garbage/../x',
  '',
];

const PROTOBUF_PREFIX = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Bodies kubectl sent as protobuf (machinery/protobuf/kubectl-fixtures.test.ts): mutated byte by byte. */
const KUBECTL_PROTOBUF: { kind: string; body: Buffer }[] = [
  { kind: 'ConfigMap', body: Buffer.from('azhzAAoPCgJ2MRIJQ29uZmlnTWFwEkEKGAoIc2V0dGluZ3MSABoAIgAqADIAOABCABINCgVjb2xvchIEYmx1ZRIICgRzaXplEgAaDAoEYmxvYhIE/wD+ARoAIgA=', 'base64') },
  { kind: 'Secret', body: Buffer.from('azhzAAoMCgJ2MRIGU2VjcmV0Ek8KHgoOZGItY3JlZGVudGlhbHMSABoAIgAqADIAOABCABISCghwYXNzd29yZBIGczNjcjN0EhEKCHVzZXJuYW1lEgVhZG1pbhoGT3BhcXVlGgAiAA==', 'base64') },
  { kind: 'Job', body: Buffer.from('azhzAAoPCghiYXRjaC92MRIDSm9iEpEBChUKBWhlbGxvEgAaACIAKgAyADgAQgASbjJsChAKABIAGgAiACoAMgA4AEIAElgSNQoFaGVsbG8SB2J1c3lib3gaAnNoGgItYxoHZWNobyBoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgggACgAMAA6ABoAIgA=', 'base64') },
];

const protobufMutation = fc
  .tuple(fc.constantFrom(...KUBECTL_PROTOBUF), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete')), { minLength: 1, maxLength: 4 }), fc.option(fc.nat()))
  .map(([fixture, edits, cut]) => {
    const bytes = [...fixture.body];
    for (const [at, value, how] of edits) {
      // Past the 4-byte prefix: the envelope, its type meta, lengths and the object's fields.
      const i = 4 + (at % Math.max(1, bytes.length - 4));
      if (how === 'flip') bytes[i] = value;
      else if (how === 'insert') bytes.splice(i, 0, value);
      else bytes.splice(i, 1);
    }
    const out = Buffer.from(bytes);
    return { kind: fixture.kind, body: cut === null ? out : out.subarray(0, cut % (out.length + 1)) };
  });

const malformedBody = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
  fc.tuple(seedArb, fc.nat()).map(([s, n]) => {
    const t = JSON.stringify(s.manifest);
    return t.slice(0, n % t.length);
  }),
  fc.tuple(seedArb, fc.nat()).map(([s, n]) => {
    const t = toYaml(s.manifest);
    return t.slice(0, n % t.length) + '\n  bad: [unclosed: {';
  }),
  fc.constant(''),
  fc.constantFrom('null', '[]', '"string"', '42', 'true', '{}', '{"kind":"Pod"}', '{"apiVersion":"v1","kind":"ConfigMap","metadata":null}', 'a=b&c=d', '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--'),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([PROTOBUF_PREFIX, Buffer.from(b)])),
  fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.concat([PROTOBUF_PREFIX, Buffer.from([0x0a, 0x00, 0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from(b)])),
  fc.tuple(seedArb).map(([s]) => Buffer.from(JSON.stringify(s.manifest), 'utf16le')),
  fc.constantFrom(500, 2000, 100_000).map((d) => '['.repeat(d)),
  fc.constantFrom(500, 2000).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
);

const malformedReq: fc.Arbitrary<Req> = fc
  .tuple(seedArb, fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), fc.constantFrom(...CONTENT_TYPES), malformedBody)
  .map(([seed, method, contentType, body]) => {
    // Writes to a seed are dry runs (a DELETE that got through would remove it); POSTs go to the collection.
    const path = method === 'POST' ? seed.collection : `${itemPath(seed)}?dryRun=All`;
    return { kind: `malformed ${contentType.split(';')[0] || '(none)'}`, method, path, contentType, body, seed: method === 'POST' ? undefined : seed.name, dry: true };
  });

const selectorValue = fc.oneof(
  fc.constantFrom('app=fuzz', 'app!=x', 'app in (a,b)', 'app notin (a)', '!app', 'app', 'a=b,c=d', '=', '==', 'app in (', 'in', ',,', 'a=b=c', 'x'.repeat(64) + '=y', 'metadata.name=seed-pod', 'status.phase!=Running', 'spec.nodeName=', 'a(b)', '\u0000'),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 100, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => `k${i}=v`).join(',')),
  fc.integer({ min: 100, max: 1500 }).map((n) => `a in (${Array.from({ length: n }, (_, i) => `v${i}`).join(',')})`),
);

const queryReq: fc.Arbitrary<Req> = fc
  .tuple(
    seedArb,
    fc.record(
      {
        labelSelector: selectorValue,
        fieldSelector: selectorValue,
        resourceVersion: fc.constantFrom('0', '1', '-1', 'abc', '999999999999999999999', ''),
        resourceVersionMatch: fc.constantFrom('NotOlderThan', 'Exact', 'bogus'),
        limit: fc.constantFrom('0', '1', '-5', '1e9', 'x', '500'),
        continue: fc.constantFrom('garbage', 'eyJ2IjoxfQ==', '%%%', 'x'.repeat(2000)),
        includeObject: fc.constantFrom('None', 'Object', 'Metadata', 'x'),
        allowWatchBookmarks: fc.constantFrom('true', 'x'),
        timeoutSeconds: fc.constantFrom('-1', 'x', '99999999999'),
        sendInitialEvents: fc.constantFrom('true', 'false', 'x'),
      },
      { requiredKeys: [] },
    ),
    fc.constantFrom('list', 'list', 'list', 'get', 'watch'),
    fc.constantFrom('application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf', 'text/html', '*/*'),
  )
  .map(([seed, q, verb, accept]) => {
    const params: Record<string, string> = { ...q };
    let path = seed.collection;
    if (verb === 'get') path = itemPath(seed);
    if (verb === 'watch') {
      // A watch that is accepted stays open: one second at most.
      params.watch = 'true';
      params.timeoutSeconds = '1';
      params.resourceVersion = params.resourceVersion ?? '0';
    }
    return { kind: `query ${verb}`, method: 'GET', path: path + query(params), body: undefined, contentType: accept };
  });

const COLLECTION_OF: Record<string, string> = Object.fromEntries(SEEDS.map((s) => [s.kind, s.collection]));

const protobufReq: fc.Arbitrary<Req> = fc.tuple(protobufMutation, fc.boolean()).map(([{ kind, body }, strict]) => ({
  kind: 'protobuf mutated',
  method: 'POST',
  path: `${COLLECTION_OF[kind]}?dryRun=All${strict ? '&fieldValidation=Strict' : ''}`,
  contentType: 'application/vnd.kubernetes.protobuf',
  body,
  dry: true,
}));

const request: fc.Arbitrary<Req> = fc.oneof(
  { weight: 30, arbitrary: createReq },
  { weight: 20, arbitrary: updateReq },
  { weight: 25, arbitrary: patchReq },
  { weight: 20, arbitrary: malformedReq },
  { weight: 5, arbitrary: queryReq },
  { weight: 5, arbitrary: protobufReq },
);

// ---- the run ---------------------------------------------------------------------------------

let server: JobyardServer;
let api: ApiClient;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
  api = new ApiClient(server, CONCURRENCY);
  const ns = await api.send('POST', '/api/v1/namespaces', { contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }) });
  expect(ns.code, ns.body).toBe(201);
  for (const s of SEEDS) {
    const a = await api.send('POST', s.collection, { contentType: 'application/json', body: JSON.stringify(s.manifest) });
    expect(a.code, `${s.kind}: ${a.body}`).toBe(201);
  }
});

afterAll(async () => {
  api?.close();
  await server?.stop();
});

/**
 * What a refused request must not change: the object without status and resourceVersion, which
 * controllers move on their own (the Job controller's Suspended condition, a Logstore's counts).
 */
function comparable(body: string): string {
  const obj = JSON.parse(body) as { metadata?: Record<string, unknown>; status?: unknown };
  delete obj.status;
  if (obj.metadata) delete obj.metadata.resourceVersion;
  return JSON.stringify(obj);
}

async function snapshot(seed: SeedObject): Promise<string> {
  const a = await api.send('GET', itemPath(seed));
  expect(a.code, `${seed.kind} ${seed.name}: ${a.body.slice(0, 300)}`).toBe(200);
  return comparable(a.body);
}

function describeReq(r: Req, a?: Answer): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : `<${r.body.length} bytes> ${r.body.subarray(0, 60).toString('hex')}`;
  const answer = a ? ` → ${a.code || a.failure} ${a.failureDetail ?? ''} ${a.body.slice(0, 300)}` : '';
  return `${r.method} ${r.path.slice(0, 200)} [${r.contentType ?? ''}] ${body.slice(0, 300)}${answer}`;
}

// About 3 ms a request; a long run (npm run fuzz) gets the time it needs.
const TIMEOUT_MS = Math.max(120_000, RUNS * 20);

it(`answers ${RUNS} fuzzed requests with no 5xx, no reset, a Status for every 4xx, and seeds unchanged by refused requests`, { timeout: TIMEOUT_MS }, async () => {
  const started = performance.now();
  const requests = fc.sample(request, { seed: SEED, numRuns: RUNS });
  const byKind = new Map<string, number>();
  const byType = new Map<string, number>();
  const codes = new Map<number, number>();
  const serverErrors: string[] = [];
  const failures: string[] = [];
  const notStatus: string[] = [];
  const changed: string[] = [];
  let verified = 0;
  let resnapshots = 0;

  // Let controllers settle (a suspended Job gets its condition), then snapshot.
  await new Promise((r) => setTimeout(r, 1000));
  const snapshots = new Map<string, string>();
  for (const s of SEEDS) snapshots.set(s.name, await snapshot(s));

  for (let b = 0; b < requests.length; b += BATCH) {
    const batch = requests.slice(b, b + BATCH);
    const answers: Answer[] = new Array(batch.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batch.length) {
          const i = next++;
          const r = batch[i];
          const fresh = r.path.length > 8 * 1024;
          answers[i] = await api.send(r.method, r.path, r.method === 'GET' ? { headers: { Accept: r.contentType ?? 'application/json' }, fresh } : { contentType: r.contentType, body: r.body, fresh });
        }
      }),
    );
    const acceptedWrites = new Set<string>();
    batch.forEach((r, i) => {
      const a = answers[i];
      byKind.set(r.kind.split(' ')[0], (byKind.get(r.kind.split(' ')[0]) ?? 0) + 1);
      const type = r.method === 'GET' ? 'GET' : (r.contentType ?? '').split(';')[0].toLowerCase() || '(none)';
      byType.set(type, (byType.get(type) ?? 0) + 1);
      codes.set(a.code, (codes.get(a.code) ?? 0) + 1);
      if (a.failure) failures.push(describeReq(r, a));
      else if (a.code >= 500) serverErrors.push(describeReq(r, a));
      else if (a.code >= 400) {
        const s = statusOf(a);
        if (!s || s.code !== a.code) notStatus.push(describeReq(r, a));
      } else if (a.code < 300 && r.seed && !r.dry) acceptedWrites.add(r.seed);
    });
    for (const s of SEEDS) {
      const now = await snapshot(s);
      if (acceptedWrites.has(s.name)) {
        snapshots.set(s.name, now);
        resnapshots++;
        continue;
      }
      verified++;
      if (now !== snapshots.get(s.name)) {
        const touching = batch.filter((r) => r.seed === s.name).map((r) => describeReq(r));
        changed.push(`${s.kind} ${s.name} changed in batch ${b / BATCH}:\n  before ${snapshots.get(s.name)!.slice(0, 400)}\n  after  ${now.slice(0, 400)}\n  requests: ${touching.slice(0, 5).join('\n    ')}`);
        snapshots.set(s.name, now);
      }
    }
  }

  const fmt = (m: Map<string | number, number>) => [...m.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([k, v]) => `${k}:${v}`).join(' ');
  console.log(
    `fuzz summary: seed=${SEED} runs=${RUNS} requests=${requests.length} in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
      `  by kind: ${fmt(byKind)}\n  by content type: ${fmt(byType)}\n  status codes: ${fmt(codes)}\n` +
      `  5xx=${serverErrors.length} resets/timeouts=${failures.length} 4xx-without-Status=${notStatus.length} ` +
      `seed checks unchanged=${verified - changed.length}/${verified} (re-snapshotted after accepted writes: ${resnapshots})`,
  );
  for (const line of [...serverErrors, ...failures, ...notStatus, ...changed].slice(0, 20)) console.log(`  ! ${line.slice(0, 1500)}`);
  expect(requests.length).toBeGreaterThanOrEqual(RUNS);
  expect(serverErrors.slice(0, 10), `5xx answers (FUZZ_SEED=${SEED})`).toEqual([]);
  expect(failures.slice(0, 10), `resets or timeouts (FUZZ_SEED=${SEED})`).toEqual([]);
  expect(notStatus.slice(0, 10), `4xx answers without a Status (FUZZ_SEED=${SEED})`).toEqual([]);
  expect(changed.slice(0, 5), `seeds changed by refused requests (FUZZ_SEED=${SEED})`).toEqual([]);
});
