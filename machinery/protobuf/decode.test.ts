import { describe, expect, it } from 'vitest';
import type { Definitions } from '../../api/schema/index.js';
import { BATCH, CORE, META } from '../../api/schema/index.js';
import {
  any,
  asMessage,
  bool,
  bytes,
  inline,
  int32,
  int64,
  intOrString,
  keepZero,
  list,
  map,
  num,
  object,
  quantity,
  ref,
  str,
  time,
} from '../../api/schema/builders.js';
import { StatusError } from '../status-error.js';
import { PROTOBUF_PREFIX, decodeKubernetesProtobuf, decodeProtobufMessage, formatTime } from './decode.js';
import { WireWriter } from './testing/index.js';

// A test-only message holding one field of every special kind, so each is checked alone.
const T = 'test.T';
const defs: Definitions = {
  [T]: object(
    {
      name: str(),
      nick: str(),
      count: int32(),
      big: int64(),
      flag: bool(),
      maybe: bool(),
      ratio: num(),
      when: time(),
      micro: time(),
      qty: quantity(),
      port: intOrString(),
      labels: map(str()),
      data: map(bytes()),
      limits: map(quantity()),
      blob: bytes(),
      raw: any(),
      fields: any(),
      verbs: list(str()),
      codes: list(int32()),
      groups: list(int64()),
      child: ref('test.Child'),
      children: list(ref('test.Child')),
      path: str(),
      readOnly: bool(),
      opaque: any(),
      grid: list(list(str())),
    },
    {
      proto: {
        name: 1,
        nick: keepZero(2),
        count: 3,
        big: 4,
        flag: 5,
        maybe: keepZero(6),
        ratio: 7,
        when: 8,
        micro: asMessage(9, 'MicroTime'),
        qty: 10,
        port: 11,
        labels: 12,
        data: 13,
        limits: 14,
        blob: 15,
        raw: asMessage(16, 'RawExtension'),
        fields: asMessage(17, 'FieldsV1'),
        verbs: asMessage(18, 'Verbs'),
        codes: 19,
        groups: 20,
        child: 21,
        children: 22,
        ...inline(23, { path: 1, readOnly: keepZero(2) }),
        opaque: 24,
        grid: 25,
      },
    },
  ),
  'test.Child': object({ name: str(), n: int32() }, { proto: { name: 1, n: 2 } }),
  'test.NoNumbers': object({ name: str() }),
};

const msg = (build: (w: WireWriter) => void) => {
  const w = new WireWriter();
  build(w);
  return w.finish();
};
const decodeT = (build: (w: WireWriter) => void) => decodeProtobufMessage(msg(build), ref(T), defs);

/** A whole body: prefix, then runtime.Unknown {typeMeta, raw}. */
function body(kind: string, apiVersion: string, raw: Uint8Array, extra?: (w: WireWriter) => void): Uint8Array {
  const unknown = new WireWriter().message(1, (t) => t.string(1, apiVersion).string(2, kind)).bytes(2, raw);
  extra?.(unknown);
  return Uint8Array.from([...PROTOBUF_PREFIX, ...unknown.finish()]);
}

/** The StatusError a call throws (fails the test if it throws anything else, or nothing). */
function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    const s = (err as StatusError).status;
    return { code: s.code ?? 0, reason: s.reason, message: s.message };
  }
  throw new Error('expected a StatusError');
}

describe('decodeProtobufMessage: scalars and omitempty', () => {
  it('drops zero scalars like Go omitempty, and keeps them where the field keeps zeros', () => {
    const out = decodeT((w) => w.string(1, '').string(2, '').varint(3, 0).varint(4, 0).varint(5, false).varint(6, false));
    expect(out).toEqual({ nick: '', maybe: false });
  });

  it('reads strings, int32, int64 (beyond 2^32), bools and doubles', () => {
    const out = decodeT((w) => w.string(1, 'web').varint(3, 42).varint(4, 2n ** 40n).varint(5, true).double(7, 0.75));
    expect(out).toEqual({ name: 'web', count: 42, big: 2 ** 40, flag: true, ratio: 0.75 });
  });

  it('reads negative int32 sent as a 10-byte varint, and negative int64', () => {
    const bytes = msg((w) => w.varint(3, -7).varint(4, -9000000000));
    expect(bytes.length).toBe(2 * 11);
    expect(decodeProtobufMessage(bytes, ref(T), defs)).toEqual({ count: -7, big: -9000000000 });
  });

  it('lets the last occurrence of a singular field win, and a later zero unset it', () => {
    expect(decodeT((w) => w.string(1, 'a').string(1, 'b'))).toEqual({ name: 'b' });
    expect(decodeT((w) => w.varint(3, 5).varint(3, 0))).toEqual({});
  });

  it('skips fields it has no number for, of every wire type', () => {
    const out = decodeT((w) => w.varint(99, 1).double(98, 1).string(97, 'x').float(96, 1).string(1, 'kept'));
    expect(out).toEqual({ name: 'kept' });
  });

  it('refuses a known field with the wrong wire type, in gogo\'s words', () => {
    expect(statusOf(() => decodeT((w) => w.varint(1, 5)))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'the body could not be decoded as protobuf: proto: wrong wireType = 0 for field name',
    });
    expect(statusOf(() => decodeT((w) => w.string(3, 'x'))).message).toContain('wrong wireType = 2 for field count');
  });
});

