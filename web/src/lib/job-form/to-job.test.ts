import { describe, expect, it } from 'vitest';
import { fullForm } from './fixtures.js';
import { newJobForm, newVolumeMountForm } from './model.js';
import { buildJob, cpuText, formToJob, memoryText, portValue } from './to-job.js';

describe('formToJob', () => {
  it('builds a batch/v1 Job with the basic information of step 1', () => {
    const job = formToJob(fullForm());
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toEqual({ name: 'report', namespace: 'batch', labels: { app: 'report', team: 'data' } });
    expect(job.spec.template.metadata?.labels).toEqual({ app: 'report', team: 'data' });
  });

  it('writes step 3 job settings to spec and the pod restart policy', () => {
    const job = formToJob(fullForm());
    expect(job.spec.completions).toBe(4);
    expect(job.spec.parallelism).toBe(2);
    expect(job.spec.activeDeadlineSeconds).toBe(600);
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  it('leaves unset job settings out so the server defaults them', () => {
    const f = { ...fullForm(), completions: null, parallelism: null, activeDeadlineSeconds: null, backoffLimit: null };
    const spec = formToJob(f).spec;
    expect('completions' in spec).toBe(false);
    expect('parallelism' in spec).toBe(false);
    expect('activeDeadlineSeconds' in spec).toBe(false);
    expect('backoffLimit' in spec).toBe(false);
  });

  it('puts init containers in initContainers and the others in containers, in form order', () => {
    const pod = formToJob(fullForm()).spec.template.spec;
    expect(pod.initContainers?.map((c) => c.name)).toEqual(['init-0']);
    expect(pod.containers.map((c) => c.name)).toEqual(['main', 'sidecar']);
    expect(pod.initContainers?.[0].command).toEqual(['sh', '-c', 'echo init > /work/ready']);
  });

  it('joins image and tag, and maps "always pull" to imagePullPolicy', () => {
    const pod = formToJob(fullForm()).spec.template.spec;
    expect(pod.initContainers?.[0].image).toBe('busybox:1.36');
    expect(pod.containers[0].image).toBe('registry.example.com:5000/team/report:v2');
    expect(pod.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.containers[1].imagePullPolicy).toBe('IfNotPresent');
    expect(pod.containers[1].image).toBe('busybox:latest');
  });

  it('sets the pull secrets on the pod', () => {
    expect(formToJob(fullForm()).spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it('writes CPU in millicores and memory with its unit, limits and requests apart', () => {
    const c = formToJob(fullForm()).spec.template.spec.containers[0];
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '1Gi' } });
    expect(formToJob(fullForm()).spec.template.spec.containers[1].resources).toBeUndefined();
  });

  it('writes plain, configMap and secret environment variables, then the log service variables', () => {
    const env = formToJob(fullForm()).spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'MODE', value: 'full' },
      { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'settings', key: 'db.host' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'aliyun_logs_report-stdout', value: 'stdout' },
      { name: 'aliyun_logs_report-stdout_tags', value: 'app=report,env=prod' },
      { name: 'aliyun_logs_report-files', value: '/var/log/report/*.log' },
    ]);
  });

  it('writes an HTTPS liveness check with repeated headers and the form’s defaults', () => {
    const c = formToJob(fullForm()).spec.template.spec.containers[0];
    expect(c.livenessProbe).toEqual({
      httpGet: {
        path: '/healthz',
        port: 8443,
        scheme: 'HTTPS',
        httpHeaders: [
          { name: 'X-Probe', value: 'a' },
          { name: 'X-Probe', value: 'b' },
        ],
      },
      initialDelaySeconds: 3,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('writes a TCP readiness check on a named port and a command liveness check', () => {
    const pod = formToJob(fullForm()).spec.template.spec;
    expect(pod.containers[0].readinessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(pod.containers[1].livenessProbe).toEqual({ exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(pod.containers[1].readinessProbe).toBeUndefined();
  });

  it('writes lifecycle: stdin, tty, command, args, post-start and pre-stop', () => {
    const c = formToJob(fullForm()).spec.template.spec.containers[0];
    expect(c.stdin).toBe(true);
    expect(c.tty).toBe(true);
    expect(c.command).toEqual(['/bin/report']);
    expect(c.args).toEqual(['--out', '/data', '--title', 'Monthly report']);
    expect(c.lifecycle).toEqual({ postStart: { exec: { command: ['sh', '-c', 'echo started'] } }, preStop: { exec: { command: ['sh', '-c', 'sleep 2'] } } });
    const plain = formToJob(fullForm()).spec.template.spec.containers[1];
    expect(plain.stdin).toBeUndefined();
    expect(plain.lifecycle).toBeUndefined();
    expect(plain.command).toBeUndefined();
  });

  it('turns each mount into a pod volume and a volumeMount; one source mounted twice is one volume', () => {
    const pod = formToJob(fullForm()).spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'emptydir-1', emptyDir: {} },
      { name: 'hostpath-1', hostPath: { path: '/srv/data' } },
      { name: 'configmap-1', configMap: { name: 'settings' } },
      { name: 'secret-1', secret: { secretName: 'db' } },
      { name: 'emptydir-2', emptyDir: { medium: 'Memory' } },
      { name: 'pvc-1', persistentVolumeClaim: { claimName: 'archive' } },
      { name: 'nfs-1', nfs: { server: 'nas.example.com', path: '/exports/shared' } },
    ]);
    expect(pod.initContainers?.[0].volumeMounts).toEqual([{ name: 'emptydir-1', mountPath: '/work' }]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'hostpath-1', mountPath: '/data' },
      { name: 'configmap-1', mountPath: '/etc/report', readOnly: true },
      { name: 'secret-1', mountPath: '/etc/db', readOnly: true },
      { name: 'emptydir-1', mountPath: '/work' },
      { name: 'emptydir-2', mountPath: '/scratch' },
      { name: 'pvc-1', mountPath: '/archive', subPath: 'reports' },
      { name: 'nfs-1', mountPath: '/shared' },
    ]);
  });

  it('keeps a named volume name, and gives a different source under a taken name its own volume', () => {
    const f = newJobForm();
    f.name = 'x';
    f.containers[0].image = 'busybox';
    f.containers[0].volumes = [
      { ...newVolumeMountForm('hostPath'), volumeName: 'data', source: '/a', mountPath: '/a' },
      { ...newVolumeMountForm('hostPath'), volumeName: 'data', source: '/b', mountPath: '/b' },
      { ...newVolumeMountForm('hostPath'), source: '/a', mountPath: '/c' },
    ];
    const pod = formToJob(f).spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'data', hostPath: { path: '/a' } },
      { name: 'hostpath-1', hostPath: { path: '/b' } },
    ]);
    expect(pod.containers[0].volumeMounts?.map((m) => m.name)).toEqual(['data', 'hostpath-1', 'data']);
  });

  it('builds the busybox example: busybox, completions 2, parallelism 2', () => {
    const f = newJobForm();
    f.name = 'busybox';
    f.containers[0].image = 'busybox';
    f.completions = 2;
    f.parallelism = 2;
    expect(formToJob(f)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'busybox', namespace: 'default', labels: { app: 'busybox' } },
      spec: {
        completions: 2,
        parallelism: 2,
        backoffLimit: 6,
        template: {
          metadata: { labels: { app: 'busybox' } },
          spec: { containers: [{ name: 'container-0', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Never' },
        },
      },
    });
  });
});

