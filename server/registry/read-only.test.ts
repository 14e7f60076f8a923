import { describe, expect, it } from 'vitest';
import { daemonSets } from './daemonsets/index.js';
import { deployments } from './deployments/index.js';
import { ingresses } from './ingresses/index.js';
import { persistentVolumes } from './persistentvolumes/index.js';
import { formatLabels } from './read-only.js';
import { replicaSets } from './replicasets/index.js';
import { replicationControllers } from './replicationcontrollers/index.js';
import { statefulSets } from './statefulsets/index.js';
import { TEST_NOW } from './testing/strategy-sequence.js';

const meta = { name: 'web', namespace: 'default', creationTimestamp: '2025-12-31T23:55:00Z' };
const template = { spec: { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'busybox' }], nodeSelector: { zone: 'x', disk: 'ssd' } } };
const selector = { matchLabels: { app: 'web' } };
const headers = (def: { table?: { columns: { name: string }[] } }) => def.table!.columns.map((c) => c.name);

// The rows kubectl prints (pkg/printers/internalversion), should such an object ever be served.
describe('read-only kinds: kubectl columns', () => {
  it('deployments: NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR', () => {
    expect(headers(deployments)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    const obj = { metadata: meta, spec: { replicas: 3, selector, template }, status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 } };
    expect(deployments.table!.cells(obj, TEST_NOW)).toEqual(['web', '1/3', 2, 1, '5m', 'a,b', 'nginx:1.27,busybox', 'app=web']);
  });

  it('replicasets and replicationcontrollers: NAME DESIRED CURRENT READY AGE (+ wide)', () => {
    const obj = { metadata: meta, spec: { replicas: 2, selector, template }, status: { replicas: 2, readyReplicas: 0 } };
    expect(replicaSets.table!.cells(obj, TEST_NOW)).toEqual(['web', 2, 2, 0, '5m', 'a,b', 'nginx:1.27,busybox', 'app=web']);
    const rc = { metadata: meta, spec: { replicas: 2, selector: { tier: 'a', app: 'web' }, template }, status: { replicas: 1 } };
    expect(replicationControllers.table!.cells(rc, TEST_NOW)).toEqual(['web', 2, 1, 0, '5m', 'a,b', 'nginx:1.27,busybox', 'app=web,tier=a']);
  });

  it('statefulsets and daemonsets', () => {
    expect(statefulSets.table!.cells({ metadata: meta, spec: { template } }, TEST_NOW)).toEqual(['web', '0/1', '5m', 'a,b', 'nginx:1.27,busybox']);
    const ds = { metadata: meta, spec: { selector, template }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } };
    expect(daemonSets.table!.cells(ds, TEST_NOW)).toEqual(['web', 3, 2, 1, 2, 1, 'disk=ssd,zone=x', '5m', 'a,b', 'nginx:1.27,busybox', 'app=web']);
  });

  it('ingresses: class, at most three hosts, the load balancer, 80 or 80, 443', () => {
    // A rule without a host is skipped; the count after "+" is of rules beyond three, as upstream's formatHosts.
    const rules = ['a.example', 'b.example', '', 'd.example', 'e.example'].map((host) => ({ host }));
    const lb = [{ hostname: 'lb.example.com' }, { ip: '10.0.0.1' }, { ip: '10.0.0.1' }];
    const ing = { metadata: meta, spec: { ingressClassName: 'nginx', rules, tls: [{}] }, status: { loadBalancer: { ingress: lb } } };
    expect(ingresses.table!.cells(ing, TEST_NOW)).toEqual(['web', 'nginx', 'a.example,b.example,d.example + 2 more...', '10.0.0.1,lb.e...', '80, 443', '5m']);
    expect(ingresses.table!.cells({ metadata: meta }, TEST_NOW)).toEqual(['web', '<none>', '*', '', '80', '5m']);
  });

  it('persistentvolumes: capacity, modes, policy, phase, claim, classes, reason', () => {
    const pv = {
      metadata: { name: 'pv1', creationTimestamp: meta.creationTimestamp },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'ns', name: 'data' }, storageClassName: 'local' },
      status: { phase: 'Bound' },
    };
    expect(persistentVolumes.table!.cells(pv, TEST_NOW)).toEqual(['pv1', '1Gi', 'RWO,RWX', 'Retain', 'Bound', 'ns/data', 'local', '<unset>', '', '5m', '<unset>']);
  });

  it('formatLabels sorts by key and says <none> for none', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels(undefined)).toBe('<none>');
  });
});