describe('decodeProtobufMessage: special messages', () => {
  it('metav1.Time: an empty message is null, seconds are RFC 3339 UTC, nanos are dropped', () => {
    expect(decodeT((w) => w.bytes(8, new Uint8Array(0)))).toEqual({ when: null });
    expect(decodeT((w) => w.message(8, (t) => t.varint(1, 1700000000).varint(2, 999_000_000)))).toEqual({ when: '2023-11-14T22:13:20Z' });
    expect(decodeT((w) => w.message(8, (t) => t.varint(1, -1)))).toEqual({ when: '1969-12-31T23:59:59Z' });
    // An explicit {seconds: 0} is the epoch, not the zero time (only an empty message is).
    expect(decodeT((w) => w.message(8, (t) => t.varint(1, 0)))).toEqual({ when: '1970-01-01T00:00:00Z' });
    // Go's zero time.Time, if a client wrote it out: year 1.
    expect(decodeT((w) => w.message(8, (t) => t.varint(1, -62135596800)))).toEqual({ when: '0001-01-01T00:00:00Z' });
  });

  it('metav1.MicroTime: microseconds, truncated like Go\'s RFC3339Micro', () => {
    expect(decodeT((w) => w.message(9, (t) => t.varint(1, 1700000000).varint(2, 123456789)))).toEqual({ micro: '2023-11-14T22:13:20.123456Z' });
    expect(decodeT((w) => w.message(9, (t) => t.varint(1, 1700000000)))).toEqual({ micro: '2023-11-14T22:13:20.000000Z' });
    expect(decodeT((w) => w.bytes(9, new Uint8Array(0)))).toEqual({ micro: null });
  });

  it('refuses times Go cannot write as JSON (years past 9999)', () => {
    expect(statusOf(() => decodeT((w) => w.message(8, (t) => t.varint(1, 253402300800)))).message).toContain('year outside of range [0,9999]');
    expect(formatTime(253402300799n, 0, false)).toBe('9999-12-31T23:59:59Z');
  });

  it('resource.Quantity: string field 1; an empty message is "0"', () => {
    expect(decodeT((w) => w.message(10, (q) => q.string(1, '500m')))).toEqual({ qty: '500m' });
    expect(decodeT((w) => w.bytes(10, new Uint8Array(0)))).toEqual({ qty: '0' });
  });

  it('intstr.IntOrString: type 0 is intVal, type 1 is strVal', () => {
    expect(decodeT((w) => w.message(11, (p) => p.varint(1, 0).varint(2, 8080).string(3, '')))).toEqual({ port: 8080 });
    expect(decodeT((w) => w.message(11, (p) => p.varint(1, 1).varint(2, 0).string(3, 'http')))).toEqual({ port: 'http' });
    expect(decodeT((w) => w.message(11, (p) => p.varint(2, -1)))).toEqual({ port: -1 });
    expect(decodeT((w) => w.bytes(11, new Uint8Array(0)))).toEqual({ port: 0 });
  });

  it('map<string,string>: entries with key 1 and value 2, the last duplicate wins, missing parts are empty', () => {
    const out = decodeT((w) =>
      w
        .message(12, (e) => e.string(1, 'app').string(2, 'web'))
        .message(12, (e) => e.string(1, 'tier').string(2, 'front'))
        .message(12, (e) => e.string(1, 'app').string(2, 'api'))
        .message(12, (e) => e.string(1, 'empty'))
        .message(12, (e) => e.string(2, 'no-key')),
    );
    expect(out).toEqual({ labels: { app: 'api', tier: 'front', empty: '', '': 'no-key' } });
  });

  it('map<string,bytes> and []byte: base64 in JSON, empty map values kept', () => {
    const out = decodeT((w) =>
      w
        .message(13, (e) => e.string(1, 'bin').bytes(2, Uint8Array.of(0xff, 0x00, 0xfe)))
        .message(13, (e) => e.string(1, 'nothing').bytes(2, new Uint8Array(0)))
        .bytes(15, Uint8Array.of(104, 105)),
    );
    expect(out).toEqual({ data: { bin: '/wD+', nothing: '' }, blob: 'aGk=' });
    expect(decodeT((w) => w.bytes(15, new Uint8Array(0)))).toEqual({});
  });

  it('map<string,Quantity> (ResourceList)', () => {
    const out = decodeT((w) => w.message(14, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, '250m'))).message(14, (e) => e.string(1, 'memory')));
    expect(out).toEqual({ limits: { cpu: '250m', memory: '0' } });
  });

  it('runtime.RawExtension and FieldsV1: raw JSON bytes, empty is null', () => {
    const json = (s: string) => new TextEncoder().encode(s);
    expect(decodeT((w) => w.message(16, (r) => r.bytes(1, json('{"kind":"Pod","spec":{"a":[1,2]}}'))))).toEqual({ raw: { kind: 'Pod', spec: { a: [1, 2] } } });
    expect(decodeT((w) => w.message(17, (r) => r.bytes(1, json('{"f:metadata":{"f:labels":{}}}'))))).toEqual({ fields: { 'f:metadata': { 'f:labels': {} } } });
    expect(decodeT((w) => w.bytes(16, new Uint8Array(0)))).toEqual({ raw: null });
    expect(statusOf(() => decodeT((w) => w.message(16, (r) => r.bytes(1, json('{not json')))))).toMatchObject({ code: 400 });
    expect(statusOf(() => decodeT((w) => w.message(16, (r) => r.bytes(1, Uint8Array.of(...PROTOBUF_PREFIX, 1)))))).toMatchObject({ code: 415 });
  });

  it('metav1.Verbs: a message wrapping repeated strings', () => {
    expect(decodeT((w) => w.message(18, (v) => v.string(1, 'get').string(1, 'list')))).toEqual({ verbs: ['get', 'list'] });
    expect(decodeT((w) => w.bytes(18, new Uint8Array(0)))).toEqual({ verbs: [] });
  });

  it('refuses a field the schema cannot say how to decode', () => {
    expect(statusOf(() => decodeT((w) => w.string(24, 'x')))).toMatchObject({ code: 415 });
    expect(statusOf(() => decodeT((w) => w.string(25, 'x')))).toMatchObject({ code: 415 });
  });
});

