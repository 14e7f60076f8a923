// Debian's python3-kubernetes (scripts/setup.sh installs it) against a real `jobyard server`
// whose node agent runs pods as Docker containers: real Python scripts (fixtures/python/), the
// kubeconfig jobyard writes loaded with load_kube_config (TLS verified with its CA). The client
// sends its booleans as `True`/`False`: watches, follow and exec work only if the server reads
// them as upstream does.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'python');
// Debian's package is installed for Debian's interpreter, whatever else `python3` may be on PATH.
const PYTHON = '/usr/bin/python3';
const IMAGE = 'busybox:latest';
const NS = 'default';

let server: JobyardServer;
let scratch: string;

type Line = Record<string, unknown> & { step: string };

/** A running script: its JSON lines as they come, and its end. */
class PythonScript {
  readonly lines: Line[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = '';
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;

  constructor(script: string, args: string[]) {
    this.child = spawn(PYTHON, [join(FIXTURES, script), ...args], {
      env: { ...process.env, KUBECONFIG: server.kubeconfig, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop()!;
      for (const p of parts.filter(Boolean)) this.lines.push(JSON.parse(p) as Line);
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
    void this.exited.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Waits for a line matching `match` (the script's stderr in the error if it ends first). */
  async waitFor(match: (l: Line) => boolean, what: string): Promise<Line> {
    let ended = false;
    void this.exited.then(() => (ended = true));
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (ended || this.child.exitCode !== null) throw new Error(`${what}: the script ended without it\nstdout: ${JSON.stringify(this.lines)}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the end; throws with stderr unless it exited 0. */
  async finish(): Promise<Line[]> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`python exited ${code}\nstdout: ${JSON.stringify(this.lines)}\nstderr: ${this.stderr}`);
    return this.lines;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function runPod(name: string, script: string): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script] }] },
  };
  await kubectl(['apply', '-f', '-'], YAML.stringify(pod));
  await kubectl(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=120s']);
}

beforeAll(async () => {
  const check = spawn(PYTHON, ['-c', 'import kubernetes, kubernetes.dynamic, kubernetes.stream'], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => check.once('exit', resolve).once('error', () => resolve(-1)));
  if (code !== 0) throw new Error(`${PYTHON} with the kubernetes client is needed: apt-get install python3-kubernetes (scripts/setup.sh installs it)`);
  server = await JobyardServer.start();
  scratch = mkdtempSync(join(tmpdir(), 'jobyard-e2e-python-'));
});

afterAll(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('python3-kubernetes', () => {
  it('watch.Watch().stream(list_namespaced_pod) follows a Job’s pod to Succeeded, then the Job to Complete', async () => {
    const script = new PythonScript('watch_job.py', [NS, 'py-watch', IMAGE]);
    try {
      const lines = await script.finish();
      const events = lines.filter((l) => l.step === 'event');
      expect(events[0]).toMatchObject({ type: 'ADDED' });
      expect(events.length).toBeGreaterThanOrEqual(3);
      expect(events.slice(1).every((e) => e.type === 'MODIFIED')).toBe(true);
      expect(new Set(events.map((e) => e.pod)).size).toBe(1);
      expect(events.at(-1)).toMatchObject({ phase: 'Succeeded' });
      // Phases only move forward: Pending, Running (when seen), Succeeded.
      const order = ['Pending', 'Running', 'Succeeded'];
      const phases = events.map((e) => order.indexOf(String(e.phase)));
      expect(phases.every((p, i) => p >= 0 && (i === 0 || p >= phases[i - 1]!))).toBe(true);
      const job = lines.filter((l) => l.step === 'job');
      expect(job[0]).toMatchObject({ type: 'ADDED' });
      expect(job.at(-1)).toMatchObject({ succeeded: 1 });
      expect(job.at(-1)!.conditions).toContain('Complete');
    } finally {
      script.kill();
    }
  });

  it('read_namespaced_pod_log(follow=True) streams each line as the container prints it', async () => {
    // The container prints its second line only once the test has seen the first through the
    // Python client: the first one arrived while the container was still running.
    await runPod('py-log', 'echo first; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second');
    const script = new PythonScript('follow_log.py', [NS, 'py-log']);
    try {
      expect(await script.waitFor((l) => l.step === 'status', 'the response')).toMatchObject({ code: 200 });
      await script.waitFor((l) => l.step === 'line' && l.text === 'first', 'the first line');
      expect(script.lines.some((l) => l.text === 'second')).toBe(false);
      await kubectl(['exec', 'py-log', '--', 'touch', '/tmp/go']);
      await script.waitFor((l) => l.step === 'line' && l.text === 'second', 'the second line');
      const lines = await script.finish();
      expect(lines.filter((l) => l.step === 'line').map((l) => l.text)).toEqual(['first', 'second']);
      expect(lines.at(-1)).toEqual({ step: 'end', rest: '' });
    } finally {
      script.kill();
    }
  });

  it('kubernetes.stream.stream(connect_get_namespaced_pod_exec): output, stdin and the exit code', async () => {
    await runPod('py-exec', 'sleep 3600');
    const script = new PythonScript('exec.py', [NS, 'py-exec']);
    try {
      const lines = await script.finish();
      expect(lines[0]).toEqual({ step: 'output', text: 'out\nerr\n' });
      expect(lines[1]).toEqual({ step: 'stdin', stdout: 'HELLO PYTHON\n', returncode: 3 });
    } finally {
      script.kill();
    }
  });

  it('kubernetes.dynamic.DynamicClient: discovery, then a watch that sees ADDED, MODIFIED and DELETED', async () => {
    const script = new PythonScript('dynamic_watch.py', [NS, 'py-dynamic', join(scratch, 'discovery.json')]);
    try {
      const lines = await script.finish();
      expect(lines[0]).toEqual({ step: 'discovered', configmaps: 'configmaps', jobs: 'jobs', namespaced: true });
      expect(lines.slice(1)).toEqual([
        { step: 'event', type: 'ADDED', name: 'py-dynamic', data: { step: '1' } },
        { step: 'event', type: 'MODIFIED', name: 'py-dynamic', data: { step: '2' } },
        { step: 'event', type: 'DELETED', name: 'py-dynamic', data: { step: '2' } },
      ]);
    } finally {
      script.kill();
    }
  });
});
