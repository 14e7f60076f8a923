// The links of upstream's field-manager chain (k8s.io/apimachinery/pkg/util/managedfields/internal)
// beyond the structured merge: lastappliedmanager_test.go, lastappliedupdater_test.go,
// capmanagers_test.go, skipnonapplied_test.go and versioncheck, their cases ported as tables.
// Like upstream's TestFieldManager, the field manager alone (trackUpdate, applyConfiguration)
// with the real schemas: no strategy or validation, so Jobs stand in for upstream's
// Deployments (parallelism for replicas) and Pods keep their own fields.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, ManagedFieldsEntry } from '../../../api/index.js';
import { PathSet, capUpdateManagers, decodeManagedFields, encodeManagedFields } from '../../../machinery/fieldpath/index.js';
import { StatusError } from '../../../machinery/index.js';
import { applyConfiguration, trackUpdate } from '../field-manager.js';
import { configMaps, jobs, pods } from '../index.js';
import type { ResourceDefinition } from '../resource.js';
import { LAST_APPLIED_ANNOTATION, goJson } from './last-applied.js';

/** upstream's TestFieldManager: one live object, updates and applies by named managers. */
class TestFieldManager {
  live: KubeObject | undefined;
  private seconds = 0;
  private readonly def: ResourceDefinition;

  constructor(def: ResourceDefinition) {
    this.def = def;
  }

  private now(): string {
    return new Date(Date.UTC(2026, 4, 1, 10, 0, this.seconds++)).toISOString().replace('.000Z', 'Z');
  }

  update(obj: unknown, manager: string): void {
    const next = structuredClone(obj) as KubeObject;
    next.metadata ??= {};
    if (this.live) next.metadata.uid = this.live.metadata.uid;
    trackUpdate(this.def, this.live, next, { fieldManager: manager }, this.now());
    this.live = next;
  }

  apply(config: unknown, manager: string, force = false): void {
    const name = (config as { metadata?: { name?: string } }).metadata?.name ?? '';
    const out = applyConfiguration(this.def, this.live, structuredClone(config), { fieldManager: manager, force }, { namespace: '', name }, this.now());
    out.metadata.uid ??= 'uid-1';
    this.live = out;
  }

  get managedFields(): ManagedFieldsEntry[] {
    return this.live?.metadata.managedFields ?? [];
  }
}

const yaml = (text: string) => parse(text) as Record<string, unknown>;

function conflictFields(fn: () => void): { fields: string[]; messages: string[] } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof StatusError) || err.status.code !== 409) throw err;
    const causes = err.status.details?.causes ?? [];
    return { fields: causes.map((c) => c.field ?? '').sort(), messages: causes.map((c) => c.message ?? '') };
  }
}

/** apiequality.Semantic.DeepDerivative: every value `expected` sets is in `actual`; empty maps and lists match anything. */
function isDerivative(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    if (expected.length === 0) return true;
    return Array.isArray(actual) && expected.length <= actual.length && expected.every((e, i) => isDerivative(e, actual[i]));
  }
  if (typeof expected === 'object' && expected !== null) {
    const keys = Object.keys(expected);
    if (keys.length === 0) return true;
    if (typeof actual !== 'object' || actual === null) return false;
    return keys.every((k) => isDerivative((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]));
  }
  return expected === actual;
}

interface ConflictCase {
  name: string;
  fieldManager: string;
  /** The annotation's configuration; undefined: the original object itself. */
  lastApplied?: string;
  original: string;
  applied: string;
  /** Conflicting fields, with "test_client_side_apply" (the Update that made the original). */
  expectConflicts?: string[];
}