describe('decodeProtobufMessage: repeated fields, nested and inlined messages', () => {
  it('reads repeated scalars unpacked and packed, negatives included', () => {
    expect(decodeT((w) => w.varint(19, 1).varint(19, -3).varint(19, 255))).toEqual({ codes: [1, -3, 255] });
    expect(decodeT((w) => w.packed(19, [1, -3, 255]))).toEqual({ codes: [1, -3, 255] });
    expect(decodeT((w) => w.packed(20, [1000, 2n ** 33n]).varint(20, 7))).toEqual({ groups: [1000, 2 ** 33, 7] });
  });

  it('reads repeated messages in order and keeps zero values inside items', () => {
    const out = decodeT((w) => w.message(22, (c) => c.string(1, 'a').varint(2, 1)).message(22, () => undefined).message(22, (c) => c.string(1, 'c')));
    expect(out).toEqual({ children: [{ name: 'a', n: 1 }, {}, { name: 'c' }] });
  });

  it('writes an empty present message as {} (Go always writes non-pointer structs)', () => {
    expect(decodeT((w) => w.bytes(21, new Uint8Array(0)))).toEqual({ child: {} });
  });

  it('merges a singular message that occurs twice, as protobuf specifies', () => {
    expect(decodeT((w) => w.message(21, (c) => c.string(1, 'x')).message(21, (c) => c.varint(2, 3)))).toEqual({ child: { name: 'x', n: 3 } });
  });

  it('puts the fields of an inlined Go struct beside the parent\'s own', () => {
    expect(decodeT((w) => w.string(1, 'vol').message(23, (v) => v.string(1, '/data').varint(2, false)))).toEqual({ name: 'vol', path: '/data', readOnly: false });
  });

  it('refuses a truncated nested message', () => {
    const good = msg((w) => w.message(21, (c) => c.string(1, 'abcdef')));
    expect(statusOf(() => decodeProtobufMessage(good.subarray(0, good.length - 2), ref(T), defs))).toMatchObject({ code: 400, message: expect.stringContaining('unexpected EOF') });
  });
});

