// The wizard's form model: what a person edits in its three steps (docs/product.md#the-wizard), one field per
// control. formToJob / jobToForm convert it to and from a batch/v1 Job; fields the form does not
// show travel unchanged in `extra` so that a YAML edit never loses them.
import type { ConcurrencyPolicy, CronJobSpec, Job } from '../../../../api/batch.js';
import type { Container, EnvVar, PullPolicy, Volume } from '../../../../api/core.js';
import type { ObjectMeta } from '../../../../api/meta.js';

export interface KeyValue {
  key: string;
  value: string;
}

/** CPU in whole millicores; `text` is the quantity as it was loaded, reused while it still means the same. */
export interface CpuForm {
  millicores: number | null;
  text?: string;
}

/** Memory as an amount and a unit (Mi, Gi, Ki; other suffixes kept when loaded from YAML). */
export interface MemoryForm {
  amount: number | null;
  unit: string;
}

export interface ResourceListForm {
  cpu: CpuForm;
  memory: MemoryForm;
}

export type EnvSource = 'value' | 'configMapKeyRef' | 'secretKeyRef' | 'raw';

export interface EnvForm {
  name: string;
  source: EnvSource;
  /** For source 'value'. */
  value: string;
  /** ConfigMap or Secret name, for the key references. */
  refName: string;
  refKey: string;
  /** For source 'raw': the valueFrom the form does not edit (fieldRef, resourceFieldRef), kept as loaded. */
  raw?: EnvVar;
}

export type ProbeType = 'httpGet' | 'tcpSocket' | 'exec';

export interface ProbeForm {
  enabled: boolean;
  type: ProbeType;
  /** '' = not set (the API default is HTTP). */
  scheme: 'HTTP' | 'HTTPS' | '';
  path: string;
  /** A port number (1–65535) or a named container port, for HTTP and TCP. */
  port: string;
  httpHeaders: { name: string; value: string }[];
  /** The command of an exec probe, as one shell-like line. */
  command: string;
  initialDelaySeconds: number | null;
  periodSeconds: number | null;
  timeoutSeconds: number | null;
  successThreshold: number | null;
  failureThreshold: number | null;
}

export type VolumeType = 'hostPath' | 'configMap' | 'secret' | 'emptyDir' | 'persistentVolumeClaim' | 'nfs';

/** One mount of the wizard's volume table: a source mounted at a container path. */
export interface VolumeMountForm {
  type: VolumeType;
  /** The pod volume's name; empty = generated. Mounts with the same name share one volume. */
  volumeName: string;
  /** hostPath path, configMap name, secret name, claim name, or NFS export path. */
  source: string;
  /** NFS server. */
  server: string;
  /** emptyDir medium: '' (node disk) or 'Memory' (tmpfs). */
  medium: '' | 'Memory';
  mountPath: string;
  subPath: string;
  readOnly: boolean;
}

/** A log collection setting of the log service: logstore ← stdout or file paths, plus tags. */
export interface LogConfigForm {
  logstore: string;
  /** 'stdout' or a file path inside the container, wildcards allowed ("/var/log/app/*.log"). */
  path: string;
  tags: KeyValue[];
}

export interface ContainerForm {
  name: string;
  /** Runs before the app containers, to completion (an init container). */
  init: boolean;
  /** The image name without tag ("busybox", "registry.example.com/team/app"). */
  image: string;
  tag: string;
  imagePullPolicy: PullPolicy | '';
  limits: ResourceListForm;
  requests: ResourceListForm;
  env: EnvForm[];
  livenessProbe: ProbeForm;
  readinessProbe: ProbeForm;
  stdin: boolean;
  tty: boolean;
  command: string;
  args: string;
  postStart: string;
  preStop: string;
  volumes: VolumeMountForm[];
  logs: LogConfigForm[];
  /** Container fields the form does not edit (ports, workingDir, securityContext...), kept as loaded. */
  extra: Partial<Container>;
}

export type RestartPolicyForm = 'Never' | 'OnFailure';

/** What the wizard creates: a Job, or a CronJob whose jobTemplate is that Job. */
export type WorkloadKind = 'Job' | 'CronJob';

export const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

/** CronJob fields the form does not edit (suspend, annotations, jobTemplate labels of its own...), kept as loaded. */
export interface CronJobExtra {
  metadata?: ObjectMeta;
  spec?: Partial<CronJobSpec>;
  [key: string]: unknown;
}

/** The schedule settings of step 1 when the type is CronJob (upstream's defaults: Allow, 3, 1). */
export interface CronForm {
  /** Cron syntax, five fields, or a descriptor (@daily). */
  schedule: string;
  /** An IANA time zone; '' = the controller's. */
  timeZone: string;
  concurrencyPolicy: ConcurrencyPolicy;
  startingDeadlineSeconds: number | null;
  successfulJobsHistoryLimit: number | null;
  failedJobsHistoryLimit: number | null;
  extra: CronJobExtra;
}

/** CronJob names are at most 52 characters: its Jobs add "-" and the scheduled minute (11 digits) within 63. */
export const MAX_CRONJOB_NAME_LENGTH = 52;
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

