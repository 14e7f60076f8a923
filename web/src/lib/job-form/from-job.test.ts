import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../api/batch.js';
import { fullForm } from './fixtures.js';
import { splitLogEnv, jobToForm } from './from-job.js';
import { newJobForm, newProbeForm } from './model.js';
import { formToJob } from './to-job.js';

/** An upstream-style Job with fields the wizard does not show. */
function handWrittenJob(): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', labels: { app: 'pi', tier: 'batch' }, annotations: { owner: 'ops' } },
    spec: {
      completions: 5,
      parallelism: 2,
      backoffLimit: 4,
      ttlSecondsAfterFinished: 100,
      completionMode: 'Indexed',
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      template: {
        metadata: { labels: { app: 'pi', tier: 'batch', extra: 'yes' }, annotations: { note: 'n' } },
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { disk: 'ssd' },
          tolerations: [{ key: 'k', operator: 'Exists' }],
          containers: [
            {
              name: 'pi',
              image: 'perl:5.34.0',
              command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'],
              workingDir: '/work',
              ports: [{ containerPort: 8080, name: 'http' }],
              securityContext: { runAsUser: 1000 },
              resources: { limits: { cpu: '1', memory: '1e9', 'nvidia.com/gpu': '1' }, requests: { cpu: '0.5', memory: '512Mi' } },
              env: [
                { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'c', key: 'k', optional: true } } },
                { name: 'aliyun_logs_pi', value: 'stdout' },
              ],
              livenessProbe: { grpc: { port: 9000 } },
              readinessProbe: { httpGet: { port: 8080 } },
              lifecycle: { preStop: { httpGet: { path: '/stop', port: 8080 } }, postStart: { exec: { command: ['touch', '/tmp/started'] } } },
              volumeMounts: [
                { name: 'cfg', mountPath: '/etc/cfg' },
                { name: 'token', mountPath: '/var/run/token' },
                { name: 'data', mountPath: '/data', mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          volumes: [
            { name: 'cfg', configMap: { name: 'pi-config', items: [{ key: 'a', path: 'a.conf' }], defaultMode: 420 } },
            { name: 'token', csi: { driver: 'example.csi' } },
            { name: 'data', hostPath: { path: '/data', type: 'Directory' } },
            { name: 'unused', emptyDir: {} },
          ],
        },
      },
    },
  };
}

