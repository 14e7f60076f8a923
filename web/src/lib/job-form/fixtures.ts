// Test fixtures: forms with every field filled. Imported by tests only.
import { newContainerForm, newEnvForm, newJobForm, newLogConfigForm, newProbeForm, newVolumeMountForm, type ContainerForm, type JobForm } from './model.js';

/** A form with every wizard field filled (docs/product.md#the-wizard). */
export function fullForm(): JobForm {
  const f = newJobForm();
  f.name = 'report';
  f.namespace = 'batch';
  f.labels = [{ key: 'team', value: 'data' }];
  f.imagePullSecrets = ['regcred'];
  f.completions = 4;
  f.parallelism = 2;
  f.activeDeadlineSeconds = 600;
  f.backoffLimit = 3;
  f.restartPolicy = 'OnFailure';

  const init: ContainerForm = { ...newContainerForm('init-0', true), image: 'busybox', tag: '1.36', command: 'sh -c "echo init > /work/ready"' };
  init.volumes = [{ ...newVolumeMountForm('emptyDir'), mountPath: '/work' }];

  const main: ContainerForm = newContainerForm('main');
  main.image = 'registry.example.com:5000/team/report';
  main.tag = 'v2';
  main.imagePullPolicy = 'Always';
  main.limits = { cpu: { millicores: 500 }, memory: { amount: 256, unit: 'Mi' } };
  main.requests = { cpu: { millicores: 250 }, memory: { amount: 1, unit: 'Gi' } };
  main.env = [
    { ...newEnvForm(), name: 'MODE', value: 'full' },
    { ...newEnvForm(), name: 'DB_HOST', source: 'configMapKeyRef', refName: 'settings', refKey: 'db.host' },
    { ...newEnvForm(), name: 'DB_PASSWORD', source: 'secretKeyRef', refName: 'db', refKey: 'password' },
  ];
  main.livenessProbe = {
    ...newProbeForm('httpGet'),
    enabled: true,
    scheme: 'HTTPS',
    path: '/healthz',
    port: '8443',
    httpHeaders: [
      { name: 'X-Probe', value: 'a' },
      { name: 'X-Probe', value: 'b' },
    ],
  };
  main.readinessProbe = { ...newProbeForm('tcpSocket'), enabled: true, port: 'http', initialDelaySeconds: 15 };
  main.stdin = true;
  main.tty = true;
  main.command = '/bin/report';
  main.args = "--out /data --title 'Monthly report'";
  main.postStart = 'sh -c "echo started"';
  main.preStop = 'sh -c "sleep 2"';
  main.volumes = [
    { ...newVolumeMountForm('hostPath'), source: '/srv/data', mountPath: '/data' },
    { ...newVolumeMountForm('configMap'), source: 'settings', mountPath: '/etc/report', readOnly: true },
    { ...newVolumeMountForm('secret'), source: 'db', mountPath: '/etc/db', readOnly: true },
    { ...newVolumeMountForm('emptyDir'), mountPath: '/work' },
    { ...newVolumeMountForm('emptyDir'), medium: 'Memory', mountPath: '/scratch' },
    { ...newVolumeMountForm('persistentVolumeClaim'), source: 'archive', mountPath: '/archive', subPath: 'reports' },
    { ...newVolumeMountForm('nfs'), server: 'nas.example.com', source: '/exports/shared', mountPath: '/shared' },
  ];
  main.logs = [
    { ...newLogConfigForm(), logstore: 'report-stdout', path: 'stdout', tags: [{ key: 'app', value: 'report' }, { key: 'env', value: 'prod' }] },
    { ...newLogConfigForm(), logstore: 'report-files', path: '/var/log/report/*.log', tags: [] },
  ];
  const probeWithCommand: ContainerForm = newContainerForm('sidecar');
  probeWithCommand.image = 'busybox';
  probeWithCommand.livenessProbe = { ...newProbeForm('exec'), enabled: true, command: 'cat /tmp/healthy' };
  f.containers = [init, main, probeWithCommand];
  return f;
}

