// Hole 3 of docs/security.md: any client could create privileged pods, mount the host's / read-write,
// share its namespaces. Against a real server (no node agent): Pod Security admission
// enforces baseline in `default` with upstream's messages, `restricted` on a labelled
// namespace, nothing in kube-system; Jobs warn; hostPath only under --allow-host-path.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../support/api.js';
import { JobyardServer, REPO_ROOT } from '../support/jobyard-server.js';
import { JOBYARD_CLI } from '../support/jobyard-command.js';

let server: JobyardServer;
let allowed: string;

beforeAll(async () => {
  allowed = mkdtempSync(join(tmpdir(), 'jobyard-hostpath-'));
  server = await JobyardServer.start({ args: ['--no-agent', '--allow-host-path', allowed] });
  for (const [name, labels] of [
    ['strict', { 'pod-security.kubernetes.io/enforce': 'restricted' }],
    ['warned', { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'baseline' }],
    ['open', { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged' }],
  ] as const) {
    const r = await apiRequest(server, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
    expect(r.code).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (allowed) rmSync(allowed, { recursive: true, force: true });
});

type Spec = Record<string, unknown>;
const main = (extra: Spec = {}) => ({ name: 'main', image: 'busybox:1.36', command: ['sleep', '1'], ...extra });
const podBody = (name: string, spec: Spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [main()], ...spec } });
const createPod = (ns: string, name: string, spec: Spec, query = '') => apiRequest(server, 'POST', `/api/v1/namespaces/${ns}/pods${query}`, { body: podBody(name, spec) });
const getPod = (ns: string, name: string) => apiRequest(server, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`);
const warningsOf = (h: string | string[] | undefined) => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

/** Each baseline rule, in `default`, with upstream's forbidden detail. */
const BASELINE_CASES: [string, Spec, string][] = [
  ['privileged', { containers: [main({ securityContext: { privileged: true } })] }, 'privileged (container "main" must not set securityContext.privileged=true)'],
  ['hostnetwork', { hostNetwork: true }, 'host namespaces (hostNetwork=true)'],
  ['hostpid', { hostPID: true }, 'host namespaces (hostPID=true)'],
  ['hostipc', { hostIPC: true }, 'host namespaces (hostIPC=true)'],
  ['sysadmin', { containers: [main({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })] }, 'non-default capabilities (container "main" must not include "SYS_ADMIN" in securityContext.capabilities.add)'],
  ['hostport', { containers: [main({ ports: [{ containerPort: 80, hostPort: 8080 }] })] }, 'hostPort (container "main" uses hostPort 8080)'],
  ['selinux', { containers: [main({ securityContext: { seLinuxOptions: { type: 'spc_t' } } })] }, 'seLinuxOptions (container "main" set forbidden securityContext.seLinuxOptions: type "spc_t")'],
  ['apparmor', { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")'],
  ['seccomp', { containers: [main({ securityContext: { seccompProfile: { type: 'Unconfined' } } })] }, 'seccompProfile (container "main" must not set securityContext.seccompProfile.type to "Unconfined")'],
  ['procmount', { containers: [main({ securityContext: { procMount: 'Unmasked' } })] }, 'procMount (container "main" must not set securityContext.procMount to "Unmasked")'],
  ['sysctl', { securityContext: { sysctls: [{ name: 'kernel.core_pattern', value: '|/x' }] } }, 'forbidden sysctls (kernel.core_pattern)'],
];

describe('baseline is enforced in default', () => {
  it.each(BASELINE_CASES)('%s: 403 with upstream message, nothing stored', async (name, spec, detail) => {
    const r = await createPod('default', name, spec);
    expect(r.code).toBe(403);
    const status = r.json();
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, details: { name, kind: 'pods' } });
    expect(status.message).toBe(`pods "${name}" is forbidden: violates PodSecurity "baseline:latest": ${detail}`);
    expect((await getPod('default', name)).code).toBe(404);
  });

  it('kubectl prints the refusal as upstream does; a dry run is refused the same', async () => {
    const r = await server.kubectl(['run', 'priv', '--image=busybox:1.36', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'priv', image: 'busybox:1.36', securityContext: { privileged: true } }] } })]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "priv" must not set securityContext.privileged=true)');
    const dry = await createPod('default', 'dry', { hostPID: true }, '?dryRun=All');
    expect(dry.code).toBe(403);
  });

  it('audit mode: one line in the server log per violation, with names and reasons only', async () => {
    const lines = server
      .logs()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { logger?: string; msg: string });
    const audit = lines.filter((l) => l.logger === 'pod-security').map((l) => l.msg);
    expect(audit).toContain('PodSecurity audit: CREATE of pods "privileged" in namespace "default" would violate PodSecurity "baseline:latest": privileged');
    expect(audit).toContain('PodSecurity audit: CREATE of pods "sysctl" in namespace "default" would violate PodSecurity "baseline:latest": forbidden sysctls');
    expect(audit.join('\n')).not.toContain('core_pattern');
  });

  it('a plain pod is admitted without warnings', async () => {
    const r = await createPod('default', 'plain', {});
    expect(r.code).toBe(201);
    expect(warningsOf(r.headers.warning)).toEqual([]);
  });

  it('metadata-only and status updates of a stored pod are not refused', async () => {
    const labelled = await apiRequest(server, 'PATCH', '/api/v1/namespaces/default/pods/plain', {
      body: { metadata: { labels: { a: 'b' }, finalizers: ['example.com/x'] } },
      contentType: 'application/merge-patch+json',
    });
    expect(labelled.code).toBe(200);
    const status = await apiRequest(server, 'PATCH', '/api/v1/namespaces/default/pods/plain/status', {
      body: { status: { phase: 'Running' } },
      contentType: 'application/merge-patch+json',
    });
    expect(status.code).toBe(200);
    const freed = await apiRequest(server, 'PATCH', '/api/v1/namespaces/default/pods/plain', { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
    expect(freed.code).toBe(200);
  });
});

describe('hostPath: only under --allow-host-path, at every level', () => {
  const hostPath = (path: string) => ({ volumes: [{ name: 'data', hostPath: { path } }], containers: [main({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })] });

  it('a path under the allowed directory is admitted in default (baseline)', async () => {
    expect((await createPod('default', 'inside', hostPath(`${allowed}/sub/`))).code).toBe(201);
  });

  it('a path escaping it with .. is refused by validation first (422), as upstream', async () => {
    const r = await createPod('default', 'escape', hostPath(`${allowed}/../../etc`));
    expect(r.code).toBe(422);
    expect(r.json().message).toContain("spec.volumes[0].hostPath.path: Invalid value: \"" + allowed + "/../../etc\": must not contain '..'");
  });

  it.each([
    ['root', () => '/'],
    ['etc', () => '/etc'],
    ['lookalike', () => `${allowed}-other`],
  ])('%s is refused, naming the path and the allowed directories, even in a privileged namespace', async (name, pathOf) => {
    const path = pathOf();
    for (const ns of ['default', 'open']) {
      const r = await createPod(ns, name, hostPath(path));
      expect(r.code).toBe(403);
      expect(r.json().message).toMatch(new RegExp(`^pods "${name}" is forbidden: hostPath volume "data" \\(path "${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\) `));
      if (name !== 'root') expect(r.json().message).toContain(`is not under a directory allowed by --allow-host-path (allowed: "${allowed}")`);
      expect((await getPod(ns, name)).code).toBe(404);
    }
  });

  it("the engine's socket and jobyard's data directory are never mounted, whatever the list", async () => {
    const sock = await createPod('open', 'sock', hostPath('/var/run/docker.sock'));
    expect(sock.code).toBe(403);
    expect(sock.json().message).toContain("is inside /var/run/docker.sock, the container engine's socket: it is never mounted into a pod");
    const data = await createPod('open', 'data', hostPath(server.dataDir));
    expect(data.code).toBe(403);
    expect(data.json().message).toContain("jobyard's data directory");
  });

  it('restricted refuses every hostPath, as upstream', async () => {
    const r = await createPod('strict', 'hp', hostPath(allowed));
    expect(r.code).toBe(403);
    expect(r.json().message).toContain('restricted volume types (volume "data" uses restricted volume type "hostPath")');
  });
});