/** upstream's testConflicts. */
function runConflictCase(def: ResourceDefinition, tc: ConflictCase): void {
  const f = new TestFieldManager(def);
  const original = yaml(tc.original);
  const lastApplied = tc.lastApplied === undefined ? original : tc.lastApplied === '' ? '' : yaml(tc.lastApplied);
  const meta = (original.metadata ??= {}) as { annotations?: Record<string, string> };
  meta.annotations = { ...meta.annotations, [LAST_APPLIED_ANNOTATION]: typeof lastApplied === 'string' ? lastApplied : goJson(lastApplied) };
  f.update(original, 'test_client_side_apply');
  const applied = yaml(tc.applied);
  const conflicts = conflictFields(() => f.apply(applied, tc.fieldManager));
  if (tc.expectConflicts === undefined) {
    expect(conflicts).toBeUndefined();
  } else {
    expect(conflicts?.fields).toEqual([...tc.expectConflicts].sort());
    for (const m of conflicts!.messages) expect(m).toBe(`conflict with "test_client_side_apply" using ${(applied as { apiVersion: string }).apiVersion}`);
    // Yet force resolves every conflict.
    f.apply(applied, tc.fieldManager, true);
  }
  // Eventually the object holds what was applied.
  expect(isDerivative(applied, f.live)).toBe(true);
}

const myC = (field: string) => `.spec.template.spec.containers[name="my-c"].${field}`;

// lastappliedmanager_test.go, TestApplyUsingLastAppliedAnnotation (a Deployment there, a Job here).
const jobCases: ConflictCase[] = [
  {
    name: 'conflicts on fields the annotation does not hold with their live value stay',
    fieldManager: 'kubectl',
    lastApplied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec:
      containers:
      - {name: my-c, image: my-image-v1}
      - {name: my-c2, image: my-image2}
`,
    original: `
apiVersion: batch/v1
kind: Job
metadata:
  name: my-job
  labels: {app: my-app}  # missing from last-applied
spec:
  parallelism: 100  # does not match last-applied
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec:
      containers:
      - {name: my-c, image: my-image-v2}  # does not match last-applied
      # the second container of last-applied is missing
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata:
  name: my-job
  labels: {app: my-new-label}  # NOT allowed: update label
spec:
  parallelism: 333  # NOT allowed: update parallelism
  selector: {matchLabels: {app: my-new-label}}  # allowed: update label
  template:
    metadata: {labels: {app: my-new-label}}  # allowed: update label
    spec:
      containers:
      - {name: my-c, image: my-image-new}  # NOT allowed: update image
`,
    expectConflicts: ['.metadata.labels.app', '.spec.parallelism', myC('image')],
  },
  {
    name: 'a value changed since the last client-side apply conflicts even when applied back',
    fieldManager: 'kubectl',
    lastApplied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 100  # does not match last applied
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-new-label}}
spec:
  parallelism: 3  # expect conflict
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    expectConflicts: ['.spec.parallelism'],
  },
  {
    name: 'the applied object matches the original',
    fieldManager: 'kubectl',
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 100
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 100
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
  },
  {
    name: 'every field the annotation holds may change without conflict',
    fieldManager: 'kubectl',
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-new-label}}
spec:
  parallelism: 333
  selector: {matchLabels: {app: my-new-label}}
  template:
    metadata: {labels: {app: my-new-label}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
  },
  {
    name: 'another manager than kubectl gets every conflict',
    fieldManager: 'not_kubectl',
    lastApplied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image-v1}]}
`,
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 100
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image-v2}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-new-label}}
spec:
  parallelism: 333
  selector: {matchLabels: {app: my-new-label}}
  template:
    metadata: {labels: {app: my-new-label}}
    spec: {containers: [{name: my-c, image: my-image-new}]}
`,
    // The selector is atomic: one field.
    expectConflicts: ['.metadata.labels.app', '.spec.parallelism', '.spec.selector', '.spec.template.metadata.labels.app', myC('image')],
  },
  {
    name: 'kubectl changes a label and an image the annotation holds',
    fieldManager: 'kubectl',
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-new-label}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-new-image}]}
`,
  },
  {
    name: 'another manager than kubectl conflicts even with the annotation equal to the object',
    fieldManager: 'not_kubectl',
    original: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-app}}
spec:
  parallelism: 100
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`,
    applied: `
