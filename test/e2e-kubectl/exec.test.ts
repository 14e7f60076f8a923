// kubectl exec and kubectl cp against a real `jobyard server` whose node agent runs the pod
// as a Docker container: kubectl's own WebSocket executor, the real engine's exec.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
let scratch: string;
const POD = 'toolbox';

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

beforeAll(async () => {
  server = await JobyardServer.start();
  scratch = mkdtempSync(join(tmpdir(), 'jobyard-e2e-exec-'));
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD },
    spec: {
      restartPolicy: 'Never',
      containers: [
        { name: 'main', image: 'busybox:latest', command: ['sleep', '3600'] },
        { name: 'side', image: 'busybox:latest', command: ['sh', '-c', 'echo side > /tmp/who; sleep 3600'] },
      ],
    },
  };
  await ok(['apply', '-f', '-'], YAML.stringify(pod));
  await ok(['wait', '--for=condition=Ready', `pod/${POD}`, '--timeout=120s']);
});

afterAll(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('kubectl exec', () => {
  it('runs a command: stdout and stderr apart, and the exit code becomes kubectl’s', async () => {
    const r = await server.kubectl(['exec', POD, '-c', 'main', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toContain('err\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
    expect(r.code).toBe(3);
  });

  it('passes stdin through with -i, and ends it when kubectl’s input ends', async () => {
    expect(await ok(['exec', '-i', POD, '-c', 'main', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], 'hello jobyard\n')).toBe('HELLO JOBYARD\ndone\n');
  });

  it('runs in the container named by -c', async () => {
    expect(await ok(['exec', POD, '-c', 'side', '--', 'cat', '/tmp/who'])).toBe('side\n');
  });

  it('gives a terminal with -t', async () => {
    // `script` gives kubectl a terminal of its own, so that -t is honoured.
    const command = `kubectl --kubeconfig ${server.kubeconfig} exec -it ${POD} -c main -- sh -c 'tty; echo in-tty'`;
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { timeout: 60_000 });
    expect(stdout).toMatch(/\/dev\/pts\/\d+\r?\n/);
    expect(stdout).toContain('in-tty');
  });

  it('says why it cannot exec into a container that is not there', async () => {
    const r = await server.kubectl(['exec', POD, '-c', 'nope', '--', 'true']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('container nope is not valid for pod toolbox');
  });
});

describe('kubectl attach and kubectl run -i', () => {
  it('runs a pod with kubectl run -i --rm: stdin reaches its main process, its output comes back, the pod is deleted', async () => {
    const r = await server.kubectl(['run', 'upper', '-i', '--rm', '--restart=Never', '--image=busybox:latest', '--', 'sh', '-c', 'tr a-z A-Z'], 'from kubectl run\n');
    expect(r.stderr).not.toContain('error');
    expect(r.stdout).toContain('FROM KUBECTL RUN\n');
    expect(r.stdout).toContain('pod "upper" deleted');
    expect(r.code).toBe(0);
  });

  it('attaches to a running pod’s terminal with kubectl attach -it', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'console' }, spec: { restartPolicy: 'Never', containers: [{ name: 'sh', image: 'busybox:latest', command: ['sh'], stdin: true, tty: true }] } };
    await ok(['apply', '-f', '-'], YAML.stringify(pod));
    await ok(['wait', '--for=condition=Ready', 'pod/console', '--timeout=120s']);
    // `script` gives kubectl a terminal, and types into it what is written to script's stdin
    // once kubectl says it is attached.
    const session = spawn('script', ['-qec', `kubectl --kubeconfig ${server.kubeconfig} attach -it console`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    const attached = new Promise<void>((resolve) =>
      session.stdout.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('try pressing enter')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => session.once('exit', resolve));
    await attached;
    session.stdin.write('echo attached-$((40+2)); exit 3\r');
    await exited;
    expect(seen).toContain('attached-42');
    await ok(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/console', '--timeout=60s']);
    expect(await ok(['get', 'pod', 'console', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}'])).toBe('3');
  });
});

describe('kubectl cp', () => {
  it('copies a binary file into the pod and back out unchanged', async () => {
    const original = randomBytes(3 * 1024 * 1024 + 17);
    const local = join(scratch, 'data.bin');
    writeFileSync(local, original);
    await ok(['cp', local, `${POD}:/tmp/data.bin`, '-c', 'main']);
    expect((await ok(['exec', POD, '-c', 'main', '--', 'wc', '-c', '/tmp/data.bin'])).trim()).toBe(`${original.length} /tmp/data.bin`);
    const back = join(scratch, 'back.bin');
    await ok(['cp', `${POD}:/tmp/data.bin`, back, '-c', 'main']);
    expect(readFileSync(back).equals(original)).toBe(true);
  });
});
