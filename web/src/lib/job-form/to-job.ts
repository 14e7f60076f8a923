// Form → Job. Every wizard field lands in its Job field; the field map records, for each Job path
// written, the form field it came from, so the server's field errors show on the right control.
import type { Job } from '../../../../api/batch.js';
import type { Container, EnvVar, Lifecycle, Probe, ResourceRequirements, Volume, VolumeMount } from '../../../../api/core.js';
import { joinImage } from './image-ref.js';
import type { ContainerForm, CpuForm, EnvForm, JobForm, MemoryForm, ProbeForm, ResourceListForm, VolumeMountForm, VolumeType } from './model.js';
import { cpuToMillicores } from './quantity.js';
import { splitArgs } from './shell-words.js';

/** A form field's path, as antd's Form names it: ['containers', 0, 'image']. */
export type FormPath = (string | number)[];

/** One Job path (upstream field path syntax) and the form field that produced it. */
export interface FieldMapEntry {
  jobPath: string;
  formPath: FormPath;
}

export interface JobBuild {
  job: Job;
  fieldMap: FieldMapEntry[];
}

/** The environment variable prefix of the log service (the log-pilot convention: docs/product.md#log-collection). */
export const LOG_ENV_PREFIX = 'aliyun_logs_';
export const LOG_TAGS_SUFFIX = '_tags';

const VOLUME_NAME_PREFIX: Record<VolumeType, string> = {
  hostPath: 'hostpath',
  configMap: 'configmap',
  secret: 'secret',
  emptyDir: 'emptydir',
  persistentVolumeClaim: 'pvc',
  nfs: 'nfs',
};

/** The field of a volume source that holds the form's `source`. */
export const VOLUME_SOURCE_FIELD: Record<VolumeType, string> = {
  hostPath: 'hostPath.path',
  configMap: 'configMap.name',
  secret: 'secret.secretName',
  emptyDir: 'emptyDir',
  persistentVolumeClaim: 'persistentVolumeClaim.claimName',
  nfs: 'nfs.path',
};

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function kvRecord(kvs: { key: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of kvs) if (key.trim() !== '') out[key.trim()] = value ?? '';
  return out;
}

/** The CPU quantity: the loaded text while it still means the same millicores, else "<n>m". */
export function cpuText(c: CpuForm): string | undefined {
  if (c.millicores === null || c.millicores === undefined) return undefined;
  if (c.text !== undefined && cpuToMillicores(c.text) === c.millicores) return c.text;
  return `${c.millicores}m`;
}

export function memoryText(m: MemoryForm): string | undefined {
  if (m.amount === null || m.amount === undefined) return undefined;
  return `${m.amount}${m.unit}`;
}

/** A probe or HTTP port as typed: digits become a number, anything else a named port. */
export function portValue(text: string): number | string | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  return /^[0-9]+$/.test(t) ? Number(t) : t;
}

function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

class Builder {
  readonly fieldMap: FieldMapEntry[] = [];

  map(jobPath: string, formPath: FormPath): void {
    this.fieldMap.push({ jobPath, formPath });
  }

  resources(c: ContainerForm, base: string, fp: FormPath): ResourceRequirements | undefined {
    const extra = c.extra.resources ?? {};
    const build = (which: 'limits' | 'requests', r: ResourceListForm): Record<string, string> | undefined => {
      const out: Record<string, string> = { ...(extra[which] ?? {}) };
      const cpu = cpuText(r.cpu);
      const mem = memoryText(r.memory);
      if (cpu !== undefined) out.cpu = cpu;
      if (mem !== undefined) out.memory = mem;
      this.map(`${base}.resources.${which}.cpu`, [...fp, which, 'cpu', 'millicores']);
      this.map(`${base}.resources.${which}.memory`, [...fp, which, 'memory', 'amount']);
      this.map(`${base}.resources.${which}`, [...fp, which]);
      return Object.keys(out).length > 0 ? out : undefined;
    };
    const res: ResourceRequirements = { ...extra };
    const limits = build('limits', c.limits);
    const requests = build('requests', c.requests);
    if (limits) res.limits = limits;
    else delete res.limits;
    if (requests) res.requests = requests;
    else delete res.requests;
    return Object.keys(res).length > 0 ? res : undefined;
  }