apiVersion: batch/v1
kind: Job
metadata: {name: my-job, labels: {app: my-new-label}}
spec:
  parallelism: 3
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-new-image}]}
`,
    expectConflicts: ['.metadata.labels.app', '.spec.parallelism', myC('image')],
  },
  {
    name: 'a lone field',
    fieldManager: 'kubectl',
    original: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 3}\n',
    applied: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 100}\n',
  },
  {
    name: 'an annotation of another apiVersion allows nothing',
    fieldManager: 'kubectl',
    lastApplied: 'apiVersion: batch/v1beta1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 3}\n',
    original: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 3}\n',
    applied: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 100}\n',
    expectConflicts: ['.spec.parallelism'],
  },
  {
    name: 'an annotation that is no object of the kind allows nothing',
    fieldManager: 'kubectl',
    lastApplied: 'apiVersion: foo\nkind: bar\nspec: expect conflict due to invalid object\n',
    original: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 3}\n',
    applied: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 100}\n',
    expectConflicts: ['.spec.parallelism'],
  },
  {
    name: 'an empty annotation allows nothing',
    fieldManager: 'kubectl',
    lastApplied: '',
    original: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 3}\n',
    applied: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec: {parallelism: 100}\n',
    expectConflicts: ['.spec.parallelism'],
  },
];

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: test, namespace: test}\nspec:\n${spec}`;
const doJob = '  containers:\n  - {name: doJob, image: some.registry/app:latest, command: [controller], args: [-v=2]}\n';

// TestPodApply as upstream; TestServiceApply's list map (ports by port and protocol) and atomic
// selector as a container's ports and the Pod's nodeSelector (atomic upstream too).
const podCases: ConflictCase[] = [
  {
    name: 'the same manager may change what it applied client-side',
    fieldManager: 'kubectl',
    original: pod(`${doJob}  nodeName: definetlyControlPlane\n  nodeSelector: {node-role.kubernetes.io/master: ""}\n`),
    applied: pod(`${doJob}  nodeSelector: {node-role.kubernetes.io/worker: ""}\n`),
  },
  {
    name: 'another manager conflicts on the atomic nodeSelector',
    fieldManager: 'not_kubectl',
    original: pod(`${doJob}  nodeName: definetlyControlPlane\n  nodeSelector: {node-role.kubernetes.io/master: ""}\n`),
    applied: pod(`${doJob}  nodeName: definetlyControlPlane\n  nodeSelector: {node-role.kubernetes.io/master: "", otherNodeType: ""}\n`),
    expectConflicts: ['.spec.nodeSelector'],
  },
  {
    name: 'another manager may not purge the nodeSelector',
    fieldManager: 'not_kubectl',
    original: pod(`${doJob}  nodeName: definetlyControlPlane\n  nodeSelector: {node-role.kubernetes.io/master: ""}\n`),
    applied: pod(`${doJob}  nodeName: another\n  nodeSelector: {}\n`),
    expectConflicts: ['.spec.nodeName', '.spec.nodeSelector'],
  },
  {
    name: 'kubectl may purge the nodeSelector',
    fieldManager: 'kubectl',
    original: pod(`${doJob}  nodeName: definetlyControlPlane\n  nodeSelector: {node-role.kubernetes.io/master: ""}\n`),
    applied: pod(`${doJob}  nodeName: another\n  nodeSelector: {}\n`),
  },
  {
    name: 'kubectl changes a port of a list map keyed by port and protocol and the selector',
    fieldManager: 'kubectl',
    original: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8443}]}\n  nodeSelector: {old: test}\n'),
    applied: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8444}]}\n  nodeSelector: {new: test}\n'),
  },
  {
    name: 'kubectl removes the selector',
    fieldManager: 'kubectl',
    original: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8443}]}\n  nodeSelector: {old: test}\n'),
    applied: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8444}]}\n  nodeSelector: {}\n'),
  },
  {
    name: 'another manager conflicts on the port and the selector',
    fieldManager: 'not_kubectl',
    original: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8443}]}\n  nodeSelector: {old: test}\n'),
    applied: pod('  containers:\n  - {name: c, image: i, ports: [{name: https, containerPort: 443, protocol: TCP, hostPort: 8444}]}\n  nodeSelector: {new: test}\n'),
    expectConflicts: ['.spec.containers[name="c"].ports[containerPort=443,protocol="TCP"].hostPort', '.spec.nodeSelector'],
  },
];

