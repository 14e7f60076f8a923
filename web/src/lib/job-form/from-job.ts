// Job → form: the inverse of formToJob. Fields the wizard does not show are kept in `extra`
// (Job, container) and in volumeExtras / otherVolumes, so formToJob(jobToForm(job)) keeps them.
import type { Job } from '../../../../api/batch.js';
import type { Container, EnvVar, Lifecycle, LifecycleHandler, Probe, ResourceRequirements, Volume, VolumeMount } from '../../../../api/core.js';
import { splitImage } from './image-ref.js';
import {
  emptyResources,
  newJobForm,
  newProbeForm,
  type ContainerForm,
  type EnvForm,
  type JobForm,
  type KeyValue,
  type LogConfigForm,
  type ProbeForm,
  type ResourceListForm,
  type RestartPolicyForm,
  type VolumeMountForm,
  type VolumeType,
} from './model.js';
import { cpuToMillicores, parseMemory } from './quantity.js';
import { joinArgs } from './shell-words.js';
import { LOG_ENV_PREFIX, LOG_TAGS_SUFFIX } from './to-job.js';

const VOLUME_TYPES: VolumeType[] = ['hostPath', 'configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'nfs'];

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The form-managed kind of a pod volume, or undefined for kinds the form does not edit (csi, projected...). */
export function volumeTypeOf(v: Volume): VolumeType | undefined {
  return VOLUME_TYPES.find((t) => (v as unknown as Record<string, unknown>)[t] !== undefined);
}

function sourceOf(v: Volume, t: VolumeType): { source: string; server: string; medium: '' | 'Memory' } {
  switch (t) {
    case 'hostPath':
      return { source: v.hostPath?.path ?? '', server: '', medium: '' };
    case 'configMap':
      return { source: v.configMap?.name ?? '', server: '', medium: '' };
    case 'secret':
      return { source: v.secret?.secretName ?? '', server: '', medium: '' };
    case 'emptyDir':
      return { source: '', server: '', medium: v.emptyDir?.medium === 'Memory' ? 'Memory' : '' };
    case 'persistentVolumeClaim':
      return { source: v.persistentVolumeClaim?.claimName ?? '', server: '', medium: '' };
    case 'nfs':
      return { source: v.nfs?.path ?? '', server: v.nfs?.server ?? '', medium: '' };
  }
}

function resourcesFromK8s(r: ResourceRequirements | undefined): { limits: ResourceListForm; requests: ResourceListForm; rest: ResourceRequirements } {
  const rest: ResourceRequirements = clone(r ?? {});
  const take = (which: 'limits' | 'requests'): ResourceListForm => {
    const out = emptyResources();
    const list = rest[which];
    if (!list) return out;
    if (list.cpu !== undefined) {
      const m = cpuToMillicores(list.cpu);
      if (m !== undefined) {
        out.cpu = { millicores: m, text: String(list.cpu) };
        delete list.cpu;
      }
    }
    if (list.memory !== undefined) {
      const mem = parseMemory(list.memory);
      if (mem) {
        out.memory = mem;
        delete list.memory;
      }
    }
    if (Object.keys(list).length === 0) delete rest[which];
    return out;
  };
  const limits = take('limits');
  const requests = take('requests');
  return { limits, requests, rest };
}

function probeFromK8s(p: Probe | undefined): ProbeForm | undefined {
  if (!p) return newProbeForm();
  const num = (v: number | undefined) => (v === undefined ? null : v);
  const base = {
    ...newProbeForm(),
    enabled: true,
    initialDelaySeconds: num(p.initialDelaySeconds),
    periodSeconds: num(p.periodSeconds),
    timeoutSeconds: num(p.timeoutSeconds),
    successThreshold: num(p.successThreshold),
    failureThreshold: num(p.failureThreshold),
  };
  const known = new Set(['httpGet', 'tcpSocket', 'exec', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold']);
  if (Object.keys(p).some((k) => !known.has(k))) return undefined; // grpc, terminationGracePeriodSeconds: keep verbatim
  if (p.httpGet) {
    const known2 = new Set(['path', 'port', 'scheme', 'httpHeaders']);
    if (Object.keys(p.httpGet).some((k) => !known2.has(k))) return undefined; // host: keep verbatim
    return {
      ...base,
      type: 'httpGet',
      scheme: p.httpGet.scheme ?? '',
      path: p.httpGet.path ?? '',
      port: p.httpGet.port === undefined ? '' : String(p.httpGet.port),
      httpHeaders: (p.httpGet.httpHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
    };
  }
  if (p.tcpSocket) {
    if (p.tcpSocket.host !== undefined) return undefined;
    return { ...base, type: 'tcpSocket', port: p.tcpSocket.port === undefined ? '' : String(p.tcpSocket.port) };
  }
  if (p.exec) return { ...base, type: 'exec', command: joinArgs(p.exec.command) };
  return undefined;
}

function execCommandOf(h: LifecycleHandler | undefined): string | undefined {
  if (!h || !h.exec || Object.keys(h).length !== 1) return undefined;
  return joinArgs(h.exec.command);
}

/** Splits `aliyun_logs_*` variables (the log service's settings) from the other environment variables. */
export function splitLogEnv(env: EnvVar[] | undefined): { env: EnvVar[]; logs: LogConfigForm[] } {
  const all = env ?? [];
  const plain = (e: EnvVar) => e.valueFrom === undefined && e.name.startsWith(LOG_ENV_PREFIX) && e.name.length > LOG_ENV_PREFIX.length;
  const names = new Set(all.filter(plain).map((e) => e.name));
  const isTags = (e: EnvVar) => e.name.endsWith(LOG_TAGS_SUFFIX) && names.has(e.name.slice(0, -LOG_TAGS_SUFFIX.length));
  const logs: LogConfigForm[] = [];
  const rest: EnvVar[] = [];
  for (const e of all) {
    if (!plain(e)) rest.push(e);
    else if (!isTags(e)) logs.push({ logstore: e.name.slice(LOG_ENV_PREFIX.length), path: e.value ?? '', tags: [] });
  }
  for (const e of all) {
    if (!plain(e) || !isTags(e)) continue;
    const store = e.name.slice(LOG_ENV_PREFIX.length, -LOG_TAGS_SUFFIX.length);
    const target = logs.find((l) => l.logstore === store);
    if (!target) continue;
    target.tags = (e.value ?? '')
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((pair): KeyValue => {
        const i = pair.indexOf('=');
        return i < 0 ? { key: pair.trim(), value: '' } : { key: pair.slice(0, i).trim(), value: pair.slice(i + 1) };
      });
  }
  return { env: rest, logs };
}

function envFromK8s(e: EnvVar): EnvForm {
  const base: EnvForm = { name: e.name, source: 'value', value: '', refName: '', refKey: '' };
  if (!e.valueFrom) return { ...base, value: e.value ?? '' };
  const vf = e.valueFrom;
  const keys = Object.keys(vf);
  if (keys.length === 1 && vf.configMapKeyRef && vf.configMapKeyRef.optional === undefined && e.value === undefined) {
    return { ...base, source: 'configMapKeyRef', refName: vf.configMapKeyRef.name ?? '', refKey: vf.configMapKeyRef.key };
  }
  if (keys.length === 1 && vf.secretKeyRef && vf.secretKeyRef.optional === undefined && e.value === undefined) {
    return { ...base, source: 'secretKeyRef', refName: vf.secretKeyRef.name ?? '', refKey: vf.secretKeyRef.key };
  }
  return { ...base, source: 'raw', raw: clone(e) };
}

const MANAGED_MOUNT_KEYS = new Set(['name', 'mountPath', 'subPath', 'readOnly']);

function containerFromK8s(c: Container, init: boolean, volumes: Map<string, Volume>, usedVolumes: Set<string>): ContainerForm {
  const {
    name,
    image,
    imagePullPolicy,
    command,
    args,
    env,
    resources,
    livenessProbe,
    readinessProbe,
    lifecycle,
    stdin,
    tty,
    volumeMounts,
    ...extra
  } = clone(c);
  const out: ContainerForm = {
    name,
    init,
    ...splitImage(image ?? ''),
    imagePullPolicy: imagePullPolicy ?? '',
    limits: emptyResources(),
    requests: emptyResources(),
    env: [],
    livenessProbe: newProbeForm(),
    readinessProbe: newProbeForm(),
    stdin: stdin === true,
    tty: tty === true,
    command: joinArgs(command),
    args: joinArgs(args),
    postStart: '',
    preStop: '',
    volumes: [],
    logs: [],
    extra,
  };
  // Explicit `false` and empty arrays are not lost: they go back verbatim.
  if (stdin === false) out.extra.stdin = false;
  if (tty === false) out.extra.tty = false;
  const r = resourcesFromK8s(resources);
  out.limits = r.limits;
  out.requests = r.requests;
  if (Object.keys(r.rest).length > 0) out.extra.resources = r.rest;

  const split = splitLogEnv(env);
  out.env = split.env.map(envFromK8s);
  out.logs = split.logs;

  const lp = probeFromK8s(livenessProbe);
  if (lp) out.livenessProbe = lp;
  else out.extra.livenessProbe = livenessProbe;
  const rp = probeFromK8s(readinessProbe);
  if (rp) out.readinessProbe = rp;
  else out.extra.readinessProbe = readinessProbe;

  if (lifecycle) {
    const rest: Lifecycle = { ...lifecycle };
    const ps = execCommandOf(lifecycle.postStart);
    if (ps !== undefined) {
      out.postStart = ps;
      delete rest.postStart;
    }
    const pre = execCommandOf(lifecycle.preStop);
    if (pre !== undefined) {
      out.preStop = pre;
      delete rest.preStop;
    }
    if (Object.keys(rest).length > 0) out.extra.lifecycle = rest;
  }

  const otherMounts: VolumeMount[] = [];
  for (const m of volumeMounts ?? []) {
    const v = volumes.get(m.name);
    const t = v ? volumeTypeOf(v) : undefined;
    if (!v || !t || Object.keys(m).some((k) => !MANAGED_MOUNT_KEYS.has(k))) {
      otherMounts.push(m);
      continue;
    }
    usedVolumes.add(m.name);
    const entry: VolumeMountForm = { type: t, volumeName: m.name, ...sourceOf(v, t), mountPath: m.mountPath, subPath: m.subPath ?? '', readOnly: m.readOnly === true };
    out.volumes.push(entry);
  }
  if (otherMounts.length > 0) out.extra.volumeMounts = otherMounts;
  return out;
}

function asRestartPolicy(p: string | undefined): RestartPolicyForm {
  // 'Always' is not valid for a Job; it is kept so the server's error shows on the field.
  return (p ?? 'Never') as RestartPolicyForm;
}

/** The form that describes `job` (clean it with jobForClone first when it comes from the server). */
export function jobToForm(job: Job, cluster = 'local'): JobForm {
  const j = clone(job);
  const form = newJobForm();
  form.cluster = cluster;
  const { name, namespace, labels, ...metaRest } = j.metadata ?? {};
  form.name = name ?? '';
  form.namespace = namespace ?? '';
  form.labels = Object.entries(labels ?? {})
    .filter(([k, v]) => !(k === 'app' && v === form.name))
    .map(([key, value]) => ({ key, value }));

  const spec = j.spec ?? ({ template: { spec: { containers: [] } } } as unknown as Job['spec']);
  const { completions, parallelism, activeDeadlineSeconds, backoffLimit, template, ...specRest } = spec;
  form.completions = completions ?? null;
  form.parallelism = parallelism ?? null;
  form.activeDeadlineSeconds = activeDeadlineSeconds ?? null;
  form.backoffLimit = backoffLimit ?? null;

  const pod = template?.spec ?? { containers: [] };
  const { containers, initContainers, volumes, imagePullSecrets, restartPolicy, ...podRest } = pod;
  form.restartPolicy = asRestartPolicy(restartPolicy);
  form.imagePullSecrets = (imagePullSecrets ?? []).map((s) => s.name ?? '').filter((s) => s !== '');

  const byName = new Map((volumes ?? []).map((v) => [v.name, v]));
  const used = new Set<string>();
  form.containers = [
    ...(initContainers ?? []).map((c) => containerFromK8s(c, true, byName, used)),
    ...(containers ?? []).map((c) => containerFromK8s(c, false, byName, used)),
  ];
  form.volumeExtras = {};
  form.otherVolumes = [];
  for (const v of volumes ?? []) {
    if (used.has(v.name)) form.volumeExtras[v.name] = v;
    else form.otherVolumes.push(v);
  }

  // Template labels equal to the Job's are regenerated from the form; others are kept.
  const tmplMeta = clone(template?.metadata) ?? {};
  const tmplLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(tmplMeta.labels ?? {})) if ((labels ?? {})[k] !== v) tmplLabels[k] = v;
  if (Object.keys(tmplLabels).length > 0) tmplMeta.labels = tmplLabels;
  else delete tmplMeta.labels;

  const extraTemplate: Job['spec']['template'] = { spec: { ...podRest, containers: [] } };
  if (Object.keys(tmplMeta).length > 0) extraTemplate.metadata = tmplMeta;
  const { apiVersion: _a, kind: _k, metadata: _m, spec: _s, status: _st, ...topRest } = j;
  form.extra = { apiVersion: 'batch/v1', kind: 'Job', ...topRest, metadata: metaRest, spec: { ...specRest, template: extraTemplate } };
  return form;
}
