// The restricted checks of the Pod Security Standards (upstream's latest versions, its words).
// Upstream exempts pods with spec.os.name "windows" from three of them; jobyard's node runs
// Linux containers whatever spec.os says, so it never does.
import { type Check, type CheckResult, procMountCheck, validSeccomp } from './checks-baseline.js';
import { type PodSpecView, joinQuote, pluralize, sortedSet, visitContainers } from './pod-view.js';

const ALLOWED: CheckResult = { allowed: true };
const forbid = (reason: string, detail: string): CheckResult => ({ allowed: false, reason, detail });
const containers = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

export const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  check(_meta, spec) {
    const bad: string[] = [];
    visitContainers(spec, (c) => {
      if (c.securityContext?.allowPrivilegeEscalation !== false) bad.push(c.name);
    });
    return bad.length ? forbid('allowPrivilegeEscalation != false', `${containers(bad)} must set securityContext.allowPrivilegeEscalation=false`) : ALLOWED;
  },
};

export const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  overrides: ['capabilities_baseline'],
  check(_meta, spec) {
    const missingDropAll: string[] = [];
    const adding: string[] = [];
    const caps = new Set<string>();
    visitContainers(spec, (c) => {
      const capabilities = c.securityContext?.capabilities;
      if (!capabilities) {
        missingDropAll.push(c.name);
        return;
      }
      if (!(capabilities.drop ?? []).includes('ALL')) missingDropAll.push(c.name);
      const forbidden = (capabilities.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
      forbidden.forEach((cap) => caps.add(cap));
      if (forbidden.length) adding.push(c.name);
    });
    const details: string[] = [];
    if (missingDropAll.length) details.push(`${containers(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
    if (adding.length) details.push(`${containers(adding)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
    return details.length ? forbid('unrestricted capabilities', details.join('; ')) : ALLOWED;
  },
};

export const procMountRestricted: Check = { id: 'procMount_restricted', level: 'restricted', overrides: ['procMount'], check: procMountCheck };

/** Inline volume sources restricted allows; the rest are named in the detail. */
const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUMES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

export const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  overrides: ['hostPathVolumes'],
  check(_meta, spec) {
    const bad: string[] = [];
    const types = new Set<string>();
    for (const v of spec.volumes ?? []) {
      const present = (k: string) => v[k] !== undefined && v[k] !== null;
      if (ALLOWED_VOLUMES.some(present)) continue;
      bad.push(v.name);
      types.add(RESTRICTED_VOLUMES.find(present) ?? 'unknown');
    }
    if (!bad.length) return ALLOWED;
    return forbid(
      'restricted volume types',
      `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote(sortedSet(types))}`,
    );
  },
};

/**
 * Upstream (1.35+) relaxes runAsNonRoot and runAsUser for hostUsers: false; jobyard's node
 * has no user namespaces, so root in the pod is root on the host and nothing is relaxed.
 */
export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  check(_meta, spec: PodSpecView) {
    const setters: string[] = [];
    let podRunAsNonRoot = false;
    const podValue = spec.securityContext?.runAsNonRoot;
    if (podValue === false) setters.push('pod');
    else if (podValue === true) podRunAsNonRoot = true;
    const explicit: string[] = [];
    const implicit: string[] = [];
    visitContainers(spec, (c) => {
      const v = c.securityContext?.runAsNonRoot;
      if (v === false) explicit.push(c.name);
      else if (v === undefined && !podRunAsNonRoot) implicit.push(c.name);
    });
    if (explicit.length) setters.push(containers(explicit));
    if (setters.length) return forbid('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
    if (implicit.length) return forbid('runAsNonRoot != true', `pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true`);
    return ALLOWED;
  },
};

export const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  check(_meta, spec) {
    const setters: string[] = [];
    if (spec.securityContext?.runAsUser === 0) setters.push('pod');
    const bad: string[] = [];
    visitContainers(spec, (c) => {
      if (c.securityContext?.runAsUser === 0) bad.push(c.name);
    });
    if (bad.length) setters.push(containers(bad));
    return setters.length ? forbid('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`) : ALLOWED;
  },
};

export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  overrides: ['seccompProfile_baseline'],
  check(_meta, spec) {
    const setters: string[] = [];
    const values = new Set<string>();
    let podSet = false;
    const pod = spec.securityContext?.seccompProfile;
    if (pod) {
      if (!validSeccomp(pod.type)) {
        setters.push('pod');
        values.add(pod.type ?? '');
      } else podSet = true;
    }
    const explicit: string[] = [];
    const implicit: string[] = [];
    visitContainers(spec, (c) => {
      const sp = c.securityContext?.seccompProfile;
      if (sp) {
        if (!validSeccomp(sp.type)) {
          explicit.push(c.name);
          values.add(sp.type ?? '');
        }
      } else if (!podSet) implicit.push(c.name);
    });
    if (explicit.length) setters.push(containers(explicit));
    if (setters.length) {
      return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`);
    }
    if (implicit.length) {
      return forbid('seccompProfile', `pod or ${containers(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    }
    return ALLOWED;
  },
};

export const RESTRICTED_CHECKS: Check[] = [
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
];