  env(c: ContainerForm, base: string, fp: FormPath): EnvVar[] | undefined {
    const out: EnvVar[] = [];
    c.env.forEach((e: EnvForm, m) => {
      const j = out.length;
      const p = `${base}.env[${j}]`;
      const efp = [...fp, 'env', m];
      this.map(p, efp);
      this.map(`${p}.name`, [...efp, 'name']);
      if (e.source === 'value') {
        const v: EnvVar = { name: e.name };
        if (e.value !== '' && e.value !== undefined) v.value = e.value;
        this.map(`${p}.value`, [...efp, 'value']);
        out.push(v);
      } else if (e.source === 'configMapKeyRef' || e.source === 'secretKeyRef') {
        out.push({ name: e.name, valueFrom: { [e.source]: { name: e.refName, key: e.refKey } } });
        this.map(`${p}.valueFrom.${e.source}.name`, [...efp, 'refName']);
        this.map(`${p}.valueFrom.${e.source}.key`, [...efp, 'refKey']);
        this.map(`${p}.valueFrom`, [...efp, 'refName']);
      } else {
        out.push({ ...clone(e.raw ?? { name: e.name }), name: e.name });
      }
    });
    c.logs.forEach((l, n) => {
      const lfp = [...fp, 'logs', n];
      const store = l.logstore.trim();
      let p = `${base}.env[${out.length}]`;
      out.push({ name: `${LOG_ENV_PREFIX}${store}`, value: l.path.trim() });
      this.map(p, lfp);
      this.map(`${p}.name`, [...lfp, 'logstore']);
      this.map(`${p}.value`, [...lfp, 'path']);
      const tags = l.tags.filter((t) => t.key.trim() !== '');
      if (tags.length > 0) {
        p = `${base}.env[${out.length}]`;
        out.push({ name: `${LOG_ENV_PREFIX}${store}${LOG_TAGS_SUFFIX}`, value: tags.map((t) => `${t.key.trim()}=${t.value}`).join(',') });
        this.map(p, [...lfp, 'tags']);
      }
    });
    return out.length > 0 ? out : undefined;
  }

  probe(p: ProbeForm, base: string, fp: FormPath): Probe | undefined {
    if (!p.enabled) return undefined;
    this.map(base, fp);
    const probe: Probe = {};
    if (p.type === 'httpGet') {
      const h: NonNullable<Probe['httpGet']> = { port: portValue(p.port) as number | string };
      if (h.port === undefined) delete (h as { port?: unknown }).port;
      if (p.path) h.path = p.path;
      if (p.scheme) h.scheme = p.scheme;
      const headers = p.httpHeaders.filter((x) => x.name.trim() !== '');
      if (headers.length > 0) h.httpHeaders = headers.map((x) => ({ name: x.name.trim(), value: x.value ?? '' }));
      probe.httpGet = h;
      this.map(`${base}.httpGet.path`, [...fp, 'path']);
      this.map(`${base}.httpGet.port`, [...fp, 'port']);
      this.map(`${base}.httpGet.scheme`, [...fp, 'scheme']);
      this.map(`${base}.httpGet.httpHeaders`, [...fp, 'httpHeaders']);
      headers.forEach((_, i) => this.map(`${base}.httpGet.httpHeaders[${i}]`, [...fp, 'httpHeaders', p.httpHeaders.indexOf(headers[i])]));
      this.map(`${base}.httpGet`, [...fp, 'port']);
    } else if (p.type === 'tcpSocket') {
      const port = portValue(p.port);
      probe.tcpSocket = (port === undefined ? {} : { port }) as NonNullable<Probe['tcpSocket']>;
      this.map(`${base}.tcpSocket.port`, [...fp, 'port']);
      this.map(`${base}.tcpSocket`, [...fp, 'port']);
    } else {
      probe.exec = { command: splitArgs(p.command) };
      this.map(`${base}.exec.command`, [...fp, 'command']);
      this.map(`${base}.exec`, [...fp, 'command']);
    }
    for (const k of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
      const v = p[k];
      if (v !== null && v !== undefined) probe[k] = v;
      this.map(`${base}.${k}`, [...fp, k]);
    }
    return probe;
  }

