// Every Pod Security check, allowed and forbidden, with upstream's exact reasons and details
// (the expected strings are those of k8s.io/pod-security-admission's policy package).
import { describe, expect, it } from 'vitest';
import * as b from './checks-baseline.js';
import * as r from './checks-restricted.js';
import { checksFor, evaluatePod, forbiddenDetail } from './evaluator.js';
import type { ContainerView, PodMetaView, PodSpecView } from './pod-view.js';

const ctx: b.CheckContext = { hostPathAllowed: (p) => p === '/srv/data' || p.startsWith('/srv/data/') };
const c = (name: string, extra: Partial<ContainerView> = {}): ContainerView => ({ name, image: 'busybox', ...extra });
const run = (check: b.Check, spec: PodSpecView, meta: PodMetaView = {}) => check.check(meta, spec, ctx);
const ok = { allowed: true };
const no = (reason: string, detail: string) => ({ allowed: false, reason, detail });

describe('baseline checks', () => {
  it('privileged', () => {
    expect(run(b.privileged, { containers: [c('main', { securityContext: { privileged: false } })] })).toEqual(ok);
    expect(run(b.privileged, { containers: [c('main', { securityContext: { privileged: true } })] })).toEqual(
      no('privileged', 'container "main" must not set securityContext.privileged=true'),
    );
    expect(
      run(b.privileged, {
        initContainers: [c('init', { securityContext: { privileged: true } })],
        containers: [c('a', { securityContext: { privileged: true } })],
      }),
    ).toEqual(no('privileged', 'containers "init", "a" must not set securityContext.privileged=true'));
  });

  it('hostNamespaces', () => {
    expect(run(b.hostNamespaces, { hostNetwork: false, containers: [c('a')] })).toEqual(ok);
    expect(run(b.hostNamespaces, { hostNetwork: true, hostPID: true, hostIPC: true, containers: [c('a')] })).toEqual(
      no('host namespaces', 'hostNetwork=true, hostPID=true, hostIPC=true'),
    );
    expect(run(b.hostNamespaces, { hostPID: true, containers: [c('a')] })).toEqual(no('host namespaces', 'hostPID=true'));
  });

  it('capabilities_baseline: only the default set may be added', () => {
    expect(run(b.capabilitiesBaseline, { containers: [c('a', { securityContext: { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'], drop: ['ALL'] } } })] })).toEqual(ok);
    expect(
      run(b.capabilitiesBaseline, {
        containers: [c('a', { securityContext: { capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] } } }), c('b', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })],
      }),
    ).toEqual(no('non-default capabilities', 'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add'));
  });

  it('hostPathVolumes: upstream forbids all; jobyard passes those under an allowed directory', () => {
    expect(run(b.hostPathVolumes, { volumes: [{ name: 'd', hostPath: { path: '/srv/data/x' } }, { name: 'e', emptyDir: {} }] })).toEqual(ok);
    expect(run(b.hostPathVolumes, { volumes: [{ name: 'root', hostPath: { path: '/' } }] })).toEqual(no('hostPath volumes', 'volume "root"'));
    expect(run(b.hostPathVolumes, { volumes: [{ name: 'a', hostPath: { path: '/etc' } }, { name: 'b', hostPath: { path: '/srv/database' } }] })).toEqual(
      no('hostPath volumes', 'volumes "a", "b"'),
    );
  });

  it('hostPorts', () => {
    expect(run(b.hostPorts, { containers: [c('a', { ports: [{ hostPort: 0 }] })] })).toEqual(ok);
    expect(run(b.hostPorts, { containers: [c('a', { ports: [{ hostPort: 8080 }] })] })).toEqual(no('hostPort', 'container "a" uses hostPort 8080'));
    expect(run(b.hostPorts, { containers: [c('a', { ports: [{ hostPort: 9090 }, { hostPort: 8080 }] }), c('b', { ports: [{ hostPort: 8080 }] })] })).toEqual(
      no('hostPort', 'containers "a", "b" use hostPorts 8080, 9090'),
    );
  });

  it('hostProbesAndHostLifecycle', () => {
    expect(run(b.hostProbesAndHostLifecycle, { containers: [c('a', { livenessProbe: { httpGet: { host: '' } } })] })).toEqual(ok);
    expect(
      run(b.hostProbesAndHostLifecycle, {
        containers: [c('a', { livenessProbe: { httpGet: { host: '10.0.0.1' } }, lifecycle: { preStop: { tcpSocket: { host: 'example.com' } } } })],
      }),
    ).toEqual(no('probe or lifecycle host', 'container "a" uses probe or lifecycle hosts "10.0.0.1", "example.com"'));
  });

  it('appArmorProfile: fields and annotations', () => {
    expect(run(b.appArmorProfile, { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('a', { securityContext: { appArmorProfile: { type: 'Localhost' } } })] })).toEqual(ok);
    expect(run(b.appArmorProfile, { containers: [c('a')] }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'localhost/prof' } })).toEqual(ok);
    expect(run(b.appArmorProfile, { containers: [c('main', { securityContext: { appArmorProfile: { type: 'Unconfined' } } })] })).toEqual(
      no('forbidden AppArmor profile', 'container "main" must not set AppArmor profile type to "Unconfined"'),
    );
    expect(
      run(
        b.appArmorProfile,
        { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [c('a')] },
        { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } },
      ),
    ).toEqual(
      no(
        'forbidden AppArmor profiles',
        'pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined""',
      ),
    );
  });

  it('seLinuxOptions', () => {
    expect(run(b.seLinuxOptions, { containers: [c('a', { securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c1' } } })] })).toEqual(ok);
    expect(run(b.seLinuxOptions, { containers: [c('main', { securityContext: { seLinuxOptions: { type: 'spc_t' } } })] })).toEqual(
      no('seLinuxOptions', 'container "main" set forbidden securityContext.seLinuxOptions: type "spc_t"'),
    );
    expect(run(b.seLinuxOptions, { securityContext: { seLinuxOptions: { user: 'root', role: 'sysadm_r' } }, containers: [c('a', { securityContext: { seLinuxOptions: { type: 'x' } } })] })).toEqual(
      no('seLinuxOptions', 'pod and container "a" set forbidden securityContext.seLinuxOptions: type "x"; user may not be set; role may not be set'),
    );
  });

  it('procMount', () => {
    expect(run(b.procMount, { containers: [c('a', { securityContext: { procMount: 'Default' } })] })).toEqual(ok);
    expect(run(b.procMount, { containers: [c('main', { securityContext: { procMount: 'Unmasked' } })] })).toEqual(
      no('procMount', 'container "main" must not set securityContext.procMount to "Unmasked"'),
    );
  });

  it('seccompProfile_baseline', () => {
    expect(run(b.seccompProfileBaseline, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a')] })).toEqual(ok);
    expect(run(b.seccompProfileBaseline, { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('main', { securityContext: { seccompProfile: { type: 'Unconfined' } } })] })).toEqual(
      no('seccompProfile', 'pod and container "main" must not set securityContext.seccompProfile.type to "Unconfined"'),
    );
  });

  it('sysctls: only the safe set', () => {
    expect(run(b.sysctls, { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] }, containers: [c('a')] })).toEqual(ok);
    expect(run(b.sysctls, { securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.ipv4.ip_forward' }] }, containers: [c('a')] })).toEqual(
      no('forbidden sysctls', 'kernel.msgmax, net.ipv4.ip_forward'),
    );
  });

  it('windowsHostProcess', () => {
    expect(run(b.windowsHostProcess, { containers: [c('a', { securityContext: { windowsOptions: { hostProcess: false } } })] })).toEqual(ok);
    expect(run(b.windowsHostProcess, { securityContext: { windowsOptions: { hostProcess: true } }, containers: [c('a', { securityContext: { windowsOptions: { hostProcess: true } } })] })).toEqual(
      no('hostProcess', 'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true'),
    );
  });
});

const compliant = (name = 'main'): ContainerView =>
  c(name, { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } });

describe('restricted checks', () => {
  it('allowPrivilegeEscalation', () => {
    expect(run(r.allowPrivilegeEscalation, { containers: [compliant()] })).toEqual(ok);
    expect(run(r.allowPrivilegeEscalation, { containers: [c('a'), c('b', { securityContext: { allowPrivilegeEscalation: true } })] })).toEqual(
      no('allowPrivilegeEscalation != false', 'containers "a", "b" must set securityContext.allowPrivilegeEscalation=false'),
    );
  });

  it('capabilities_restricted', () => {
    expect(run(r.capabilitiesRestricted, { containers: [c('a', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })] })).toEqual(ok);
    expect(run(r.capabilitiesRestricted, { containers: [c('a'), c('b', { securityContext: { capabilities: { drop: ['ALL'], add: ['CHOWN'] } } })] })).toEqual(
      no('unrestricted capabilities', 'container "a" must set securityContext.capabilities.drop=["ALL"]; container "b" must not include "CHOWN" in securityContext.capabilities.add'),
    );
  });

  it('restrictedVolumes', () => {
    expect(run(r.restrictedVolumes, { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'x' } }, { name: 'c', persistentVolumeClaim: { claimName: 'x' } }] })).toEqual(ok);
    expect(run(r.restrictedVolumes, { volumes: [{ name: 'h', hostPath: { path: '/srv/data' } }] })).toEqual(
      no('restricted volume types', 'volume "h" uses restricted volume type "hostPath"'),
    );
    expect(run(r.restrictedVolumes, { volumes: [{ name: 'h', hostPath: { path: '/x' } }, { name: 'n', nfs: { server: 's', path: '/' } }] })).toEqual(
      no('restricted volume types', 'volumes "h", "n" use restricted volume types "hostPath", "nfs"'),
    );
  });

  it('runAsNonRoot', () => {
    expect(run(r.runAsNonRoot, { securityContext: { runAsNonRoot: true }, containers: [c('a')] })).toEqual(ok);
    expect(run(r.runAsNonRoot, { containers: [c('a')] })).toEqual(no('runAsNonRoot != true', 'pod or container "a" must set securityContext.runAsNonRoot=true'));
    expect(run(r.runAsNonRoot, { securityContext: { runAsNonRoot: false }, containers: [c('a', { securityContext: { runAsNonRoot: false } })] })).toEqual(
      no('runAsNonRoot != true', 'pod and container "a" must not set securityContext.runAsNonRoot=false'),
    );
    // No user namespaces on jobyard's node: hostUsers false relaxes nothing.
    expect(run(r.runAsNonRoot, { containers: [c('a')], hostUsers: false } as PodSpecView).allowed).toBe(false);
  });

  it('runAsUser', () => {
    expect(run(r.runAsUser, { securityContext: { runAsUser: 1000 }, containers: [c('a')] })).toEqual(ok);
    expect(run(r.runAsUser, { securityContext: { runAsUser: 0 }, containers: [c('a', { securityContext: { runAsUser: 0 } })] })).toEqual(
      no('runAsUser=0', 'pod and container "a" must not set runAsUser=0'),
    );
  });

  it('seccompProfile_restricted', () => {
    expect(run(r.seccompProfileRestricted, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a')] })).toEqual(ok);
    expect(run(r.seccompProfileRestricted, { containers: [c('a')] })).toEqual(
      no('seccompProfile', 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'),
    );
    expect(run(r.seccompProfileRestricted, { containers: [c('a', { securityContext: { seccompProfile: { type: 'Unconfined' } } })] })).toEqual(
      no('seccompProfile', 'container "a" must not set securityContext.seccompProfile.type to "Unconfined"'),
    );
  });

  it('procMount_restricted never relaxes', () => {
    expect(run(r.procMountRestricted, { containers: [c('a', { securityContext: { procMount: 'Unmasked' } })] }).allowed).toBe(false);
  });
});

describe('evaluator', () => {
  it('runs nothing at privileged, baseline checks in ID order, restricted with the overridden ones replaced', () => {
    expect(checksFor('privileged')).toEqual([]);
    expect(checksFor('baseline').map((x) => x.id)).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
      'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
    ]);
    expect(checksFor('restricted').map((x) => x.id)).toEqual([
      'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    ]);
  });

  it('aggregates reasons with their details in order', () => {
    const spec: PodSpecView = { hostPID: true, containers: [c('main', { securityContext: { privileged: true } })] };
    const res = evaluatePod('baseline', {}, spec, ctx);
    expect(forbiddenDetail(res)).toBe('host namespaces (hostPID=true), privileged (container "main" must not set securityContext.privileged=true)');
    expect(evaluatePod('privileged', {}, spec, ctx).allowed).toBe(true);
  });

  it('a plain busybox pod passes baseline and fails restricted with upstream message', () => {
    const spec: PodSpecView = { containers: [c('main')] };
    expect(evaluatePod('baseline', {}, spec, ctx).allowed).toBe(true);
    expect(forbiddenDetail(evaluatePod('restricted', {}, spec, ctx))).toBe(
      'allowPrivilegeEscalation != false (container "main" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "main" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    expect(evaluatePod('restricted', {}, { containers: [compliant()] }, ctx).allowed).toBe(true);
  });
});