describe('lastAppliedManager: kubectl takes over what its client-side apply set', () => {
  it.each(jobCases)('Job: $name', (tc) => runConflictCase(jobs, tc));
  it.each(podCases)('Pod: $name', (tc) => runConflictCase(pods, tc));
});

describe('lastAppliedUpdater: an apply by kubectl rewrites the annotation', () => {
  const annotationOf = (f: TestFieldManager) => f.live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];

  it('only for kubectl, to the applied configuration without the annotation (TestLastAppliedUpdater)', () => {
    const f = new TestFieldManager(jobs);
    const applied = yaml(`
apiVersion: batch/v1
kind: Job
metadata:
  name: my-job
  annotations: {kubectl.kubernetes.io/last-applied-configuration: nonempty}
  labels: {app: my-app}
spec:
  parallelism: 20
  selector: {matchLabels: {app: my-app}}
  template:
    metadata: {labels: {app: my-app}}
    spec: {containers: [{name: my-c, image: my-image}]}
`);
    f.apply(applied, 'NOT-KUBECTL');
    expect(annotationOf(f)).toBe('nonempty');
    f.apply(applied, 'kubectl');
    const { annotations: _, ...metadata } = applied.metadata as Record<string, unknown>;
    // encoding/json's form, as kubectl writes it: keys sorted, a newline at the end.
    expect(annotationOf(f)).toBe(`${goJson({ ...applied, metadata: { ...metadata, annotations: {} } })}\n`);
    expect(annotationOf(f)).toContain('"image":"my-image"');
    expect(annotationOf(f)?.startsWith('{"apiVersion":"batch/v1","kind":"Job","metadata":{"annotations":{},"labels":{"app":"my-app"},"name":"my-job"}')).toBe(true);
  });

  it('not on an object without the annotation', () => {
    const f = new TestFieldManager(configMaps);
    f.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } }, 'kubectl');
    expect(f.live?.metadata.annotations).toBeUndefined();
  });

  const cm = (data: Record<string, string>, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'large-update-test-cm', namespace: 'default', annotations: { [LAST_APPLIED_ANNOTATION]: 'nonempty', ...annotations } },
    data: { k: 'v', ...data },
  });
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`this-key-is-very-long-so-as-to-create-a-very-large-serialized-fieldset-${i}`, 'A']));

  // TestLargeLastApplied.
  it.each([
    { name: 'the new object makes the annotation too big', next: cm(many(9999)) },
    { name: 'the new object and its annotations make it too big', next: cm(many(2000), many(2000)) },
  ])('is dropped when it would pass the 256 KiB of annotations: $name', ({ next }) => {
    const f = new TestFieldManager(configMaps);
    f.apply(cm({}), 'kubectl');
    expect(annotationOf(f)).toBeTruthy();
    expect(annotationOf(f)).not.toBe('nonempty');
    f.apply(next, 'kubectl');
    expect(f.live?.metadata.annotations).toBeDefined();
    expect(annotationOf(f)).toBeUndefined();
  });

  it('escapes as encoding/json does', () => {
    expect(goJson({ b: '<a & b>', a: [1, 'x\u2028'], c: null })).toBe('{"a":[1,"x\\u2028"],"b":"\\u003ca \\u0026 b\\u003e","c":null}');
  });
});

