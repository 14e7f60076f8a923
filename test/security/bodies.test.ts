// Holes 5-7 of docs/security.md, against the real server: a deep body is refused before it is
// decoded while other requests are served (it once blocked the event loop 22.6 s), a large YAML body is decoded
// off the event loop, `null` list elements are field errors (they were 500s), "__proto__" is
// an unknown field where the schema has fields and data where it is a map key, and no error
// echoes the body (YAML errors quoted the offending line, a Secret's value included).
// No time is asserted: how long probes wait while a heavy body is decoded is the benchmark row
// api-heavy-bodies (bench/rows/api-heavy-bodies.ts), with its goal.
import https from 'node:https';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { type Answer, ApiClient, statusOf } from './fuzz-support.js';

let server: JobyardServer;
let api: ApiClient;
const NS = '/api/v1/namespaces/default';

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
  api = new ApiClient(server, 8);
});

afterAll(async () => {
  api?.close();
  await server?.stop();
});

const pod = (name: string, containers: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers } });

interface Probes {
  /** How many were answered. */
  answered: number;
  /** jobyard_yaml_worker_decodes_in_flight as each /metrics probe read it. */
  yamlWorkerDecodes: number[];
}

/**
 * Sends `bad` and, while it is in flight, GETs /healthz, an object and /metrics one after
 * another: each must be answered (200, or 404 for the absent object). How long they wait is the
 * benchmark's business (bench/rows/api-heavy-bodies.ts), not asserted here.
 */
async function whileInFlight(bad: () => Promise<Answer>): Promise<{ bad: Answer; probes: Probes }> {
  let inFlight = true;
  const badAnswer = bad().finally(() => (inFlight = false));
  const probes: Probes = { answered: 0, yamlWorkerDecodes: [] };
  const paths = ['/healthz', `${NS}/configmaps/absent`, '/metrics'];
  // A fresh request each time: the keep-alive sockets are shared with the bad one's agent pool.
  while (inFlight || probes.answered < paths.length) {
    const path = paths[probes.answered % paths.length]!;
    const a = await api.send('GET', path, { timeoutMs: 60_000 });
    expect(a.failure).toBeUndefined();
    expect([200, 404]).toContain(a.code);
    probes.answered++;
    if (path === '/metrics') probes.yamlWorkerDecodes.push(yamlWorkerDecodes(a.body));
  }
  return { bad: await badAnswer, probes };
}

/** A family's value in a /metrics answer (0 before its first use, when it is not listed yet). */
function sample(text: string, name: string): number {
  const family = (parsePrometheusTextFormat(text) as { name: string; metrics: { value?: string }[] }[]).find((f) => f.name === name);
  return Number(family?.metrics[0]?.value ?? 0);
}

const yamlWorkerDecodes = (text: string) => sample(text, 'jobyard_yaml_worker_decodes_in_flight');

/** How many YAML bodies the server has handed to its worker threads so far. */
async function yamlWorkerDecodesTotal(): Promise<number> {
  const a = await api.send('GET', '/metrics');
  expect(a.code).toBe(200);
  return sample(a.body, 'jobyard_yaml_worker_decodes_total');
}