  lifecycle(c: ContainerForm, base: string, fp: FormPath): Lifecycle | undefined {
    const out: Lifecycle = { ...clone(c.extra.lifecycle ?? {}) };
    if (c.postStart.trim() !== '') out.postStart = { exec: { command: splitArgs(c.postStart) } };
    if (c.preStop.trim() !== '') out.preStop = { exec: { command: splitArgs(c.preStop) } };
    this.map(`${base}.lifecycle.postStart`, [...fp, 'postStart']);
    this.map(`${base}.lifecycle.preStop`, [...fp, 'preStop']);
    return Object.keys(out).length > 0 ? out : undefined;
  }

  container(c: ContainerForm, k: number, base: string, volumeNames: string[]): Container {
    const fp: FormPath = ['containers', k];
    this.map(base, fp);
    this.map(`${base}.name`, [...fp, 'name']);
    this.map(`${base}.image`, [...fp, 'image']);
    this.map(`${base}.imagePullPolicy`, [...fp, 'imagePullPolicy']);
    this.map(`${base}.command`, [...fp, 'command']);
    this.map(`${base}.args`, [...fp, 'args']);
    this.map(`${base}.stdin`, [...fp, 'stdin']);
    this.map(`${base}.tty`, [...fp, 'tty']);
    const { lifecycle: _l, resources: _r, volumeMounts: extraMounts, ...extra } = clone(c.extra);
    const out: Container = { name: c.name, image: joinImage(c.image, c.tag) };
    put(out, 'imagePullPolicy', c.imagePullPolicy || undefined);
    if (c.command.trim() !== '') out.command = splitArgs(c.command);
    if (c.args.trim() !== '') out.args = splitArgs(c.args);
    put(out, 'env', this.env(c, base, fp));
    put(out, 'resources', this.resources(c, base, fp));
    const mounts: VolumeMount[] = [];
    c.volumes.forEach((v, m) => {
      const p = `${base}.volumeMounts[${mounts.length}]`;
      const vfp = [...fp, 'volumes', m];
      const mount: VolumeMount = { name: volumeNames[m], mountPath: v.mountPath };
      if (v.subPath) mount.subPath = v.subPath;
      if (v.readOnly) mount.readOnly = true;
      mounts.push(mount);
      this.map(p, vfp);
      this.map(`${p}.name`, [...vfp, 'volumeName']);
      this.map(`${p}.mountPath`, [...vfp, 'mountPath']);
      this.map(`${p}.subPath`, [...vfp, 'subPath']);
    });
    mounts.push(...(extraMounts ?? []));
    if (mounts.length > 0) out.volumeMounts = mounts;
    put(out, 'livenessProbe', this.probe(c.livenessProbe, `${base}.livenessProbe`, [...fp, 'livenessProbe']));
    put(out, 'readinessProbe', this.probe(c.readinessProbe, `${base}.readinessProbe`, [...fp, 'readinessProbe']));
    put(out, 'lifecycle', this.lifecycle(c, base, fp));
    if (c.stdin) out.stdin = true;
    if (c.tty) out.tty = true;
    // Fields the form does not edit come after, never over, what the form set.
    const result = out as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(extra)) if (result[key] === undefined) result[key] = value;
    return out;
  }
}

function volumeIdentity(v: VolumeMountForm): string {
  return JSON.stringify([v.type, v.source.trim(), v.type === 'nfs' ? v.server.trim() : '', v.type === 'emptyDir' ? v.medium : '']);
}