describe('decodeKubernetesProtobuf: the envelope', () => {
  const cm = msg((w) => w.message(1, (m) => m.string(1, 'cfg')).message(2, (e) => e.string(1, 'a').string(2, 'b')));

  it('reads kind and apiVersion from runtime.Unknown and decodes raw as the object', () => {
    expect(decodeKubernetesProtobuf(body('ConfigMap', 'v1', cm), ref(CORE + 'ConfigMap'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cfg' }, data: { a: 'b' } },
    });
  });

  it('leaves kind and apiVersion out of the object when the envelope has none (the codec defaults them)', () => {
    const raw = Uint8Array.from([...PROTOBUF_PREFIX, ...new WireWriter().bytes(2, cm).finish()]);
    expect(decodeKubernetesProtobuf(raw, ref(CORE + 'ConfigMap'))).toEqual({ apiVersion: '', kind: '', object: { metadata: { name: 'cfg' }, data: { a: 'b' } } });
  });

  it('ignores contentType and unknown envelope fields, and refuses a content encoding', () => {
    const withType = body('ConfigMap', 'v1', cm, (w) => w.string(4, 'application/vnd.kubernetes.protobuf').varint(9, 1));
    expect(decodeKubernetesProtobuf(withType, ref(CORE + 'ConfigMap')).object.data).toEqual({ a: 'b' });
    const gz = body('ConfigMap', 'v1', cm, (w) => w.string(3, 'gzip'));
    expect(statusOf(() => decodeKubernetesProtobuf(gz, ref(CORE + 'ConfigMap')))).toEqual({ code: 400, reason: 'BadRequest', message: 'unsupported protobuf content encoding "gzip"' });
  });

  it('answers 400 for a missing prefix, a bare prefix and an empty body, with upstream\'s words', () => {
    expect(statusOf(() => decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"ConfigMap"}'), ref(CORE + 'ConfigMap')))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    });
    expect(statusOf(() => decodeKubernetesProtobuf(Uint8Array.from(PROTOBUF_PREFIX), ref(CORE + 'ConfigMap'))).message).toBe('empty body');
    expect(statusOf(() => decodeKubernetesProtobuf(new Uint8Array(0), ref(CORE + 'ConfigMap'))).message).toBe('empty data');
  });

  it('answers 415 for a schema without protobuf field numbers', () => {
    const raw = body('X', 'v1', msg((w) => w.string(1, 'x')));
    expect(statusOf(() => decodeKubernetesProtobuf(raw, ref('test.NoNumbers'), defs))).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
  });

  it('never crashes on damaged input: every failure is a 400', () => {
    const good = body('ConfigMap', 'v1', cm);
    // A deterministic PRNG (no Math.random: the same cases every run).
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let failures = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from(good);
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) bytes[4 + Math.floor(next() * (bytes.length - 4))] = Math.floor(next() * 256);
      const cut = next() < 0.3 ? Math.floor(next() * bytes.length) : bytes.length;
      try {
        decodeKubernetesProtobuf(bytes.subarray(0, cut), ref(CORE + 'ConfigMap'));
      } catch (err) {
        expect(err).toBeInstanceOf(StatusError);
        expect((err as StatusError).status.code).toBe(400);
        failures++;
      }
    }
    // Enough of the damaged bodies must have been refused for the test to mean something.
    expect(failures).toBeGreaterThan(500);
  });
});