describe('hole 5: deep and large bodies', () => {
  it('refuses JSON nested 2,000 deep with 400 (it was a 500: stack overflow), naming the limit, not the content', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":' + '['.repeat(2000) + ']'.repeat(2000) + '}';
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/json', body });
    expect(a.code).toBe(400);
    // The 500th `[` is at depth 501 (the object around it is level 1).
    const column = body.indexOf('[') + 500;
    expect(statusOf(a)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: `couldn't get version/kind; json parse error: line 1, column ${column}: exceeded max depth of 500` });
  });

  it.each([
    ['application/yaml', 'YAML'],
    ['application/json', 'JSON'],
  ])('answers 2 MB of `[` as %s with 400 before decoding it, while /healthz and a GET are served', async (contentType) => {
    const body = '['.repeat(2 * 1024 * 1024);
    const decodesBefore = await yamlWorkerDecodesTotal();
    const { bad, probes } = await whileInFlight(() => api.send('POST', `${NS}/configmaps`, { contentType, body }));
    expect(bad.code).toBe(400);
    expect(statusOf(bad)?.message).toMatch(/exceeded max depth of 500$/);
    expect(probes.answered).toBeGreaterThanOrEqual(3);
    // The scan refused it: no YAML decoder saw it (2 MB would go to a worker).
    expect(await yamlWorkerDecodesTotal()).toBe(decodesBefore);
  });

  it('decodes a 1 MB YAML body (30,000 keys) on a worker thread: the API answers meanwhile', async () => {
    // A ConfigMap holds at most 1 MiB of data: 30,000 keys of 27 bytes.
    const lines = Array.from({ length: 30_000 }, (_, i) => `  k${String(i).padStart(6, '0')}: ${'v'.repeat(20)}`);
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-yaml\ndata:\n${lines.join('\n')}\n`;
    expect(body.length).toBeGreaterThan(900_000);
    const decodesBefore = await yamlWorkerDecodesTotal();
    // The decode takes seconds on a busy machine: wait for it longer than the client's default.
    const { bad: created, probes } = await whileInFlight(() => api.send('POST', `${NS}/configmaps?dryRun=All`, { contentType: 'application/yaml', body, timeoutMs: 120_000 }));
    expect(created.code, created.body.slice(0, 300)).toBe(201);
    expect(Object.keys(JSON.parse(created.body).data)).toHaveLength(30_000);
    // The main thread answered /metrics while a worker was decoding this body (the only YAML
    // body in flight): the decode runs off the event loop. Decoded inline, no answer could come
    // between its start and its end, and every scrape would read 0.
    expect(probes.yamlWorkerDecodes).toContain(1);
    expect(await yamlWorkerDecodesTotal()).toBe(decodesBefore + 1);
  });

  it('refuses JSON of more than 50,000 values with 413, and accepts one just under while the API answers', async () => {
    const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const over = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many', labels: labels(50_000) } };
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/json', body: JSON.stringify(over) });
    expect(a.code).toBe(413);
    expect(statusOf(a)?.message).toMatch(/more than 50000 values$/);
    // The costliest body that passes: 49,990 label keys, each validated; every probe meanwhile is answered.
    const under = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many', labels: labels(49_990) } };
    const { bad, probes } = await whileInFlight(() => api.send('POST', `${NS}/configmaps?dryRun=All`, { contentType: 'application/json', body: JSON.stringify(under), timeoutMs: 120_000 }));
    expect(bad.code, bad.body.slice(0, 200)).toBe(201);
    expect(Object.keys(JSON.parse(bad.body).metadata.labels)).toHaveLength(49_990);
    expect(probes.answered).toBeGreaterThanOrEqual(3);
  });

  it('refuses a 1 MB quantity of digits with a bad suffix with 400 (the quantity regex backtracked quadratically)', async () => {
    const body = JSON.stringify(pod('quantity', [{ name: 'c', image: 'busybox', resources: { limits: { cpu: `${'1'.repeat(1_000_000)}x` } } }]));
    const a = await api.send('POST', `${NS}/pods`, { contentType: 'application/json', body });
    // Quadratic, 1 MB of digits would take hours: the answer within the client's 15 s timeout is the check.
    expect(a.failure).toBeUndefined();
    expect(a.code).toBe(400);
    expect(statusOf(a)?.message).toContain('quantities must match the regular expression');
  });

  it('refuses YAML of more than 50,000 nodes with 413 before decoding it', async () => {
    const body = '[' + '1,'.repeat(1_000_000) + '1]';
    const decodesBefore = await yamlWorkerDecodesTotal();
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/yaml', body });
    expect(a.code).toBe(413);
    expect(statusOf(a)).toMatchObject({ reason: 'RequestEntityTooLarge' });
    expect(await yamlWorkerDecodesTotal()).toBe(decodesBefore);
  });

  it('bounds YAML aliases (billion laughs) with 400', async () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n  annotations:\n${laughs.map((l) => `    ${l}`).join('\n')}\n`;
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/yaml', body });
    // Expanded, the aliases make 9^9 strings: answering at all (within the client's 15 s) is the check.
    expect(a.failure).toBeUndefined();
    expect(a.code).toBe(400);
    expect(statusOf(a)?.message).toContain('excessive aliasing');
  });

  it('accepts bodies nested up to the limit in a schemaless field and stores them whole', async () => {
    // managedFields[].fieldsV1 holds any JSON: every recursion (decode, defaults, storage, table) meets depth 490.
    const deep = JSON.parse('{"f:a":'.repeat(490) + '{}' + '}'.repeat(490));
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep-ok', managedFields: [{ manager: 'x', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: deep }] } };
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/json', body: JSON.stringify(cm) });
    expect(a.code, a.body.slice(0, 300)).toBe(201);
    const table = await api.send('GET', `${NS}/configmaps/deep-ok`, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.code).toBe(200);
    const patched = await api.send('PATCH', `${NS}/configmaps/deep-ok`, { contentType: 'application/strategic-merge-patch+json', body: JSON.stringify({ metadata: { labels: { a: 'b' } } }) });
    expect(patched.code, patched.body.slice(0, 300)).toBe(200);
  });
});

