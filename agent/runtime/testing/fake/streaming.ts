// StreamingService of the FakeRuntime: execSync runs a FakeProgram beside the main process
// (with its timeout on virtual time); attachStdin feeds the main process's stdin; portForward
// connects to what a process listens on in the sandbox (FakeProcess.listen): one request per
// connection, answered when its head ends (a blank line) or the client half-closes, then closed,
// as an HTTP/1.0 server does.
import { Duplex, Writable } from 'node:stream';
import type { ExecResult, StreamingService } from '../../container-runtime.js';
import { RuntimeError } from '../../runtime-error.js';
import type { FakeNode } from './node.js';
import type { FakeProcesses } from './processes.js';

export class FakeStreaming implements StreamingService {
  private readonly node: FakeNode;
  private readonly processes: FakeProcesses;

  constructor(node: FakeNode, processes: FakeProcesses) {
    this.node = node;
    this.processes = processes;
  }

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    this.node.record('execSync', id, cmd);
    this.node.injected('execSync', id);
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'running') throw new RuntimeError('NotRunning', `container ${id} is not running`);
    const missing = this.processes.missingExecutable(c, cmd[0]);
    if (missing) return { exitCode: 126, stdout: `OCI runtime exec failed: exec failed: unable to start container process: ${missing}: unknown\r\n`, stderr: '' };
    const proc = this.processes.makeProcess(c, cmd, true);
    const program = this.processes.findProgram(c, cmd, true);
    const done = Promise.resolve()
      .then(() => program(proc.api))
      .then(
        () => proc.exit(0),
        (err: unknown) => {
          proc.api.err(String(err instanceof Error ? err.message : err));
          proc.exit(1);
        },
      );
    void done;
    const cancel = new AbortController();
    const timedOut = await Promise.race([proc.exited.then(() => false), this.node.time.sleep(timeoutMs, cancel.signal).then(() => true)]);
    cancel.abort();
    if (timedOut && proc.exitCode === undefined) {
      throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`);
    }
    return { exitCode: proc.exitCode ?? 0, stdout: proc.stdout, stderr: proc.stderr };
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const s = this.node.sandboxes.get(podSandboxId);
    if (!s) throw new RuntimeError('NotFound', `no such sandbox: ${podSandboxId}`);
    if (s.state !== 'ready') throw new RuntimeError('NotRunning', `sandbox ${podSandboxId} is not running`);
    const listener = s.listeners.get(port);
    // The Docker runtime's words for a port nothing listens on.
    if (!listener) throw new RuntimeError('Unknown', `failed to connect to ${s.ip}:${port} inside the pod's network: dial tcp4 ${s.ip}:${port}: connect: connection refused`);
    let request = '';
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      Promise.resolve()
        .then(() => listener.handler(request))
        .then(
          (response) => {
            conn.push(Buffer.from(response, 'utf8'));
            conn.push(null);
          },
          (err: unknown) => conn.destroy(err instanceof Error ? err : new Error(String(err))),
        );
    };
    const conn = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        request += chunk.toString('utf8');
        if (/\r?\n\r?\n/.test(request)) answer();
        cb();
      },
      final(cb) {
        answer();
        cb();
      },
    });
    return conn;
  }

  async attachStdin(id: string): Promise<Writable> {
    const c = this.node.mustContainer(id);
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (c.config.stdin && !c.stdinEOF) {
          c.stdinBuf += chunk.toString('utf8');
          for (const w of c.stdinWaiters) w();
        }
        cb();
      },
      final: (cb) => {
        if (c.config.stdin && c.config.stdinOnce) {
          c.stdinEOF = true;
          for (const w of c.stdinWaiters) w();
        }
        cb();
      },
    });
  }
}
