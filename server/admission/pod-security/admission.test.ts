import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.js';
import { StatusError, fieldErrorString } from '../../../machinery/index.js';
import { HostPathPolicy } from '../host-path.js';
import type { AdmissionAttributes } from '../types.js';
import { PodSecurityAdmission, isSignificantPodUpdate } from './admission.js';
import { policyToEvaluate, uniformPolicy } from './policy.js';

function setup(labels: Record<string, Record<string, string>> = {}, pods: KubeObject[] = []) {
  const audit: string[] = [];
  const plugin = new PodSecurityAdmission({
    defaults: uniformPolicy('baseline'),
    exemptNamespaces: ['kube-system'],
    hostPaths: new HostPathPolicy(['/srv/data']),
    namespaceLabels: (ns) => labels[ns] ?? {},
    listPods: () => pods,
    audit: (line) => audit.push(line),
  });
  return { plugin, audit };
}

const pod = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec } }) as KubeObject;
const privilegedSpec = { containers: [{ name: 'main', image: 'busybox', securityContext: { privileged: true } }] };

function attrs(obj: KubeObject, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const core = obj.kind === 'Pod' || obj.kind === 'Namespace';
  return {
    operation: 'CREATE',
    group: core ? '' : 'batch',
    resource: obj.kind === 'Pod' ? 'pods' : obj.kind === 'Namespace' ? 'namespaces' : obj.kind === 'Job' ? 'jobs' : 'cronjobs',
    kind: obj.kind!,
    subresource: '',
    namespace: obj.kind === 'Namespace' ? '' : 'default',
    name: obj.metadata.name!,
    object: obj,
    dryRun: false,
    ...over,
  };
}