describe('hole 6: null list elements and __proto__', () => {
  it('answers containers: [null] with 422 and the field paths (it was a 500)', async () => {
    const a = await api.send('POST', `${NS}/pods`, { contentType: 'application/json', body: JSON.stringify(pod('nulls', [null])) });
    expect(a.code, a.body).toBe(422);
    const causes = (statusOf(a)?.details?.causes ?? []) as { field: string; reason: string }[];
    expect(causes).toContainEqual(expect.objectContaining({ field: 'spec.containers[0].name', reason: 'FieldValueRequired' }));
    expect(causes).toContainEqual(expect.objectContaining({ field: 'spec.containers[0].image', reason: 'FieldValueRequired' }));
  });

  it('answers env: [null] and other null elements with 422 naming the element', async () => {
    const a = await api.send('POST', `${NS}/pods`, { contentType: 'application/json', body: JSON.stringify(pod('env-null', [{ name: 'c', image: 'busybox', env: [null], ports: [null], volumeMounts: [null] }])) });
    expect(a.code, a.body).toBe(422);
    const fields = ((statusOf(a)?.details?.causes ?? []) as { field: string }[]).map((c) => c.field);
    expect(fields).toContain('spec.containers[0].env[0].name');
  });

  it('refuses a pods/binding whose target name is not a string, and leaves the pod unbound', async () => {
    expect((await api.send('POST', `${NS}/pods`, { contentType: 'application/json', body: JSON.stringify(pod('unbound', [{ name: 'c', image: 'busybox' }])) })).code).toBe(201);
    for (const target of [{ name: { x: 1 } }, { name: ['n'] }, { name: 'Not_A_Node' }, 'node']) {
      const a = await api.send('POST', `${NS}/pods/unbound/binding`, { contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'unbound' }, target }) });
      expect(a.code, a.body).toBe(400);
    }
    const stored = JSON.parse((await api.send('GET', `${NS}/pods/unbound`)).body);
    expect(stored.spec.nodeName).toBeUndefined();
  });

  it('refuses a "__proto__" field under fieldValidation=Strict as an unknown field, and never stores it otherwise', async () => {
    const body = '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"proto-job"},"spec":{"__proto__":{"parallelism":9},"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}';
    const strict = await api.send('POST', '/apis/batch/v1/namespaces/default/jobs?fieldValidation=Strict', { contentType: 'application/json', body });
    expect(strict.code).toBe(400);
    expect(statusOf(strict)?.message).toBe('Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.__proto__"');

    const warn = await api.send('POST', '/apis/batch/v1/namespaces/default/jobs?fieldValidation=Warn', { contentType: 'application/json', body });
    expect(warn.code, warn.body).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field \\"spec.__proto__\\"');
    const stored = await api.send('GET', '/apis/batch/v1/namespaces/default/jobs/proto-job');
    expect(stored.body).not.toContain('__proto__');
    expect(JSON.parse(stored.body).spec.parallelism).toBe(1);
  });

  it('keeps a "__proto__" key of a ConfigMap as data, through create, merge and strategic merge patches', async () => {
    // "__proto__" is a valid ConfigMap key ([-._a-zA-Z0-9]+), not a valid label key.
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"proto-cm"},"data":{"__proto__":"v1","constructor":"c"}}';
    const created = await api.send('POST', `${NS}/configmaps?fieldValidation=Strict`, { contentType: 'application/json', body });
    expect(created.code, created.body).toBe(201);
    const get = async () => JSON.parse((await api.send('GET', `${NS}/configmaps/proto-cm`)).body) as { data: Record<string, string> };
    let cm = await get();
    expect(Object.hasOwn(cm.data, '__proto__') && cm.data.__proto__).toBe('v1');
    expect(cm.data.constructor).toBe('c');

    for (const [type, value] of [
      ['application/merge-patch+json', 'v2'],
      ['application/strategic-merge-patch+json', 'v3'],
    ]) {
      const a = await api.send('PATCH', `${NS}/configmaps/proto-cm`, { contentType: type, body: `{"data":{"__proto__":"${value}"}}` });
      expect(a.code, a.body).toBe(200);
      cm = await get();
      expect(Object.hasOwn(cm.data, '__proto__') && cm.data.__proto__).toBe(value);
    }
  });
});