/** The pod volume a mount entry describes, on top of the loaded volume's other fields. */
export function volumeFromMount(name: string, v: VolumeMountForm, loaded?: Volume): Volume {
  const base = loaded && (loaded as unknown as Record<string, unknown>)[v.type] ? clone(loaded) : undefined;
  const src = v.source.trim();
  switch (v.type) {
    case 'hostPath':
      return { name, hostPath: { ...base?.hostPath, path: src } };
    case 'configMap':
      return { name, configMap: { ...base?.configMap, name: src } };
    case 'secret':
      return { name, secret: { ...base?.secret, secretName: src } };
    case 'emptyDir': {
      const e = { ...base?.emptyDir };
      if (v.medium) e.medium = v.medium;
      else delete e.medium;
      return { name, emptyDir: e };
    }
    case 'persistentVolumeClaim':
      return { name, persistentVolumeClaim: { ...base?.persistentVolumeClaim, claimName: src } };
    case 'nfs':
      return { name, nfs: { ...base?.nfs, server: v.server.trim(), path: src } };
  }
}

/**
 * Assigns pod volume names to every mount entry: an entry's own name when it is free or names
 * the same source; otherwise a generated "<kind>-<n>", shared by entries with the same source.
 */
function assignVolumeNames(form: JobForm, order: number[]): { names: Map<number, string[]>; volumes: { name: string; entry: VolumeMountForm; fp: FormPath }[] } {
  const taken = new Set(form.otherVolumes.map((v) => v.name));
  const byName = new Map<string, string>(); // name → identity
  const byIdentity = new Map<string, string>(); // identity → generated name
  const volumes: { name: string; entry: VolumeMountForm; fp: FormPath }[] = [];
  const names = new Map<number, string[]>();
  // Explicit names first, so generated ones never take them.
  for (const k of order) for (const v of form.containers[k].volumes) if (v.volumeName.trim()) taken.add(v.volumeName.trim());
  const counters: Partial<Record<VolumeType, number>> = {};
  for (const k of order) {
    const list: string[] = [];
    form.containers[k].volumes.forEach((v, m) => {
      const id = volumeIdentity(v);
      const own = v.volumeName.trim();
      let name: string;
      if (own && (!byName.has(own) || byName.get(own) === id)) name = own;
      else if (byIdentity.has(id)) name = byIdentity.get(id) as string;
      else {
        let n = counters[v.type] ?? 0;
        do n++;
        while (taken.has(`${VOLUME_NAME_PREFIX[v.type]}-${n}`));
        counters[v.type] = n;
        name = `${VOLUME_NAME_PREFIX[v.type]}-${n}`;
        taken.add(name);
      }
      if (!byName.has(name)) {
        byName.set(name, id);
        volumes.push({ name, entry: v, fp: ['containers', k, 'volumes', m] });
      }
      if (!byIdentity.has(id)) byIdentity.set(id, name);
      list.push(name);
    });
    names.set(k, list);
  }
  return { names, volumes };
}

