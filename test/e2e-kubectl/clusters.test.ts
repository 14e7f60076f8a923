// Deploy targets with two real jobyard servers: `here` adds `there` as cluster "remote" with
// `jobyard clusters add`, and kubectl, pointed at here's /clusters/remote with here's own
// kubeconfig, runs a Job on there: apply, wait (a watch through the proxy), logs, errors as
// the cluster wrote them. A cluster that goes down is reported, and a removed one is gone.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, type ClusterList } from '../../api/index.js';
import { apiRequest } from '../support/api.js';
import { JobyardServer, REPO_ROOT } from '../support/jobyard-server.js';
import { JOBYARD_CLI } from '../support/jobyard-command.js';

let here: JobyardServer;
let there: JobyardServer;
let viaHere: string;
const tmp = mkdtempSync(join(tmpdir(), 'jobyard-clusters-e2e-'));

function jobyard(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...JOBYARD_CLI, ...args], { cwd: REPO_ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** kubectl with a kubeconfig file; stdout, or a thrown error with stderr. */
async function kubectl(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const r = await here.kubectl(['--kubeconfig', kubeconfig, ...args], input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function kubectlFails(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const r = await here.kubectl(['--kubeconfig', kubeconfig, ...args], input);
  expect(r.code).not.toBe(0);
  return r.stderr;
}

beforeAll(async () => {
  [here, there] = await Promise.all([JobyardServer.start(), JobyardServer.start()]);
  // here's own kubeconfig (its CA, its token), aimed at its proxy for "remote".
  viaHere = join(tmp, 'via-here.kubeconfig');
  writeFileSync(viaHere, readFileSync(here.kubeconfig, 'utf8').replace(/server: (https:\/\/[^\s]+)/, 'server: $1/clusters/remote'), { mode: 0o600 });
});

afterAll(async () => {
  await here?.stop();
  await there?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  completions: 2
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.36
        command: ["/bin/busybox", "sh", "-c", "echo hello from $(hostname)"]
`;

describe('clusters as deploy targets', () => {
  it('adds a cluster from its kubeconfig and lists it as reachable', async () => {
    const add = await jobyard(['clusters', 'add', 'remote', there.kubeconfig, '--kubeconfig', here.kubeconfig]);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(/^cluster\/remote added: https:\/\/127\.0\.0\.1:\d+ \(reachable, v1\.32\.0-jobyard\.[\d.]+\)\n$/);
    const again = await jobyard(['clusters', 'add', 'remote', there.kubeconfig, '--kubeconfig', here.kubeconfig]);
    expect(again).toMatchObject({ code: 1, stderr: 'jobyard: clusters.clusters.jobyard.io "remote" already exists\n' });

    const list = JSON.parse((await jobyard(['clusters', 'list', '-o', 'json', '--kubeconfig', here.kubeconfig])).stdout) as ClusterList;
    expect(list.items.map((c: Cluster) => [c.metadata.name, c.spec.server, c.status?.reachable])).toEqual([
      ['local', `https://127.0.0.1:${here.port}`, true],
      ['remote', `https://127.0.0.1:${there.port}`, true],
    ]);
    // The token of the added cluster is never shown.
    const thereToken = readFileSync(join(there.dataDir, 'token'), 'utf8').trim();
    expect(JSON.stringify(list)).not.toContain(thereToken);
    expect((await apiRequest(here, 'GET', '/clusters/remote')).body).not.toContain(thereToken);
  });

  it('runs a Job on the added cluster through kubectl aimed at this server: apply, wait, logs', async () => {
    expect(await kubectl(viaHere, ['apply', '-f', '-'], job)).toBe('job.batch/hello created\n');
    // `kubectl wait` watches the Job through the proxy until it completes on the other server.
    expect(await kubectl(viaHere, ['wait', '--for=condition=complete', 'job/hello', '--timeout=120s'])).toBe('job.batch/hello condition met\n');
    const pods = JSON.parse(await kubectl(viaHere, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=hello', '-o', 'json'])).items as { metadata: { name: string } }[];
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(await kubectl(viaHere, ['logs', p.metadata.name])).toBe(`hello from ${p.metadata.name}\n`);
    // It ran there, not here.
    expect(await kubectl(there.kubeconfig, ['get', 'job', 'hello', '-o', 'jsonpath={.status.succeeded}'])).toBe('2');
    expect(await kubectlFails(here.kubeconfig, ['get', 'job', 'hello'])).toContain('jobs.batch "hello" not found');
    // The table kubectl prints comes from the cluster (server-side printing).
    expect((await kubectl(viaHere, ['get', 'jobs'])).split('\n')[0].split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
  });

  it('runs kubectl exec in a pod of the added cluster, the WebSocket passed through the proxy', async () => {
    await kubectl(viaHere, ['run', 'shell', '--image=busybox:1.36', '--restart=Never', '--', '/bin/busybox', 'sleep', '3600']);
    await kubectl(viaHere, ['wait', '--for=condition=Ready', 'pod/shell', '--timeout=120s']);
    expect(await kubectl(viaHere, ['exec', '-i', 'shell', '--', '/bin/busybox', 'sh', '-c', 'hostname; tr a-z A-Z'], 'through the proxy\n')).toBe('shell\nTHROUGH THE PROXY\n');
    const r = await here.kubectl(['--kubeconfig', viaHere, 'exec', 'shell', '--', '/bin/busybox', 'sh', '-c', 'exit 5']);
    expect(r.code).toBe(5);
    // The cluster's own refusal comes back as it wrote it.
    expect(await kubectlFails(viaHere, ['exec', 'shell', '-c', 'nope', '--', 'true'])).toContain('container nope is not valid for pod shell');
  });

  it('passes the cluster’s own errors through unchanged', async () => {
    const bad = job.replace('name: hello', 'name: bad').replace('restartPolicy: Never', 'restartPolicy: Always');
    const stderr = await kubectlFails(viaHere, ['create', '-f', '-'], bad);
    expect(stderr).toContain('The Job "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    expect(await kubectlFails(there.kubeconfig, ['get', 'job', 'bad'])).toContain('jobs.batch "bad" not found');
  });

  it('reports a cluster that is down, and forgets a removed one', async () => {
    await there.stop();
    const list = JSON.parse((await jobyard(['clusters', 'list', '-o', 'json', '--kubeconfig', here.kubeconfig])).stdout) as ClusterList;
    const remote = list.items.find((c) => c.metadata.name === 'remote');
    expect(remote?.status).toMatchObject({ reachable: false, message: `cluster "remote" is unreachable: connect ECONNREFUSED 127.0.0.1:${there.port}` });
    expect(await kubectlFails(viaHere, ['get', 'jobs'])).toContain(`cluster "remote" is unreachable: connect ECONNREFUSED 127.0.0.1:${there.port}`);

    expect(await jobyard(['clusters', 'remove', 'remote', '--kubeconfig', here.kubeconfig])).toMatchObject({ code: 0, stdout: 'cluster/remote removed\n' });
    expect(await kubectlFails(viaHere, ['get', 'jobs'])).toContain('clusters.clusters.jobyard.io "remote" not found');
    expect((await jobyard(['clusters', 'list', '--kubeconfig', here.kubeconfig])).stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'local']);
  });
});
