// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount), on pod creation:
// spec.serviceAccountName defaults to "default"; that ServiceAccount must exist (else
// Forbidden: "error looking up service account NS/NAME: serviceaccount "NAME" not found");
// its imagePullSecrets are copied to a pod that has none; and, unless the pod or the account
// turns automountServiceAccountToken off, every container and init container that has nothing
// mounted at /var/run/secrets/kubernetes.io/serviceaccount gets the projected
// kube-api-access-<random> volume there (a bound token, the cluster CA, the namespace).
import type { Container, KubeObject, LocalObjectReference, Pod, ServiceAccount, Volume } from '../../api/index.js';
import { failureStatus, StatusError } from '../../machinery/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** upstream's WarnOnlyBoundTokenExpirationSeconds: the kube-api-access token's asked lifetime. */
export const KUBE_API_ACCESS_TOKEN_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** utilrand's alphabet (no vowels, no confusable digits). */
const RANDOM_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** upstream's TokenVolumeSource: token (3607 s), ca.crt from kube-root-ca.crt, namespace; mode 0644. */
export function tokenVolumeSource(): NonNullable<Volume['projected']> {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: KUBE_API_ACCESS_TOKEN_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += RANDOM_CHARS[Math.floor(Math.random() * RANDOM_CHARS.length)];
  return s;
}

export interface ServiceAccountAdmissionOptions {
  /** The stored ServiceAccount, or undefined. */
  getServiceAccount(namespace: string, name: string): KubeObject | undefined;
}

export class ServiceAccountAdmission implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  private readonly opts: ServiceAccountAdmissionOptions;

  constructor(opts: ServiceAccountAdmissionOptions) {
    this.opts = opts;
  }

  admit(attrs: AdmissionAttributes): void {
    if (attrs.operation !== 'CREATE' || attrs.group !== '' || attrs.resource !== 'pods' || attrs.subresource !== '') return;
    const pod = attrs.object as unknown as Pod;
    // Mirror pods (the kubelet's static pods) may not use service accounts; jobyard makes none.
    if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    // Mutating admission runs before validation: a pod without a spec is refused there (422), not here.
    const spec = pod.spec as Pod['spec'] | undefined;
    if (!spec || typeof spec !== 'object') return;
    if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
    const saName = spec.serviceAccountName;
    const sa = this.opts.getServiceAccount(attrs.namespace, saName) as (ServiceAccount & KubeObject) | undefined;
    if (!sa) {
      const why = `error looking up service account ${attrs.namespace}/${saName}: serviceaccount ${JSON.stringify(saName)} not found`;
      throw new StatusError(failureStatus(403, 'Forbidden', `pods ${JSON.stringify(attrs.name)} is forbidden: ${why}`, { name: attrs.name, kind: 'pods' }));
    }
    const podAutomount = (spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken;
    if (podAutomount ?? sa.automountServiceAccountToken ?? true) mountServiceAccountToken(pod);
    if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
      spec.imagePullSecrets = sa.imagePullSecrets.map((r: LocalObjectReference) => ({ name: r.name }));
    }
  }

  validate(): string[] {
    return [];
  }
}

/** upstream's mountServiceAccountToken: the kube-api-access volume, mounted read-only in every container lacking the path. */
export function mountServiceAccountToken(pod: Pod): void {
  const spec = pod.spec;
  // Not validated yet: a volume may lack its name, a container may be null (validation says so later).
  const existing = (spec.volumes ?? []).find((v) => typeof v?.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX));
  const volumeName = existing?.name ?? SERVICE_ACCOUNT_VOLUME_PREFIX + randomSuffix();
  let needsVolume = false;
  const mount = (c: Container | null) => {
    if (!c || typeof c !== 'object') return;
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) return;
    (c.volumeMounts ??= []).push({ name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH });
    needsVolume = true;
  };
  for (const c of spec.initContainers ?? []) mount(c);
  for (const c of spec.containers ?? []) mount(c);
  if (!existing && needsVolume) (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() });
}
