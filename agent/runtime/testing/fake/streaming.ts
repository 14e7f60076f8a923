// StreamingService of the FakeRuntime: execSync runs a FakeProgram beside the main process
// (with its timeout on virtual time); attachStdin feeds the main process's stdin.
import { Writable } from 'node:stream';
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