export function newCronForm(): CronForm {
  return {
    schedule: '',
    timeZone: '',
    concurrencyPolicy: 'Allow',
    startingDeadlineSeconds: null,
    successfulJobsHistoryLimit: DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
    failedJobsHistoryLimit: DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
    extra: {},
  };
}

export interface JobForm {
  /** Job (default) or CronJob: the rest of the form becomes the CronJob's jobTemplate. */
  kind: WorkloadKind;
  /** The application name: the Job's metadata.name and its `app` label. */
  name: string;
  /** The deploy cluster (not part of the Job). */
  cluster: string;
  namespace: string;
  /** Labels besides `app`. */
  labels: KeyValue[];
  containers: ContainerForm[];
  /** Secrets for pulling private images; they apply to the whole pod. */
  imagePullSecrets: string[];
  completions: number | null;
  parallelism: number | null;
  activeDeadlineSeconds: number | null;
  backoffLimit: number | null;
  restartPolicy: RestartPolicyForm;
  /** Everything of the Job the form does not edit, as loaded (annotations, ttlSecondsAfterFinished, nodeSelector...). */
  extra: Job;
  /** Pod volumes as loaded, by name: fields beyond the form's (items, defaultMode, hostPath type) survive edits. */
  volumeExtras: Record<string, Volume>;
  /** Pod volumes no form mount uses (or of kinds the form does not edit), kept as loaded. */
  otherVolumes: Volume[];
  /** The schedule settings, used when `kind` is CronJob (kept while the type is Job). */
  cron: CronForm;
}

/** The form's probe defaults (docs/product.md#health-checks): initial delay by kind, period 10, timeout 1, success 1, failure 3. */
export const PROBE_INITIAL_DELAY_SECONDS: Record<ProbeType, number> = { httpGet: 3, tcpSocket: 15, exec: 5 };
export const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;

/** A probe as the form pre-fills it (not enabled until the person ticks it). */
export function newProbeForm(type: ProbeType = 'httpGet'): ProbeForm {
  return {
    enabled: false,
    type,
    scheme: 'HTTP',
    path: '/',
    port: '',
    httpHeaders: [],
    command: '',
    initialDelaySeconds: PROBE_INITIAL_DELAY_SECONDS[type],
    ...PROBE_DEFAULTS,
  };
}

/**
 * Switches a probe's kind; an initial delay still at the old kind's default moves to the new
 * kind's default (HTTP 3 s, TCP 15 s, command 5 s), a delay the person typed stays.
 */
export function switchProbeType(p: ProbeForm, type: ProbeType): ProbeForm {
  const atDefault = p.initialDelaySeconds === null || p.initialDelaySeconds === PROBE_INITIAL_DELAY_SECONDS[p.type];
  return { ...p, type, initialDelaySeconds: atDefault ? PROBE_INITIAL_DELAY_SECONDS[type] : p.initialDelaySeconds };
}

export const emptyResources = (): ResourceListForm => ({ cpu: { millicores: null }, memory: { amount: null, unit: 'Mi' } });

export function newContainerForm(name: string, init = false): ContainerForm {
  return {
    name,
    init,
    image: '',
    tag: 'latest',
    imagePullPolicy: 'IfNotPresent',
    limits: emptyResources(),
    requests: emptyResources(),
    env: [],
    livenessProbe: newProbeForm(),
    readinessProbe: newProbeForm(),
    stdin: false,
    tty: false,
    command: '',
    args: '',
    postStart: '',
    preStop: '',
    volumes: [],
    logs: [],
    extra: {},
  };
}

export function newVolumeMountForm(type: VolumeType = 'hostPath'): VolumeMountForm {
  return { type, volumeName: '', source: '', server: '', medium: '', mountPath: '', subPath: '', readOnly: false };
}

export function newEnvForm(): EnvForm {
  return { name: '', source: 'value', value: '', refName: '', refKey: '' };
}

export function newLogConfigForm(): LogConfigForm {
  return { logstore: '', path: 'stdout', tags: [] };
}

/** An unused container name: container-0, container-1, ... */
export function nextContainerName(form: Pick<JobForm, 'containers'>, init = false): string {
  const prefix = init ? 'init' : 'container';
  const used = new Set(form.containers.map((c) => c.name));
  for (let i = 0; ; i++) if (!used.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

/** The wizard's starting point: the product's defaults (docs/product.md#job-settings; namespace default, completions 1, parallelism 1, backoffLimit 6, Never). */
export function newJobForm(): JobForm {
  return {
    kind: 'Job',
    name: '',
    cluster: 'local',
    namespace: 'default',
    labels: [],
    containers: [newContainerForm('container-0')],
    imagePullSecrets: [],
    completions: 1,
    parallelism: 1,
    activeDeadlineSeconds: null,
    backoffLimit: 6,
    restartPolicy: 'Never',
    extra: { apiVersion: 'batch/v1', kind: 'Job', metadata: {}, spec: { template: { spec: { containers: [] } } } },
    volumeExtras: {},
    otherVolumes: [],
    cron: newCronForm(),
  };
}