describe('decodeKubernetesProtobuf: served schemas', () => {
  it('keeps zero values of pointer fields (backoffLimit: 0) and drops non-pointer zeros (status.active)', () => {
    const job = msg((w) =>
      w
        .message(1, (m) => m.string(1, 'j'))
        .message(2, (s) => s.varint(7, 0).varint(10, false).message(6, (t) => t.message(2, (p) => p.string(3, 'Never'))))
        .message(3, (st) => st.varint(4, 0).varint(9, 0)),
    );
    expect(decodeKubernetesProtobuf(body('Job', 'batch/v1', job), ref(BATCH + 'Job')).object).toEqual({
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name: 'j' },
      spec: { backoffLimit: 0, suspend: false, template: { spec: { restartPolicy: 'Never' } } },
      status: { ready: 0 },
    });
  });

  it('decodes inlined structs: a Volume\'s source, a Probe\'s handler, a key selector\'s name, an ephemeral container', () => {
    const container = (c: WireWriter) =>
      c
        .string(1, 'main')
        .message(10, (probe) =>
          probe.message(1, (h) => h.message(2, (g) => g.string(1, '/healthz').message(2, (p) => p.varint(1, 1).string(3, 'http')))).varint(2, 5).varint(6, 0),
        )
        .message(7, (env) => env.string(1, 'COLOR').message(3, (src) => src.message(3, (sel) => sel.message(1, (lor) => lor.string(1, 'settings')).string(2, 'color'))));
    const pod = msg((w) =>
      w.message(2, (spec) =>
        spec
          .message(1, (v) => v.string(1, 'cache').message(2, (src) => src.message(2, (ed) => ed.string(1, 'Memory').message(2, (q) => q.string(1, '64Mi')))))
          .message(2, container)
          .message(34, (ec) => ec.message(1, (c) => c.string(1, 'debug').string(2, 'busybox')).string(2, 'main')),
      ),
    );
    expect(decodeKubernetesProtobuf(body('Pod', 'v1', pod), ref(CORE + 'Pod')).object).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      spec: {
        volumes: [{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
        containers: [
          {
            name: 'main',
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5 },
            env: [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } }],
          },
        ],
        ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'main' }],
      },
    });
  });

  it('decodes an Event\'s MicroTime and Time fields', () => {
    const ev = msg((w) =>
      w
        .message(1, (m) => m.string(1, 'e1').string(3, 'default'))
        .message(2, (o) => o.string(1, 'Pod').string(3, 'p'))
        .string(3, 'Started')
        .bytes(6, new Uint8Array(0))
        .message(10, (t) => t.varint(1, 1700000000).varint(2, 5_000))
        .string(14, '')
        .string(15, ''),
    );
    expect(decodeKubernetesProtobuf(body('Event', 'v1', ev), ref(CORE + 'Event')).object).toEqual({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'e1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'Started',
      firstTimestamp: null,
      eventTime: '2023-11-14T22:13:20.000005Z',
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('decodes DeleteOptions (gracePeriodSeconds 0 is kept, preconditions are pointers)', () => {
    const opts = msg((w) => w.varint(1, 0).message(2, (p) => p.string(1, 'uid-1')).string(4, 'Foreground').string(5, 'All'));
    expect(decodeKubernetesProtobuf(body('DeleteOptions', 'meta.k8s.io/v1', opts), ref(META + 'DeleteOptions')).object).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'meta.k8s.io/v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  });

  it('decodes ObjectMeta with owner references, managed fields and a deletion grace period of 0', () => {
    const cm = msg((w) =>
      w.message(1, (m) =>
        m
          .string(1, 'c')
          .varint(7, 0)
          .varint(10, 0)
          .message(13, (o) => o.string(1, 'Job').string(3, 'j').string(4, 'u1').string(5, 'batch/v1').varint(6, true))
          .message(17, (f) => f.string(1, 'kubectl').string(2, 'Update').string(3, 'v1').message(4, (t) => t.varint(1, 1)).string(6, 'FieldsV1').message(7, (r) => r.bytes(1, new TextEncoder().encode('{"f:data":{}}')))),
      ),
    );
    expect(decodeKubernetesProtobuf(body('ConfigMap', 'v1', cm), ref(CORE + 'ConfigMap')).object.metadata).toEqual({
      name: 'c',
      deletionGracePeriodSeconds: 0,
      ownerReferences: [{ kind: 'Job', name: 'j', uid: 'u1', apiVersion: 'batch/v1', controller: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '1970-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }],
    });
  });
});

describe('hostile protobuf bodies', () => {
  it('refuses more values than a JSON body may hold (413), and keeps a "__proto__" map key as data', async () => {
    const { CORE: core, definitions: served } = await import('../../api/schema/index.js');
    const { MAX_JSON_NODES } = await import('../body-scan.js');
    const cm = (entries: number, key = (i: number) => `k${i}`) => {
      const w = new WireWriter();
      w.message(1, (m) => m.string(1, 'c'));
      for (let i = 0; i < entries; i++) w.message(2, (e) => e.string(1, key(i)).string(2, 'v'));
      return w.finish();
    };
    const schema = { type: 'ref' as const, ref: core + 'ConfigMap' };
    const small = decodeProtobufMessage(cm(1, () => '__proto__'), schema, served) as { data: object };
    expect(Object.hasOwn(small.data, '__proto__')).toBe(true);
    let status: { code?: number } | undefined;
    try {
      decodeProtobufMessage(cm(MAX_JSON_NODES), schema, served);
    } catch (err) {
      status = (err as { status?: { code?: number } }).status;
    }
    expect(status?.code).toBe(413);
  });
});