describe('jobToForm', () => {
  it('gives back every wizard field of a form (form → Job → form)', () => {
    const f = fullForm();
    const back = jobToForm(formToJob(f));
    expect(back.name).toBe(f.name);
    expect(back.namespace).toBe(f.namespace);
    expect(back.labels).toEqual(f.labels);
    expect(back.imagePullSecrets).toEqual(f.imagePullSecrets);
    expect([back.completions, back.parallelism, back.activeDeadlineSeconds, back.backoffLimit, back.restartPolicy]).toEqual([4, 2, 600, 3, 'OnFailure']);
    expect(back.containers.map((c) => [c.name, c.init])).toEqual([
      ['init-0', true],
      ['main', false],
      ['sidecar', false],
    ]);
    const [init, main, side] = back.containers;
    expect(init.command).toBe(`sh -c 'echo init > /work/ready'`);
    expect([main.image, main.tag, main.imagePullPolicy]).toEqual(['registry.example.com:5000/team/report', 'v2', 'Always']);
    expect(main.limits).toEqual({ cpu: { millicores: 500, text: '500m' }, memory: { amount: 256, unit: 'Mi' } });
    expect(main.requests).toEqual({ cpu: { millicores: 250, text: '250m' }, memory: { amount: 1, unit: 'Gi' } });
    expect(main.env).toEqual(f.containers[1].env);
    expect(main.logs).toEqual(f.containers[1].logs);
    expect(main.livenessProbe).toEqual(f.containers[1].livenessProbe);
    expect(main.readinessProbe).toEqual(f.containers[1].readinessProbe);
    expect(side.livenessProbe).toEqual(f.containers[2].livenessProbe);
    expect(side.readinessProbe).toEqual(newProbeForm());
    expect([main.stdin, main.tty, main.command, main.args]).toEqual([true, true, '/bin/report', "--out /data --title 'Monthly report'"]);
    expect([main.postStart, main.preStop]).toEqual(['sh -c \'echo started\'', "sh -c 'sleep 2'"]);
    expect(main.volumes.map(({ volumeName: _n, ...v }) => v)).toEqual(f.containers[1].volumes.map(({ volumeName: _n, ...v }) => v));
    expect(main.volumes.map((v) => v.volumeName)).toEqual(['hostpath-1', 'configmap-1', 'secret-1', 'emptydir-1', 'emptydir-2', 'pvc-1', 'nfs-1']);
    expect(main.extra).toEqual({});
    expect(back.otherVolumes).toEqual([]);
  });

  it('is a fixed point: formToJob(jobToForm(job)) equals job for every Job the wizard builds', () => {
    for (const f of [fullForm(), newJobForm(), { ...newJobForm(), name: 'wq', completions: null, parallelism: 3 }]) {
      const job = formToJob(f);
      expect(formToJob(jobToForm(job))).toEqual(job);
    }
  });

  it('keeps every field the wizard does not show when a hand-written Job goes through the form', () => {
    const job = handWrittenJob();
    const again = formToJob(jobToForm(job));
    const sortVolumes = (j: Job) => [...(j.spec.template.spec.volumes ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    expect(sortVolumes(again)).toEqual(sortVolumes(job));
    const { volumes: _a, ...podAgain } = again.spec.template.spec;
    const { volumes: _b, ...podOrig } = job.spec.template.spec;
    const c0 = podOrig.containers[0];
    // The log variable moves after the others; everything else is identical.
    expect(podAgain.containers[0].env).toEqual([c0.env![0], c0.env![1], c0.env![2]]);
    expect(podAgain).toEqual(podOrig);
    expect({ ...again, spec: { ...again.spec, template: {} } }).toEqual({ ...job, spec: { ...job.spec, template: {} } });
    expect(again.spec.template.metadata).toEqual(job.spec.template.metadata);
  });

  it('reads wizard fields out of a hand-written Job and keeps the rest in extra', () => {
    const f = jobToForm(handWrittenJob());
    const c = f.containers[0];
    expect(f.labels).toEqual([{ key: 'tier', value: 'batch' }]);
    expect([c.image, c.tag, c.imagePullPolicy]).toEqual(['perl', '5.34.0', '']);
    expect(c.limits.cpu).toEqual({ millicores: 1000, text: '1' });
    expect(c.limits.memory).toEqual({ amount: null, unit: 'Mi' });
    expect(c.extra.resources).toEqual({ limits: { memory: '1e9', 'nvidia.com/gpu': '1' } });
    expect(c.requests.cpu).toEqual({ millicores: 500, text: '0.5' });
    expect(c.env.map((e) => e.source)).toEqual(['raw', 'raw']);
    expect(c.logs).toEqual([{ logstore: 'pi', path: 'stdout', tags: [] }]);
    expect(c.livenessProbe.enabled).toBe(false);
    expect(c.extra.livenessProbe).toEqual({ grpc: { port: 9000 } });
    expect(c.readinessProbe).toMatchObject({ enabled: true, type: 'httpGet', port: '8080', path: '', initialDelaySeconds: null, periodSeconds: null });
    expect(c.postStart).toBe('touch /tmp/started');
    expect(c.extra.lifecycle).toEqual({ preStop: { httpGet: { path: '/stop', port: 8080 } } });
    expect(c.volumes).toEqual([{ type: 'configMap', volumeName: 'cfg', source: 'pi-config', server: '', medium: '', mountPath: '/etc/cfg', subPath: '', readOnly: false }]);
    expect(c.extra.volumeMounts?.map((m) => m.name)).toEqual(['token', 'data']);
    expect(f.otherVolumes.map((v) => v.name)).toEqual(['token', 'data', 'unused']);
    expect(f.volumeExtras.cfg.configMap?.items).toEqual([{ key: 'a', path: 'a.conf' }]);
    expect(f.extra.spec.ttlSecondsAfterFinished).toBe(100);
    expect(f.extra.metadata.annotations).toEqual({ owner: 'ops' });
  });

  it('keeps configMap items and defaultMode when the form changes the configMap name', () => {
    const f = jobToForm(handWrittenJob());
    f.containers[0].volumes[0].source = 'other-config';
    const v = formToJob(f).spec.template.spec.volumes?.find((x) => x.name === 'cfg');
    expect(v).toEqual({ name: 'cfg', configMap: { name: 'other-config', items: [{ key: 'a', path: 'a.conf' }], defaultMode: 420 } });
  });

  it('reads an image without tag as an empty tag, and a digest reference whole', () => {
    const job = formToJob({ ...newJobForm(), name: 'a' });
    job.spec.template.spec.containers[0].image = 'busybox';
    expect(jobToForm(job).containers[0]).toMatchObject({ image: 'busybox', tag: '' });
    job.spec.template.spec.containers[0].image = 'busybox@sha256:abc';
    expect(jobToForm(job).containers[0]).toMatchObject({ image: 'busybox@sha256:abc', tag: '' });
    expect(formToJob(jobToForm(job)).spec.template.spec.containers[0].image).toBe('busybox@sha256:abc');
  });

  it('keeps a work queue (completions unset) unset', () => {
    const f = jobToForm(formToJob({ ...newJobForm(), name: 'q', completions: null, parallelism: 3 }));
    expect([f.completions, f.parallelism]).toEqual([null, 3]);
  });
});

describe('splitLogEnv', () => {
  it('pairs tags with their logstore and leaves other variables alone', () => {
    const r = splitLogEnv([
      { name: 'A', value: '1' },
      { name: 'aliyun_logs_app_tags', value: 'k1=v1,k2=v=2' },
      { name: 'aliyun_logs_app', value: '/var/log/*.log' },
      { name: 'aliyun_logs_', value: 'x' },
      { name: 'aliyun_logs_ref', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
    expect(r.logs).toEqual([{ logstore: 'app', path: '/var/log/*.log', tags: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v=2' }] }]);
    expect(r.env.map((e) => e.name)).toEqual(['A', 'aliyun_logs_', 'aliyun_logs_ref']);
  });

  it('reads aliyun_logs_x_tags as a logstore named x_tags when there is no logstore x', () => {
    const r = splitLogEnv([{ name: 'aliyun_logs_x_tags', value: 'stdout' }]);
    expect(r.logs).toEqual([{ logstore: 'x_tags', path: 'stdout', tags: [] }]);
  });
});