describe('namespace labels', () => {
  it('enforce: restricted refuses a plain busybox pod with upstream message and admits a compliant one', async () => {
    const r = await createPod('strict', 'plain', {});
    expect(r.code).toBe(403);
    expect(r.json().message).toBe(
      'pods "plain" is forbidden: violates PodSecurity "restricted:latest": ' +
        'allowPrivilegeEscalation != false (container "main" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "main" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    const ok = await createPod('strict', 'compliant', {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [main({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } })],
    });
    expect(ok.code).toBe(201);
  });

  it('kube-system is exempt: a privileged pod is admitted', async () => {
    const r = await createPod('kube-system', 'priv', { hostPID: true, containers: [main({ securityContext: { privileged: true } })] });
    expect(r.code).toBe(201);
  });

  it('a warn-only namespace admits and warns', async () => {
    const r = await createPod('warned', 'priv', { containers: [main({ securityContext: { privileged: true } })] });
    expect(r.code).toBe(201);
    expect(warningsOf(r.headers.warning)).toEqual([
      '299 - "would violate PodSecurity \\"baseline:latest\\": privileged (container \\"main\\" must not set securityContext.privileged=true)"',
    ]);
  });

  it('an invalid level is refused at namespace create and update with a 422 on metadata.labels', async () => {
    const r = await apiRequest(server, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'typo', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } } });
    expect(r.code).toBe(422);
    const status = r.json();
    expect(status.message).toBe('Namespace "typo" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
    expect(status.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "strict": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/enforce]' }]);
    const u = await server.kubectl(['label', 'namespace', 'open', 'pod-security.kubernetes.io/warn-version=1.30', '--overwrite']);
    expect(u.code).not.toBe(0);
    expect(u.stderr).toContain('must be "latest" or "v1.x"');
  });

  it('raising a namespace to restricted warns about the pods already there', async () => {
    const r = await server.kubectl(['label', 'namespace', 'warned', 'pod-security.kubernetes.io/enforce=restricted', '--overwrite']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: existing pods in namespace "warned" violate the new PodSecurity enforce level "restricted:latest"');
    expect(r.stderr).toContain('Warning: priv: privileged, allowPrivilegeEscalation != false');
  });
});