describe('quantities and ports', () => {
  it('writes CPU as millicores unless the loaded text still means the same', () => {
    expect(cpuText({ millicores: 1500 })).toBe('1500m');
    expect(cpuText({ millicores: 1000, text: '1' })).toBe('1');
    expect(cpuText({ millicores: 2000, text: '1' })).toBe('2000m');
    expect(cpuText({ millicores: null })).toBeUndefined();
  });

  it('writes memory with its unit', () => {
    expect(memoryText({ amount: 64, unit: 'Mi' })).toBe('64Mi');
    expect(memoryText({ amount: 0.5, unit: 'Gi' })).toBe('0.5Gi');
    expect(memoryText({ amount: null, unit: 'Mi' })).toBeUndefined();
  });

  it('reads a port as a number or a named port', () => {
    expect(portValue('8080')).toBe(8080);
    expect(portValue(' http ')).toBe('http');
    expect(portValue('')).toBeUndefined();
  });
});

describe('the field map', () => {
  it('records where every container field came from, init containers by their own index', () => {
    const { fieldMap } = buildJob(fullForm());
    const lookup = (p: string) => fieldMap.find((e) => e.jobPath === p)?.formPath;
    expect(lookup('metadata.name')).toEqual(['name']);
    expect(lookup('spec.template.spec.initContainers[0].image')).toEqual(['containers', 0, 'image']);
    expect(lookup('spec.template.spec.containers[0].image')).toEqual(['containers', 1, 'image']);
    expect(lookup('spec.template.spec.containers[1].livenessProbe.exec.command')).toEqual(['containers', 2, 'livenessProbe', 'command']);
    expect(lookup('spec.template.spec.containers[0].env[4]')).toEqual(['containers', 1, 'logs', 0, 'tags']);
    expect(lookup('spec.template.spec.containers[0].env[5].name')).toEqual(['containers', 1, 'logs', 1, 'logstore']);
    expect(lookup('spec.template.spec.containers[0].resources.limits.memory')).toEqual(['containers', 1, 'limits', 'memory', 'amount']);
    expect(lookup('spec.template.spec.volumes[6].nfs.server')).toEqual(['containers', 1, 'volumes', 6, 'server']);
    expect(lookup('spec.template.spec.volumes[0].emptyDir')).toEqual(['containers', 0, 'volumes', 0, 'source']);
    expect(lookup('spec.template.spec.containers[0].volumeMounts[5].subPath')).toEqual(['containers', 1, 'volumes', 5, 'subPath']);
    expect(lookup('spec.backoffLimit')).toEqual(['backoffLimit']);
  });
});
