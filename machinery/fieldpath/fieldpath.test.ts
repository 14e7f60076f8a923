import { describe, expect, it } from 'vitest';
import { CORE, definitions } from '../../api/schema/index.js';
import { ref } from '../../api/schema/builders.js';
import { PathSet, TypedSchema, fieldElement, keyElement, pathString, valueElement } from './index.js';

const typed = new TypedSchema(definitions);
const POD = ref(CORE + 'Pod');

// managedFields of `kubectl run nginx --image=nginx --port 80` on a 1.32 cluster (manager
// kubectl-run): the pod as the API server holds it once defaulted.
const KUBECTL_RUN_FIELDS =
  '{"f:metadata":{"f:labels":{".":{},"f:run":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},' +
  '"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{},' +
  '"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},' +
  '"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}';

const runPod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx',
        imagePullPolicy: 'Always',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
});

describe('FieldsV1', () => {
  it('decodes and encodes upstream encoding byte for byte', () => {
    const set = PathSet.fromFieldsV1(JSON.parse(KUBECTL_RUN_FIELDS));
    expect(JSON.stringify(set.toFieldsV1())).toBe(KUBECTL_RUN_FIELDS);
    expect(set.has([fieldElement('spec'), fieldElement('dnsPolicy')])).toBe(true);
    expect(set.has([fieldElement('spec')])).toBe(false);
    expect(set.has([fieldElement('metadata'), fieldElement('labels')])).toBe(true);
  });

  it('is what a create of the pod gives its manager (labels a member, spec not: a new Go Pod holds it)', () => {
    const c = typed.compare(typed.zeroObject(POD), runPod(), POD);
    // What upstream's stripMetaManager takes out: type meta, the metadata node itself, name, namespace.
    const strip = PathSet.fromPaths([['apiVersion'], ['kind'], ['metadata'], ['metadata', 'name'], ['metadata', 'namespace']].map((p) => p.map(fieldElement)));
    const own = c.added.union(c.modified).difference(strip);
    expect(JSON.stringify(own.toFieldsV1())).toBe(KUBECTL_RUN_FIELDS);
  });

  it('refuses what is not FieldsV1', () => {
    expect(() => PathSet.fromFieldsV1({ 'x:y': {} })).toThrow(/unknown path element/);
    expect(() => PathSet.fromFieldsV1({ 'f:a': 1 })).toThrow(/expected an object/);
    expect(() => PathSet.fromFieldsV1({ 'k:{bad': {} })).toThrow(/bad path element/);
    expect(() => PathSet.fromFieldsV1([])).toThrow(/expected an object/);
  });

  it('orders keys by value, numbers numerically, and kinds field < key < value', () => {
    const s = new PathSet();
    for (const port of [10, 9, 8080]) s.insert([keyElement({ protocol: 'TCP', containerPort: port })]);
    s.insert([valueElement('b')]);
    s.insert([valueElement('a')]);
    s.insert([fieldElement('z')]);
    expect(Object.keys(s.toFieldsV1())).toEqual([
      'f:z',
      'k:{"containerPort":9,"protocol":"TCP"}',
      'k:{"containerPort":10,"protocol":"TCP"}',
      'k:{"containerPort":8080,"protocol":"TCP"}',
      'v:"a"',
      'v:"b"',
    ]);
  });

  it('prints paths as upstream does', () => {
    expect(pathString([fieldElement('spec'), keyElement({ name: 'app' }), fieldElement('image')])).toBe('.spec[name="app"].image');
    expect(pathString([fieldElement('spec'), fieldElement('ports'), keyElement({ protocol: 'TCP', containerPort: 80 })])).toBe('.spec.ports[containerPort=80,protocol="TCP"]');
    expect(pathString([fieldElement('metadata'), fieldElement('finalizers'), valueElement('x')])).toBe('.metadata.finalizers[="x"]');
  });
});

describe('set operations', () => {
  const p = (...names: string[]) => names.map(fieldElement);
  const a = PathSet.fromPaths([p('a'), p('b', 'c'), p('b', 'd'), p('e')]);
  const b = PathSet.fromPaths([p('b', 'c'), p('e'), p('f')]);

  it('union, difference, intersection', () => {
    expect(a.union(b).paths().map(pathString)).toEqual(['.a', '.b.c', '.b.d', '.e', '.f']);
    expect(a.difference(b).paths().map(pathString)).toEqual(['.a', '.b.d']);
    expect(a.intersection(b).paths().map(pathString)).toEqual(['.b.c', '.e']);
  });

  it('recursive difference takes whole subtrees', () => {
    expect(a.recursiveDifference(PathSet.fromPaths([p('b')])).paths().map(pathString)).toEqual(['.a', '.e']);
    expect(a.difference(PathSet.fromPaths([p('b')])).paths().map(pathString)).toEqual(['.a', '.b.c', '.b.d', '.e']);
  });
});

describe('typed values', () => {
  it('lists are atomic, sets or maps as the schema says', () => {
    const pod = runPod();
    (pod.spec as Record<string, unknown>).tolerations = [{ key: 'a', operator: 'Exists' }];
    (pod.metadata as Record<string, unknown>).finalizers = ['x', 'y'];
    const set = typed.fieldSet(pod, POD);
    expect(set.has([fieldElement('spec'), fieldElement('tolerations')])).toBe(true);
    expect(set.has([fieldElement('metadata'), fieldElement('finalizers'), valueElement('y')])).toBe(true);
    expect(set.has([fieldElement('spec'), fieldElement('containers'), keyElement({ name: 'nginx' })])).toBe(true);
  });

  it('an atomic struct (LabelSelector) is one leaf', () => {
    const c = typed.compare(undefined, { selector: { matchLabels: { a: 'b' } } }, ref('io.k8s.api.batch.v1.JobSpec'));
    expect(c.added.paths().map(pathString)).toEqual(['.selector']);
  });

  it('merges list maps by key: applied order first, live-only items keep their place', () => {
    const live = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }, { name: 'c', image: 'x' }] };
    const merged = typed.merge(live, { containers: [{ name: 'c', image: 'y' }, { name: 'a', image: 'y' }, { name: 'd', image: 'y' }] }, ref(CORE + 'PodSpec')) as typeof live;
    expect(merged.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['b=x', 'c=y', 'a=y', 'd=y']);
  });

  it('merges env by name and ports by containerPort+protocol (protocol defaulting to TCP)', () => {
    const live = { name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] };
    const merged = typed.merge(live, { name: 'app', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 80, hostPort: 8080 }] }, ref(CORE + 'Container'));
    expect(merged).toEqual({ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }], ports: [{ containerPort: 80, protocol: 'TCP', name: 'http', hostPort: 8080 }] });
  });

  it('refuses a list-map item without its key', () => {
    expect(() => typed.fieldSet({ containers: [{ image: 'x' }] }, ref(CORE + 'PodSpec'))).toThrow('associative list with keys has an element that omits key field "name"');
  });

  it('removes items and fields that are members', () => {
    const v = { containers: [{ name: 'a', image: 'x', args: ['1'] }, { name: 'b' }], restartPolicy: 'Never' };
    const rm = PathSet.fromPaths([
      [fieldElement('containers'), keyElement({ name: 'b' })],
      [fieldElement('containers'), keyElement({ name: 'a' }), fieldElement('args')],
      [fieldElement('restartPolicy')],
    ]);
    expect(typed.removeItems(v, rm, ref(CORE + 'PodSpec'))).toEqual({ containers: [{ name: 'a', image: 'x' }] });
  });
});