describe('capManagersManager: at most 10 Update entries, the oldest merged into ancient-changes', () => {
  const podWithLabels = (...labels: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: Object.fromEntries(labels.map((l) => [l, 'true'])) } });

  // TestCapManagersManagerMergesEntries, at upstream's default of 10.
  it('merges the oldest entries as updates add managers, and a no-op update changes nothing', () => {
    const f = new TestFieldManager(pods);
    const labels: string[] = [];
    let secondTime: string | undefined;
    for (let i = 1; i <= 11; i++) {
      labels.push(`l${i}`);
      f.update(podWithLabels(...labels), `fieldmanager_test_update_${i}`);
      if (i === 2) secondTime = f.managedFields.find((e) => e.manager === 'fieldmanager_test_update_2')?.time;
      const before = structuredClone(f.managedFields);
      f.update(f.live, 'no-op-update');
      expect(f.managedFields).toEqual(before);
    }
    const names = f.managedFields.map((e) => e.manager);
    expect(names).toEqual(['ancient-changes', ...Array.from({ length: 9 }, (_, i) => `fieldmanager_test_update_${i + 3}`)]);
    const fields = (m: string) => PathSet.fromFieldsV1(f.managedFields.find((e) => e.manager === m)!.fieldsV1);
    expect(fields('ancient-changes').has(['f:metadata', 'f:labels', 'f:l1'])).toBe(true);
    expect(fields('ancient-changes').has(['f:metadata', 'f:labels', 'f:l2'])).toBe(true);
    expect(fields('fieldmanager_test_update_3').has(['f:metadata', 'f:labels', 'f:l3'])).toBe(true);
    expect(fields('fieldmanager_test_update_11').has(['f:metadata', 'f:labels', 'f:l11'])).toBe(true);
    // The bucket takes the time of the newest entry merged into it.
    expect(secondTime).toBeDefined();
    expect(f.managedFields[0].time).toBe(secondTime);
  });

  const set = (...fields: string[]) => Object.fromEntries(fields.map((x) => [`f:${x}`, {}]));
  const entry = (manager: string, apiVersion: string, order: number, fieldsV1: Record<string, object>): ManagedFieldsEntry => ({
    manager,
    operation: 'Update',
    apiVersion,
    time: `0001-01-01T${String(order).padStart(2, '0')}:00:00Z`,
    fieldsType: 'FieldsV1',
    fieldsV1,
  });

  // TestCapUpdateManagers, with upstream's cap of 3.
  it.each([
    {
      name: 'one version, no ancient changes',
      input: [entry('update-manager1', 'v1', 1, set('a')), entry('update-manager2', 'v1', 2, set('b')), entry('update-manager3', 'v1', 3, set('c')), entry('update-manager4', 'v1', 4, set('d'))],
      expected: [entry('ancient-changes', 'v1', 2, set('a', 'b')), entry('update-manager3', 'v1', 3, set('c')), entry('update-manager4', 'v1', 4, set('d'))],
    },
    {
      name: 'one version, one ancient changes',
      input: [entry('ancient-changes', 'v1', 2, set('a', 'b')), entry('update-manager3', 'v1', 3, set('c')), entry('update-manager4', 'v1', 4, set('d')), entry('update-manager5', 'v1', 5, set('e'))],
      expected: [entry('ancient-changes', 'v1', 3, set('a', 'b', 'c')), entry('update-manager4', 'v1', 4, set('d')), entry('update-manager5', 'v1', 5, set('e'))],
    },
    {
      name: 'two versions, no ancient changes',
      input: [
        entry('update-manager1', 'v1', 1, set('a')),
        entry('update-manager2', 'v2', 2, set('b')),
        entry('update-manager3', 'v1', 3, set('c')),
        entry('update-manager4', 'v1', 4, set('d')),
        entry('update-manager5', 'v1', 5, set('e')),
      ],
      expected: [entry('update-manager2', 'v2', 2, set('b')), entry('ancient-changes', 'v1', 4, set('a', 'c', 'd')), entry('update-manager5', 'v1', 5, set('e'))],
    },
    {
      name: 'three versions, one ancient changes',
      input: [
        entry('update-manager2', 'v2', 2, set('b')),
        entry('ancient-changes', 'v1', 4, set('a', 'c', 'd')),
        entry('update-manager5', 'v1', 5, set('e')),
        entry('update-manager6', 'v3', 6, set('f')),
        entry('update-manager7', 'v2', 7, set('g')),
      ],
      expected: [entry('ancient-changes', 'v1', 5, set('a', 'c', 'd', 'e')), entry('update-manager6', 'v3', 6, set('f')), entry('ancient-changes', 'v2', 7, set('b', 'g'))],
    },
    {
      name: 'three versions, two ancient changes',
      input: [
        entry('ancient-changes', 'v1', 5, set('a', 'c', 'd', 'e')),
        entry('update-manager6', 'v3', 6, set('f')),
        entry('ancient-changes', 'v2', 7, set('b', 'g')),
        entry('update-manager8', 'v3', 8, set('h')),
      ],
      expected: [entry('ancient-changes', 'v1', 5, set('a', 'c', 'd', 'e')), entry('ancient-changes', 'v2', 7, set('b', 'g')), entry('ancient-changes', 'v3', 8, set('f', 'h'))],
    },
    {
      name: 'four versions, two ancient changes',
      input: [
        entry('ancient-changes', 'v1', 5, set('a', 'c', 'd', 'e')),
        entry('update-manager6', 'v3', 6, set('f')),
        entry('ancient-changes', 'v2', 7, set('b', 'g')),
        entry('update-manager8', 'v4', 8, set('h')),
      ],
      expected: [
        entry('ancient-changes', 'v1', 5, set('a', 'c', 'd', 'e')),
        entry('update-manager6', 'v3', 6, set('f')),
        entry('ancient-changes', 'v2', 7, set('b', 'g')),
        entry('update-manager8', 'v4', 8, set('h')),
      ],
    },
  ])('$name', ({ input, expected }) => {
    const managers = decodeManagedFields(input);
    capUpdateManagers(managers, 3);
    expect(encodeManagedFields(managers)).toEqual(expected);
    // Idempotent: capping again changes nothing.
    capUpdateManagers(managers, 3);
    expect(encodeManagedFields(managers)).toEqual(expected);
  });

  it('runs on an update that sends managedFields, even one that changes nothing else', () => {
    const f = new TestFieldManager(configMaps);
    f.update({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }, 'creator');
    const sent = Array.from({ length: 12 }, (_, i) => entry(`m${i}`, 'v1', i + 1, set(`x${i}`)));
    f.update({ ...f.live, metadata: { ...f.live!.metadata, managedFields: sent } }, 'no-op-update');
    expect(f.managedFields.map((e) => e.manager)).toEqual(['ancient-changes', ...Array.from({ length: 9 }, (_, i) => `m${i + 3}`)]);
    expect(f.managedFields[0].fieldsV1).toEqual(set('x0', 'x1', 'x2'));
  });
});

