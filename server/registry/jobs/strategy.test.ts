import { describe, expect, it } from 'vitest';
import { JobLabels, type JobConditionType } from '../../../api/index.js';
import { create, TEST_UID, update, updateStatus } from '../testing/strategy-sequence.js';
import { jobs } from './index.js';
import type { JobObject } from './types.js';

/** The base Job manifest of these tests (restartPolicy Never, one container). */
function newJob(name = 'b', spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 0'] }],
          ...podSpec,
        },
      },
      ...spec,
    },
  };
}

describe('Job create: defaults and generated fields', () => {
  const { obj: job, errors, warnings } = create(jobs, newJob());

  it('is valid and warns about nothing', () => {
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('defaults every JobSpec field as upstream’s SetDefaults_Job does', () => {
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(job.spec.activeDeadlineSeconds).toBeUndefined();
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it('generates the selector on the uid and the four template labels', () => {
    expect(job.spec.selector).toEqual({ matchLabels: { [JobLabels.controllerUid]: TEST_UID } });
    expect(job.spec.template.metadata?.labels).toEqual({
      'batch.kubernetes.io/controller-uid': TEST_UID,
      'controller-uid': TEST_UID,
      'batch.kubernetes.io/job-name': 'b',
      'job-name': 'b',
    });
  });

  it('gives the Job the template labels when it has none', () => {
    expect(job.metadata.labels).toEqual(job.spec.template.metadata?.labels);
  });

  it('keeps the Job its own labels when it has some', () => {
    const withLabels = newJob();
    (withLabels.metadata as Record<string, unknown>).labels = { app: 'x' };
    expect(create(jobs, withLabels).obj.metadata.labels).toEqual({ app: 'x' });
  });

  it('adds the generated labels to the Job when its labels came from the template', () => {
    const j = newJob();
    ((j.spec as { template: Record<string, unknown> }).template).metadata = { labels: { app: 'x' } };
    const out = create(jobs, j).obj;
    expect(out.metadata.labels).toMatchObject({ app: 'x', 'job-name': 'b', 'batch.kubernetes.io/controller-uid': TEST_UID });
    expect(out.spec.template.metadata?.labels).toEqual(out.metadata.labels);
  });

  it('sets generation 1 and clears the status', () => {
    const j = newJob();
    (j as Record<string, unknown>).status = { succeeded: 5, active: 2 };
    const out = create(jobs, j).obj;
    expect(out.metadata.generation).toBe(1);
    expect(out.status).toEqual({});
  });

  it('defaults the pod template as upstream’s core/v1 defaults do', () => {
    const spec = job.spec.template.spec;
    expect(spec).toMatchObject({
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    // enableServiceLinks is a Pod default, not a template one.
    expect(spec.enableServiceLinks).toBeUndefined();
  });

  it('defaults terminationGracePeriodSeconds to 30 when B drops its override', () => {
    expect(create(jobs, newJob('b', {}, { terminationGracePeriodSeconds: undefined })).obj.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['registry.local:5000/team/busybox', 'Always'],
    ['registry.local:5000/team/busybox:2', 'IfNotPresent'],
  ])('defaults imagePullPolicy of %s to %s', (image, policy) => {
    const out = create(jobs, newJob('b', {}, { containers: [{ name: 'c', image }] })).obj;
    expect(out.spec.template.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  it('defaults probes, ports and volumes inside the template', () => {
    const out = create(
      jobs,
      newJob('b', {}, {
        containers: [
          {
            name: 'c',
            image: 'busybox:1.36',
            ports: [{ containerPort: 8080 }],
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15 },
            volumeMounts: [
              { name: 'cfg', mountPath: '/cfg' },
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'host', mountPath: '/host' },
            ],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }, { name: 'host', hostPath: { path: '/data' } }],
      }),
    );
    expect(out.errors).toEqual([]);
    const c = out.obj.spec.template.spec.containers[0];
    expect(c.ports?.[0].protocol).toBe('TCP');
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.readinessProbe).toMatchObject({ initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 });
    expect(out.obj.spec.template.spec.volumes).toEqual([
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      { name: 'scratch', emptyDir: {} },
      { name: 'host', hostPath: { path: '/data', type: '' } },
    ]);
  });
});

describe('Job create: completions and parallelism', () => {
  it('leaves completions null when only parallelism is set (work queue)', () => {
    const out = create(jobs, newJob('wq', { parallelism: 3 }));
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.parallelism).toBe(3);
    expect(out.obj.spec.completions ?? null).toBeNull();
  });

  it('defaults parallelism to 1 when only completions is set', () => {
    const out = create(jobs, newJob('fixed', { completions: 3 }));
    expect(out.obj.spec).toMatchObject({ completions: 3, parallelism: 1 });
  });

  it('defaults backoffLimit to MaxInt32 with backoffLimitPerIndex', () => {
    const out = create(jobs, newJob('idx', { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 }));
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.backoffLimit).toBe(2147483647);
  });

  it('defaults podReplacementPolicy to Failed with a podFailurePolicy, and onPodConditions status to True', () => {
    const out = create(
      jobs,
      newJob('pfp', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
    );
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.podReplacementPolicy).toBe('Failed');
    expect(out.obj.spec.podFailurePolicy?.rules[0].onPodConditions?.[0].status).toBe('True');
  });
});

describe('Job create: warnings', () => {
  it('warns when the name is not a DNS label', () => {
    const out = create(jobs, newJob('my.job'));
    expect(out.errors).toEqual([]);
    expect(out.warnings).toEqual([
      // Upstream's RegexError really has two spaces before "or".
      "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]",
    ]);
  });

  it('warns about a negative termination grace period in the template', () => {
    expect(create(jobs, newJob('g', {}, { terminationGracePeriodSeconds: -5 })).warnings).toEqual([
      'spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
    ]);
  });
});

describe('Job update', () => {
  const stored = (): JobObject => {
    const j = create(jobs, newJob('run', { completions: 4, parallelism: 2 })).obj;
    j.metadata.resourceVersion = '7';
    j.status = { active: 2, startTime: '2026-01-01T00:00:01Z' };
    return j;
  };

  it('refuses a new template image: the template is immutable', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.template.spec.containers[0].image = 'busybox:1.37';
    const out = update(jobs, next, old);
    expect(out.errors.map((e) => [e.field, e.type, e.detail])).toEqual([['spec.template', 'FieldValueInvalid', 'field is immutable']]);
    expect(out.messages[0]).toMatch(/^spec\.template: Invalid value: \{.*\}: field is immutable$/);
  });

  it('accepts a parallelism change and bumps generation by one', () => {
    const old = stored();
    old.metadata.generation = 1;
    const next = structuredClone(old);
    next.spec.parallelism = 1;
    const out = update(jobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.metadata.generation).toBe(2);
  });

  it('keeps the stored status and does not bump generation for a label change', () => {
    const old = stored();
    old.metadata.generation = 3;
    const next = structuredClone(old);
    next.metadata.labels = { ...next.metadata.labels, team: 'a' };
    next.status = { succeeded: 99 };
    const out = update(jobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual(old.status);
    expect(out.obj.metadata.generation).toBe(3);
  });

  it.each([
    ['completions', (s: JobObject['spec']) => (s.completions = 5), 'spec.completions'],
    ['selector', (s: JobObject['spec']) => (s.selector = { matchLabels: { ...s.selector!.matchLabels, x: 'y' } }), 'spec.selector'],
    ['completionMode', (s: JobObject['spec']) => (s.completionMode = 'Indexed'), 'spec.completionMode'],
  ])('refuses a change of %s', (_name, mutate, field) => {
    const old = stored();
    const next = structuredClone(old);
    mutate(next.spec);
    const out = update(jobs, next, old);
    expect(out.errors.some((e) => e.field === field && e.detail === 'field is immutable')).toBe(true);
  });

  it('lets an Indexed Job change completions together with parallelism only', () => {
    const old = create(jobs, newJob('el', { completionMode: 'Indexed', completions: 3, parallelism: 3 })).obj;
    const ok = structuredClone(old);
    ok.spec.completions = 5;
    ok.spec.parallelism = 5;
    expect(update(jobs, ok, old).errors).toEqual([]);
    const bad = structuredClone(old);
    bad.spec.completions = 5;
    expect(update(jobs, bad, old).messages).toEqual(['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism']);
  });

  it('lets a suspended Job that never started change the template scheduling directives', () => {
    const old = create(jobs, newJob('sus', { suspend: true })).obj;
    const next = structuredClone(old);
    next.spec.template.spec.nodeSelector = { disk: 'ssd' };
    next.spec.template.metadata!.annotations = { a: 'b' };
    expect(update(jobs, next, old).errors).toEqual([]);
    const started = structuredClone(old);
    started.status = { startTime: '2026-01-01T00:00:00Z' };
    expect(update(jobs, next, started).errors.map((e) => e.field)).toEqual(['spec.template']);
  });
});

describe('Job /status', () => {
  const running = (): JobObject => {
    const j = create(jobs, newJob('st', { completions: 2, parallelism: 2 })).obj;
    j.status = { active: 2, ready: 0, startTime: '2026-01-01T00:00:01Z', terminating: 0, uncountedTerminatedPods: {} };
    return j;
  };
  const cond = (type: JobConditionType) => ({ type, status: 'True' as const, lastProbeTime: '2026-01-01T00:00:09Z', lastTransitionTime: '2026-01-01T00:00:09Z' });

  it('keeps the spec and metadata of the stored Job', () => {
    const old = running();
    const next = structuredClone(old);
    next.spec.parallelism = 9;
    next.metadata.labels = { hacked: 'yes' };
    next.status = { ...old.status, active: 1, succeeded: 1 };
    const out = updateStatus(jobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.spec).toEqual(old.spec);
    expect(out.obj.metadata.labels).toEqual(old.metadata.labels);
    expect(out.obj.status).toMatchObject({ active: 1, succeeded: 1 });
  });

  it('accepts the controller finishing a Job the upstream way', () => {
    const old = running();
    const interim = structuredClone(old);
    interim.status = { ...old.status, active: 0, succeeded: 2, conditions: [cond('SuccessCriteriaMet')] };
    expect(updateStatus(jobs, interim, old).errors).toEqual([]);
    const done = structuredClone(interim);
    done.status = { ...interim.status, conditions: [cond('SuccessCriteriaMet'), cond('Complete')], completionTime: '2026-01-01T00:00:09Z' };
    expect(updateStatus(jobs, done, interim).errors).toEqual([]);
  });

  it.each<[string, (s: NonNullable<JobObject['status']>) => void, string[]]>([
    ['negative counters', (s) => (s.terminating = -1), ['status.terminating: Invalid value: -1: must be greater than or equal to 0']],
    [
      'Complete without SuccessCriteriaMet and completionTime',
      (s) => ((s.active = 0), (s.conditions = [cond('Complete')])),
      [
        'status.completionTime: Required value: completionTime is required for Complete jobs',
        'status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
      ],
    ],
    [
      'Failed without FailureTarget',
      (s) => ((s.active = 0), (s.conditions = [cond('Failed')])),
      ['status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition'],
    ],
    [
      'a finished Job with active pods',
      (s) => (s.conditions = [cond('FailureTarget'), cond('Failed')]),
      ['status.active: Invalid value: 2: active>0 is invalid for finished job'],
    ],
    ['more ready than active', (s) => (s.ready = 3), ['status.ready: Invalid value: 3: cannot set more ready pods than active']],
  ])('rejects %s', (_name, mutate, messages) => {
    const old = running();
    const next = structuredClone(old);
    mutate(next.status!);
    expect(updateStatus(jobs, next, old).messages).toEqual(messages);
  });

  it('rejects lowering the failed counter and removing a terminal condition', () => {
    const old = running();
    old.status = { ...old.status, active: 0, failed: 3, conditions: [cond('FailureTarget'), cond('Failed')] };
    const next = structuredClone(old);
    next.status = { ...old.status, failed: 1, conditions: [cond('FailureTarget')] };
    expect(updateStatus(jobs, next, old).messages).toEqual([
      'status.conditions: Invalid value: cannot disable the terminal Failed=True condition',
      'status.failed: Invalid value: 1: cannot decrease the failed counter',
    ]);
  });

  it('lets startTime change only while the Job is suspended', () => {
    const old = running();
    const next = structuredClone(old);
    next.status!.startTime = '2026-01-01T00:05:00Z';
    expect(updateStatus(jobs, next, old).messages).toEqual(['status.startTime: Required value: startTime cannot be removed for unsuspended job']);
    const suspended = structuredClone(old);
    suspended.spec.suspend = true;
    const cleared = structuredClone(suspended);
    delete cleared.status!.startTime;
    expect(updateStatus(jobs, cleared, suspended).errors).toEqual([]);
  });

  it('lets a suspended Job with completions 0 become Complete without startTime (kubernetes#132614)', () => {
    const old = create(jobs, newJob('zero', { completions: 0, suspend: true })).obj;
    const complete = structuredClone(old);
    const t = '2026-01-01T00:00:00Z';
    complete.status = {
      completionTime: t,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: t, lastTransitionTime: t },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: t, lastTransitionTime: t },
      ],
    };
    expect(updateStatus(jobs, complete, old).errors).toEqual([]);
    // Not suspended: startTime is required.
    const unsuspended = structuredClone(old);
    unsuspended.spec.suspend = false;
    const finishedUnstarted = structuredClone(complete);
    finishedUnstarted.spec.suspend = false;
    expect(updateStatus(jobs, finishedUnstarted, unsuspended).messages).toEqual(['status.startTime: Required value: startTime is required for finished job']);
  });

  it('lets the status write that resumes a Job (Suspended True -> False) reset startTime (kubernetes#134769)', () => {
    const suspendedCond = { type: 'Suspended' as const, status: 'True' as const, reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: '2026-01-01T00:01:00Z', lastTransitionTime: '2026-01-01T00:01:00Z' };
    const old = running();
    old.status = { ...old.status, conditions: [suspendedCond] };
    const resumed = structuredClone(old);
    resumed.status!.startTime = '2026-01-01T00:05:00Z';
    resumed.status!.conditions = [{ ...suspendedCond, status: 'False', reason: 'JobResumed', message: 'Job resumed' }];
    expect(updateStatus(jobs, resumed, old).errors).toEqual([]);
    // Still suspended by its condition: the rule holds.
    const stillSuspended = structuredClone(old);
    stillSuspended.status!.startTime = '2026-01-01T00:05:00Z';
    expect(updateStatus(jobs, stillSuspended, old).messages).toEqual(['status.startTime: Required value: startTime cannot be removed for unsuspended job']);
  });
});

describe('Job definition', () => {
  it('orphans pods on a DELETE without propagationPolicy (batch/v1)', () => {
    expect(jobs.strategy.defaultGarbageCollectionPolicy).toBe('Orphan');
  });

  it('serves status.successful as a field selector', () => {
    expect(jobs.selectableFields!({ metadata: {} })).toEqual({ 'status.successful': '0' });
    expect(jobs.selectableFields!({ metadata: {}, status: { succeeded: 3 } })).toEqual({ 'status.successful': '3' });
  });
});