describe('Jobs and CronJobs: warnings, never refusals', () => {
  it('a Job with a privileged template is created (201) with the warning kubectl prints', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'priv', namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [main({ securityContext: { privileged: true } })] } } },
    };
    const r = await server.kubectl(['create', '-f', '-'], JSON.stringify(job));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: would violate PodSecurity "baseline:latest": privileged (container "main" must not set securityContext.privileged=true)');
    expect((await apiRequest(server, 'GET', '/apis/batch/v1/namespaces/default/jobs/priv')).code).toBe(200);
  });

  it('a CronJob with a hostPID template warns the same way', async () => {
    const r = await apiRequest(server, 'POST', '/apis/batch/v1/namespaces/default/cronjobs', {
      body: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'pid' },
        spec: { schedule: '0 0 1 1 *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', hostPID: true, containers: [main()] } } } } },
      },
    });
    expect(r.code).toBe(201);
    expect(warningsOf(r.headers.warning)).toEqual(['299 - "would violate PodSecurity \\"baseline:latest\\": host namespaces (hostPID=true)"']);
  });
});

describe('--pod-security-default', () => {
  it('refuses an unknown level before starting', async () => {
    const run = promisify(execFile);
    const err = await run(process.execPath, [...JOBYARD_CLI, 'server', '--pod-security-default', 'strict'], { cwd: REPO_ROOT }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toContain("option '--pod-security-default <level>' argument 'strict' is invalid. must be one of privileged, baseline, restricted");
  });
});