describe('skipNonAppliedManager: before-first-apply', () => {
  const applied = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] } };

  it('an apply that creates has only its own entry (TestNoUpdateBeforeFirstApply)', () => {
    const f = new TestFieldManager(pods);
    f.apply(applied, 'fieldmanager_test_apply');
    expect(f.managedFields.map((e) => e.manager)).toEqual(['fieldmanager_test_apply']);
  });

  it('updates of an object without managedFields track nothing; the first apply conflicts with before-first-apply (TestUpdateBeforeFirstApply)', () => {
    const f = new TestFieldManager(pods);
    f.update({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: { app: 'my-nginx' } } }, 'creator');
    expect(f.managedFields).not.toEqual([]);
    // A client resets them; later updates add none.
    f.update({ ...f.live, metadata: { ...f.live!.metadata, managedFields: [] } }, 'resetter');
    expect(f.live?.metadata.managedFields).toBeUndefined();
    f.update({ ...f.live, metadata: { ...f.live!.metadata, annotations: { a: 'b' } } }, 'fieldmanager_test_update');
    expect(f.live?.metadata.managedFields).toBeUndefined();

    const conflicts = conflictFields(() => f.apply(applied, 'fieldmanager_test_apply'));
    expect(conflicts?.fields).toEqual(['.metadata.labels.app']);
    expect(conflicts?.messages[0]).toContain('before-first-apply');
    f.apply(applied, 'fieldmanager_test_apply', true);
    expect(f.managedFields.map((e) => `${e.manager}/${e.operation}`)).toEqual(['fieldmanager_test_apply/Apply', 'before-first-apply/Update']);
    // What was there before the first apply stays before-first-apply's (the labels map itself too).
    expect(f.managedFields[1].fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { '.': {}, 'f:a': {} }, 'f:labels': {} } });
  });
});