function refusal(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('policyToEvaluate', () => {
  const d = uniformPolicy('baseline');
  it('labels choose each mode; enforce raises warn unless warn is set', () => {
    const { policy, errors } = policyToEvaluate({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.30' }, d);
    expect(errors).toEqual([]);
    expect(policy.enforce).toEqual({ level: 'restricted', version: 'v1.30' });
    expect(policy.warn).toEqual({ level: 'restricted', version: 'v1.30' });
    expect(policy.audit).toEqual({ level: 'baseline', version: 'latest' });
  });
  it('bad values: field errors on metadata.labels, enforce restricted, audit and warn privileged', () => {
    const { policy, errors } = policyToEvaluate(
      { 'pod-security.kubernetes.io/enforce': 'bogus', 'pod-security.kubernetes.io/warn': 'x', 'pod-security.kubernetes.io/audit-version': '1.2' },
      d,
    );
    expect(policy.enforce.level).toBe('restricted');
    expect(policy.warn.level).toBe('privileged');
    expect(errors.map(fieldErrorString)).toEqual([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "1.2": must be "latest" or "v1.x"',
      'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "x": must be one of privileged, baseline, restricted',
    ]);
  });
});

describe('PodSecurityAdmission: pods', () => {
  it('enforce refuses with upstream message as a 403 pods Forbidden', () => {
    const { plugin, audit } = setup();
    const err = refusal(() => plugin.validate(attrs(pod('x', privilegedSpec))));
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe('pods "x" is forbidden: violates PodSecurity "baseline:latest": privileged (container "main" must not set securityContext.privileged=true)');
    expect(err.status.details).toEqual({ name: 'x', group: '', kind: 'pods' });
    expect(audit).toEqual(['PodSecurity audit: CREATE of pods "x" in namespace "default" would violate PodSecurity "baseline:latest": privileged']);
  });

  it('kube-system is exempt; a privileged namespace admits; a plain pod passes baseline', () => {
    const { plugin } = setup({ ops: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged' } });
    expect(plugin.validate(attrs(pod('x', privilegedSpec), { namespace: 'kube-system' }))).toEqual([]);
    expect(plugin.validate(attrs(pod('x', privilegedSpec), { namespace: 'ops' }))).toEqual([]);
    expect(plugin.validate(attrs(pod('x', {})))).toEqual([]);
  });

  it('warn-only namespaces answer warnings', () => {
    const { plugin } = setup({ w: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'restricted' } });
    const warnings = plugin.validate(attrs(pod('x', {}), { namespace: 'w' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "main" must set/);
  });

  it('a namespace whose labels are bad is evaluated as restricted', () => {
    const { plugin } = setup({ bad: { 'pod-security.kubernetes.io/enforce': 'bogus' } });
    expect(refusal(() => plugin.validate(attrs(pod('x', {}), { namespace: 'bad' }))).message).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it('status, binding and metadata-only updates are not evaluated; an image change is', () => {
    const { plugin } = setup();
    const old = pod('x', privilegedSpec);
    const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: 'b' }, finalizers: [] } } as KubeObject;
    expect(plugin.validate(attrs(relabelled, { operation: 'UPDATE', oldObject: old }))).toEqual([]);
    expect(plugin.validate(attrs(old, { operation: 'UPDATE', oldObject: old, subresource: 'status' }))).toEqual([]);
    const newImage = pod('x', { containers: [{ name: 'main', image: 'alpine', securityContext: { privileged: true } }] });
    expect(refusal(() => plugin.validate(attrs(newImage, { operation: 'UPDATE', oldObject: old }))).code).toBe(403);
  });

  it('hostPath: allowed directories pass at baseline, others are refused with the path and the list', () => {
    const { plugin } = setup({ p: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
    expect(plugin.validate(attrs(pod('x', { volumes: [{ name: 'd', hostPath: { path: '/srv/data/in' } }] })))).toEqual([]);
    const err = refusal(() => plugin.validate(attrs(pod('x', { volumes: [{ name: 'd', hostPath: { path: '/srv/database' } }] }), { namespace: 'p' })));
    expect(err.message).toBe('pods "x" is forbidden: hostPath volume "d" (path "/srv/database") is not under a directory allowed by --allow-host-path (allowed: "/srv/data")');
    const sock = refusal(() => plugin.validate(attrs(pod('x', { volumes: [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }] }), { namespace: 'p' })));
    expect(sock.message).toContain("is inside /var/run/docker.sock, the container engine's socket");
  });
});

describe('PodSecurityAdmission: Jobs and CronJobs warn, never refuse', () => {
  const job = (spec: Record<string, unknown>): KubeObject =>
    ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', ...spec } } } }) as KubeObject;
  it('a privileged template warns', () => {
    const { plugin } = setup();
    expect(plugin.validate(attrs(job(privilegedSpec)))).toEqual([
      'would violate PodSecurity "baseline:latest": privileged (container "main" must not set securityContext.privileged=true)',
    ]);
  });
  it('a CronJob template too, and a hostPath outside the list', () => {
    const { plugin } = setup();
    const cj = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'default' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main' }], volumes: [{ name: 'h', hostPath: { path: '/etc' } }] } } } } },
    } as unknown as KubeObject;
    expect(plugin.validate(attrs(cj))).toEqual([
      'would be refused for its pods: hostPath volume "h" (path "/etc") is not under a directory allowed by --allow-host-path (allowed: "/srv/data")',
      'would violate PodSecurity "baseline:latest": hostPath volumes (volume "h")',
    ]);
  });
  it('status writes and unchanged templates are not evaluated', () => {
    const { plugin } = setup();
    const j = job(privilegedSpec);
    expect(plugin.validate(attrs(j, { operation: 'UPDATE', oldObject: j }))).toEqual([]);
    expect(plugin.validate(attrs(j, { subresource: 'status' }))).toEqual([]);
  });
});

describe('PodSecurityAdmission: namespaces', () => {
  const ns = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }) as KubeObject;
  it('refuses bad labels with a 422 on metadata.labels', () => {
    const { plugin } = setup();
    const err = refusal(() => plugin.validate(attrs(ns('a', { 'pod-security.kubernetes.io/enforce': 'strict' }))));
    expect(err.code).toBe(422);
    expect(err.message).toBe('Namespace "a" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
    expect(err.status.details?.causes?.[0]?.field).toBe('metadata.labels[pod-security.kubernetes.io/enforce]');
  });
  it('raising enforce warns about existing pods', () => {
    const { plugin } = setup({}, [pod('b', privilegedSpec), pod('a', privilegedSpec), pod('ok', {})]);
    const warnings = plugin.validate(attrs(ns('default', { 'pod-security.kubernetes.io/enforce': 'baseline' }), { operation: 'UPDATE', oldObject: ns('default', {}) }));
    // Same level as the default: nothing to say.
    expect(warnings).toEqual([]);
    const raised = plugin.validate(attrs(ns('default', { 'pod-security.kubernetes.io/enforce': 'restricted' }), { operation: 'UPDATE', oldObject: ns('default', {}) }));
    expect(raised[0]).toBe('existing pods in namespace "default" violate the new PodSecurity enforce level "restricted:latest"');
    expect(raised[1]).toBe('a (and 1 other pod): privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
    expect(raised[2]).toBe('ok: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
  });
  it('warns when an exempt namespace is given a policy', () => {
    const { plugin } = setup();
    expect(plugin.validate(attrs(ns('kube-system', { 'pod-security.kubernetes.io/enforce': 'restricted' })))).toEqual([
      'namespace "kube-system" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored',
    ]);
  });
});

describe('isSignificantPodUpdate', () => {
  it('ignores what upstream lets change freely, sees the rest', () => {
    const spec = { containers: [{ name: 'a', image: 'x' }] };
    expect(isSignificantPodUpdate({ ...spec, activeDeadlineSeconds: 5 } as never, spec)).toBe(false);
    expect(isSignificantPodUpdate({ ...spec, hostPID: true }, spec)).toBe(true);
  });
});