describe('hole 6: selectors naming prototype properties', () => {
  it.each(['constructor', '__proto__', 'toString'])('refuses fieldSelector=%s=x as an unsupported field label', async (field) => {
    const a = await api.send('GET', `${NS}/pods?fieldSelector=${field}%3Dx`);
    expect(a.code).toBe(400);
    expect(statusOf(a)?.message).toBe(`field label not supported: ${field}`);
  });
});

describe('hole 6: Secret data keys', () => {
  it('keeps a "__proto__" key of a Secret, from data and from stringData', async () => {
    const body = '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"proto-secret"},"data":{"__proto__":"djE="},"stringData":{"__proto__":"v2","constructor":"c"}}';
    const created = await api.send('POST', `${NS}/secrets?fieldValidation=Strict`, { contentType: 'application/json', body });
    expect(created.code, created.body).toBe(201);
    const secret = JSON.parse((await api.send('GET', `${NS}/secrets/proto-secret`)).body) as { data: Record<string, string> };
    // stringData wins over data for the same key, as upstream.
    expect(Object.hasOwn(secret.data, '__proto__') && secret.data.__proto__).toBe(Buffer.from('v2').toString('base64'));
    expect(secret.data.constructor).toBe(Buffer.from('c').toString('base64'));
  });
});

