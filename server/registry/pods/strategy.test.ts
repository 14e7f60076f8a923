import { describe, expect, it } from 'vitest';
import { create, update, updateStatus } from '../testing/strategy-sequence.js';
import { podDeletionGracePeriod, pods } from './index.js';
import type { PodObject } from './types.js';

function newPod(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  return { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec } };
}

describe('pod create', () => {
  it('defaults a bare pod: restartPolicy Always, grace 30, dns, scheduler, security context, service links', () => {
    const { obj, errors } = create(pods, newPod());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    });
    expect(obj.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  });

  it('keeps the values a client set', () => {
    const { obj } = create(pods, newPod({ restartPolicy: 'OnFailure', terminationGracePeriodSeconds: 0, enableServiceLinks: false }, { imagePullPolicy: 'Never' }));
    expect(obj.spec).toMatchObject({ restartPolicy: 'OnFailure', terminationGracePeriodSeconds: 0, enableServiceLinks: false });
    expect(obj.spec.containers[0].imagePullPolicy).toBe('Never');
  });

  it('resets the status to Pending with the QoS class, and sets generation 1', () => {
    const input = { ...newPod(), status: { phase: 'Running', podIP: '10.0.0.1' } };
    const { obj } = create(pods, input);
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(obj.metadata.generation).toBe(1);
  });

  it.each<[Record<string, unknown>, string]>([
    [{}, 'BestEffort'],
    [{ resources: { requests: { cpu: '100m' } } }, 'Burstable'],
    [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }, 'Guaranteed'],
    [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }, 'Burstable'],
    [{ resources: { limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '1', memory: '1024Mi' } } }, 'Guaranteed'],
  ])('computes qosClass for resources %j as %s', (container, qos) => {
    expect(create(pods, newPod({}, container)).obj.status?.qosClass).toBe(qos);
  });

  it('marks a gated pod SchedulingGated', () => {
    const { obj } = create(pods, newPod({ schedulingGates: [{ name: 'example.com/wait' }] }));
    expect(obj.status?.conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: '2026-01-01T00:00:00Z',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ]);
  });

  it('warns about a name that is not a DNS label', () => {
    const { warnings, errors } = create(pods, { ...newPod(), metadata: { name: 'web.1' } });
    expect(errors).toEqual([]);
    expect(warnings[0]).toMatch(/^metadata\.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: \[a lowercase RFC 1123 label/);
  });
});

describe('pod update', () => {
  it('keeps the stored status and generation when only labels change', () => {
    const old = create(pods, newPod()).obj;
    old.status = { phase: 'Running' };
    const next = structuredClone(old);
    next.metadata.labels = { a: 'b' };
    next.status = { phase: 'Failed' };
    const out = update(pods, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual({ phase: 'Running' });
    expect(out.obj.metadata.generation).toBe(1);
  });
});

describe('pod /status', () => {
  const running = (restartPolicy = 'Never'): PodObject => {
    const p = create(pods, newPod({ restartPolicy })).obj;
    p.spec.nodeName = 'node-1';
    p.status = {
      phase: 'Running',
      qosClass: 'BestEffort',
      containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:01Z' } } }],
    };
    return p;
  };
  const terminated = (exitCode: number) => ({ name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode } } });

  it('takes only the status, keeps spec and metadata, and backfills qosClass', () => {
    const old = running();
    const next = structuredClone(old);
    next.spec.nodeName = 'elsewhere';
    next.metadata.labels = { x: 'y' };
    next.status = { phase: 'Succeeded', containerStatuses: [terminated(0)] };
    const out = updateStatus(pods, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.spec).toEqual(old.spec);
    expect(out.obj.metadata.labels).toBeUndefined();
    expect(out.obj.status).toEqual({ phase: 'Succeeded', qosClass: 'BestEffort', containerStatuses: [terminated(0)] });
  });

  it('refuses to bring a terminated container back under restartPolicy Never', () => {
    const old = running();
    old.status!.containerStatuses = [terminated(1)];
    const next = structuredClone(old);
    next.status!.containerStatuses = running().status!.containerStatuses;
    expect(updateStatus(pods, next, old).messages).toEqual(['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state']);
  });

  it('lets OnFailure restart a failed container but not a succeeded one', () => {
    const failed = running('OnFailure');
    failed.status!.containerStatuses = [terminated(1)];
    const restarted = structuredClone(failed);
    restarted.status!.containerStatuses = running().status!.containerStatuses;
    expect(updateStatus(pods, restarted, failed).errors).toEqual([]);
    const succeeded = running('OnFailure');
    succeeded.status!.containerStatuses = [terminated(0)];
    expect(updateStatus(pods, restarted, succeeded).errors).toHaveLength(1);
  });

  it('lets Always restart anything', () => {
    const old = running('Always');
    old.status!.containerStatuses = [terminated(0)];
    const next = structuredClone(old);
    next.status!.containerStatuses = running().status!.containerStatuses;
    expect(updateStatus(pods, next, old).errors).toEqual([]);
  });
});

describe('podDeletionGracePeriod', () => {
  const pod = (nodeName: string | undefined, phase: string, grace?: number): PodObject =>
    ({ metadata: { name: 'p' }, spec: { containers: [], nodeName, terminationGracePeriodSeconds: grace }, status: { phase } }) as PodObject;

  it.each<[string, PodObject, number | undefined, number]>([
    ['an unscheduled pod goes at once', pod(undefined, 'Pending', 30), 10, 0],
    ['a succeeded pod goes at once', pod('n', 'Succeeded', 30), undefined, 0],
    ['a failed pod goes at once', pod('n', 'Failed', 30), 10, 0],
    ['a running pod takes its own grace', pod('n', 'Running', 45), undefined, 45],
    ['a running pod takes the requested grace', pod('n', 'Running', 45), 5, 5],
    ['requested 0 deletes at once', pod('n', 'Running', 45), 0, 0],
    ['without a grace period of its own, 30', pod('n', 'Running'), undefined, 30],
    ['a negative grace counts as 1', pod('n', 'Running', -3), undefined, 1],
  ])('%s', (_name, p, requested, expected) => {
    expect(podDeletionGracePeriod(p, requested)).toBe(expected);
    expect(pods.strategy.deletionGracePeriodSeconds!(p, requested)).toBe(expected);
  });
});

describe('pod selectable fields', () => {
  it('has every upstream field, even on an empty object', () => {
    expect(Object.keys(pods.selectableFields!({ metadata: {} })).sort()).toEqual([
      'spec.hostNetwork',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.nominatedNodeName',
      'status.phase',
      'status.podIP',
    ]);
  });

  it('reads the values from the pod', () => {
    const p = create(pods, newPod({ nodeName: 'n1', hostNetwork: true })).obj;
    p.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.7' }], podIP: '10.0.0.7' };
    expect(pods.selectableFields!(p)).toMatchObject({
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.hostNetwork': 'true',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.7',
    });
  });
});