/** Builds the Job and the map from its field paths back to form fields. */
export function buildJob(form: JobForm): JobBuild {
  const b = new Builder();
  const extra = clone(form.extra) ?? ({ metadata: {}, spec: { template: { spec: { containers: [] } } } } as unknown as Job);
  const name = form.name.trim();
  const labels: Record<string, string> = {};
  if (name) labels.app = name;
  Object.assign(labels, kvRecord(form.labels));

  const { name: _n, namespace: _ns, labels: _lb, ...metaRest } = extra.metadata ?? {};
  const metadata: Job['metadata'] = { name, namespace: form.namespace.trim() };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  Object.assign(metadata, metaRest);
  b.map('metadata.name', ['name']);
  b.map('metadata.generateName', ['name']);
  b.map('metadata.namespace', ['namespace']);
  b.map('metadata.labels', ['labels']);
  b.map('spec.template.metadata.labels', ['labels']);

  const { completions: _c, parallelism: _p, activeDeadlineSeconds: _a, backoffLimit: _b, template: extraTemplate, ...specRest } = extra.spec ?? ({} as Job['spec']);
  const spec = {} as Job['spec'];
  put(spec, 'completions', form.completions ?? undefined);
  put(spec, 'parallelism', form.parallelism ?? undefined);
  put(spec, 'activeDeadlineSeconds', form.activeDeadlineSeconds ?? undefined);
  put(spec, 'backoffLimit', form.backoffLimit ?? undefined);
  for (const k of ['completions', 'parallelism', 'activeDeadlineSeconds', 'backoffLimit']) b.map(`spec.${k}`, [k]);
  Object.assign(spec, specRest);

  // Init containers first (their order among themselves kept), then app containers.
  const initIdx = form.containers.map((c, k) => (c.init ? k : -1)).filter((k) => k >= 0);
  const appIdx = form.containers.map((c, k) => (c.init ? -1 : k)).filter((k) => k >= 0);
  const { names, volumes } = assignVolumeNames(form, [...initIdx, ...appIdx]);
  const initContainers = initIdx.map((k, i) => b.container(form.containers[k], k, `spec.template.spec.initContainers[${i}]`, names.get(k) ?? []));
  const containers = appIdx.map((k, i) => b.container(form.containers[k], k, `spec.template.spec.containers[${i}]`, names.get(k) ?? []));
  b.map('spec.template.spec.containers', ['containers']);
  b.map('spec.template.spec.initContainers', ['containers']);

  const podVolumes: Volume[] = [];
  volumes.forEach(({ name: vname, entry, fp }, v) => {
    podVolumes.push(volumeFromMount(vname, entry, form.volumeExtras[vname]));
    const p = `spec.template.spec.volumes[${v}]`;
    b.map(p, fp);
    b.map(`${p}.name`, [...fp, 'volumeName']);
    b.map(`${p}.${VOLUME_SOURCE_FIELD[entry.type]}`, [...fp, 'source']);
    if (entry.type === 'nfs') b.map(`${p}.nfs.server`, [...fp, 'server']);
    if (entry.type === 'emptyDir') b.map(`${p}.emptyDir.medium`, [...fp, 'medium']);
  });
  podVolumes.push(...clone(form.otherVolumes));

  const tmplMeta = clone(extraTemplate?.metadata) ?? {};
  const tmplLabels = { ...(tmplMeta.labels ?? {}), ...labels };
  const templateMetadata = { ...tmplMeta };
  if (Object.keys(tmplLabels).length > 0) templateMetadata.labels = tmplLabels;
  else delete templateMetadata.labels;

  const { containers: _ec, initContainers: _ei, volumes: _ev, imagePullSecrets: _es, restartPolicy: _er, ...podRest } = clone(extraTemplate?.spec) ?? ({} as Job['spec']['template']['spec']);
  const podSpec = {} as Job['spec']['template']['spec'];
  if (initContainers.length > 0) podSpec.initContainers = initContainers;
  podSpec.containers = containers;
  podSpec.restartPolicy = form.restartPolicy;
  b.map('spec.template.spec.restartPolicy', ['restartPolicy']);
  const secrets = form.imagePullSecrets.map((s) => s.trim()).filter((s) => s !== '');
  if (secrets.length > 0) podSpec.imagePullSecrets = secrets.map((s) => ({ name: s }));
  b.map('spec.template.spec.imagePullSecrets', ['imagePullSecrets']);
  if (podVolumes.length > 0) podSpec.volumes = podVolumes;
  Object.assign(podSpec, podRest);

  spec.template = { metadata: templateMetadata, spec: podSpec };
  if (Object.keys(templateMetadata).length === 0) delete (spec.template as { metadata?: unknown }).metadata;

  const { apiVersion: _av, kind: _k, metadata: _m, spec: _s, status: _st, ...topRest } = extra;
  const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata, spec, ...topRest };
  return { job, fieldMap: b.fieldMap };
}

/** The Job the form describes. */
export function formToJob(form: JobForm): Job {
  return buildJob(form).job;
}