describe('hole 7: errors do not echo the body', () => {
  const SECRET = 'p4ss-W0rd-9f8e7d';

  it('answers a Secret YAML with a syntax error next to the value with line and column only', async () => {
    const body = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaky\nstringData:\n  password: ${SECRET}: oops\n  other: "${SECRET}\n`;
    const a = await api.send('POST', `${NS}/secrets`, { contentType: 'application/yaml', body });
    expect(a.code).toBe(400);
    expect(a.body).not.toContain(SECRET);
    expect(a.body).not.toContain('p4ss');
    expect(statusOf(a)?.message).toMatch(/^error converting YAML to JSON: yaml: line 6, column \d+: [a-z ]+$/);
  });

  it('answers a large (worker-decoded) YAML with an error the same way', async () => {
    const filler = Array.from({ length: 2000 }, (_, i) => `  k${i}: ${'x'.repeat(10)}`).join('\n');
    const body = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaky2\nstringData:\n${filler}\n  password: [${SECRET}\n`;
    expect(body.length).toBeGreaterThan(16 * 1024);
    const a = await api.send('POST', `${NS}/secrets`, { contentType: 'application/yaml', body });
    expect(a.code).toBe(400);
    expect(a.body).not.toContain(SECRET);
  });

  it('answers broken JSON with line, column and kind, without the text around it', async () => {
    const body = `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"leaky3"},"stringData":{"password":"${SECRET}" "x":1}}`;
    const a = await api.send('POST', `${NS}/secrets`, { contentType: 'application/json', body });
    expect(a.code).toBe(400);
    expect(a.body).not.toContain(SECRET);
    expect(statusOf(a)?.message).toBe(`couldn't get version/kind; json parse error: line 1, column ${body.indexOf(' "x"') + 2}: invalid character after object key:value pair`);
  });

  it('answers a strategic merge patch error without the values', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smp-target' }, data: { a: 'b' } };
    expect((await api.send('POST', `${NS}/configmaps`, { contentType: 'application/json', body: JSON.stringify(cm) })).code).toBe(201);
    const a = await api.send('PATCH', `${NS}/configmaps/smp-target`, { contentType: 'application/strategic-merge-patch+json', body: JSON.stringify({ data: { x: SECRET }, $patch: 'explode' }) });
    expect(a.code).toBe(400);
    expect(a.body).not.toContain(SECRET);
  });
});

describe('oversized requests', () => {
  it('answers a request line over 16 KiB (a huge labelSelector) with a 431 Status, not a reset', async () => {
    const selector = Array.from({ length: 3000 }, (_, i) => `k${i}=v`).join(',');
    const a = await api.send('GET', `${NS}/configmaps?labelSelector=${encodeURIComponent(selector)}`, { fresh: true });
    expect(a.failure, a.failureDetail).toBeUndefined();
    expect(a.code).toBe(431);
    expect(statusOf(a)).toMatchObject({ kind: 'Status', code: 431 });
  });

  it('answers a body over 3 MiB with 413 RequestEntityTooLarge', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } });
    const a = await api.send('POST', `${NS}/configmaps`, { contentType: 'application/json', body, fresh: true });
    expect(a.failure, a.failureDetail).toBeUndefined();
    expect(a.code).toBe(413);
    expect(statusOf(a)).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
  });

  // The server reads the rest of a refused body so its client sees the 413 (above), but only so much.
  it.each([
    ['a chunked body without end', { 'Transfer-Encoding': 'chunked' }],
    ['a body declared 10 GiB long', { 'Content-Length': String(10 * 1024 ** 3) }],
  ])('stops reading %s: the server closes the connection', async (_what, headers) => {
    const written = await writeUntilClosed(`${NS}/configmaps`, headers);
    // 3 MiB of limit, 8 MiB read and thrown away, and the sockets' buffers on both sides.
    expect(written).toBeLessThan(WRITE_CAP);
  });
});

const WRITE_CAP = 64 * 1024 * 1024;

/** POSTs an endless body on a connection of its own until the server closes it (or WRITE_CAP): the bytes written. */
function writeUntilClosed(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = https.request(`${server.url}${path}`, {
      method: 'POST',
      agent: false,
      ca: server.caPem,
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...headers },
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    let closed = false;
    const stop = () => {
      if (closed) return;
      closed = true;
      resolve(written);
      req.destroy();
    };
    req.on('response', (res) => res.resume());
    req.on('error', stop);
    req.on('close', stop);
    const pump = () => {
      while (!closed && written < WRITE_CAP) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      stop();
    };
    pump();
  });
}

describe('content types', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream'])(
    'refuses a %s body with 415 and creates nothing',
    async (contentType) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
      const a = await api.send('POST', `${NS}/configmaps`, { contentType, body });
      expect(a.code).toBe(415);
      expect(statusOf(a)?.reason).toBe('UnsupportedMediaType');
      expect((await api.send('GET', `${NS}/configmaps/plain`)).code).toBe(404);
    },
  );
});
