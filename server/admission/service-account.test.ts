import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/index.js';
import { StatusError } from '../../machinery/index.js';
import { ServiceAccountAdmission, tokenVolumeSource } from './service-account.js';
import type { AdmissionAttributes } from './types.js';

const accounts = new Map<string, KubeObject>([
  ['ns/default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'ns' } }],
  ['ns/quiet', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'ns' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'regcred' }] }],
]);
const plugin = new ServiceAccountAdmission({ getServiceAccount: (ns, name) => accounts.get(`${ns}/${name}`) });

function admit(spec: Partial<Pod['spec']>, extra: Partial<AdmissionAttributes> = {}): Pod {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } } as unknown as Pod;
  plugin.admit({ operation: 'CREATE', group: '', resource: 'pods', kind: 'Pod', subresource: '', namespace: 'ns', name: 'p', object: pod as unknown as KubeObject, dryRun: false, ...extra });
  return pod;
}

describe('ServiceAccount admission', () => {
  it('defaults serviceAccountName and mounts the kube-api-access volume read-only in every container', () => {
    const pod = admit({ initContainers: [{ name: 'i', image: 'busybox' }] });
    expect(pod.spec.serviceAccountName).toBe('default');
    const volume = pod.spec.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!;
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected).toEqual(tokenVolumeSource());
    expect(volume.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...pod.spec.initContainers!, ...pod.spec.containers]) {
      expect(c.volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    }
  });

  it('leaves a container that mounts something there, and mounts nothing when automount is off (pod or account)', () => {
    const own = admit({ volumes: [{ name: 'mine', emptyDir: {} }], containers: [{ name: 'c', image: 'b', volumeMounts: [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] });
    expect(own.spec.volumes!.map((v) => v.name)).toEqual(['mine']);
    const off = admit({ automountServiceAccountToken: false } as Partial<Pod['spec']>);
    expect(off.spec.volumes).toBeUndefined();
    const quiet = admit({ serviceAccountName: 'quiet' });
    expect(quiet.spec.volumes).toBeUndefined();
    // The pod's own setting wins over the account's.
    const on = admit({ serviceAccountName: 'quiet', automountServiceAccountToken: true } as Partial<Pod['spec']>);
    expect(on.spec.volumes?.[0]?.name).toMatch(/^kube-api-access-/);
    expect(quiet.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(admit({ serviceAccountName: 'quiet', imagePullSecrets: [{ name: 'own' }] }).spec.imagePullSecrets).toEqual([{ name: 'own' }]);
  });

  it("refuses a pod whose ServiceAccount does not exist with upstream's Forbidden", () => {
    let err: unknown;
    try {
      admit({ serviceAccountName: 'ghost' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "p" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found',
    });
  });

  it('touches only pod creation', () => {
    const pod = admit({}, { operation: 'UPDATE' });
    expect(pod.spec.serviceAccountName).toBeUndefined();
    const status = admit({}, { subresource: 'status' });
    expect(status.spec.volumes).toBeUndefined();
  });
});
