// The processes of fake containers: which FakeProgram runs for a command, whether its
// executable exists, and the FakeProcess a program drives (output, stdin, signals, files,
// the pod's loopback network, memory).
import type { LogStreamName } from '../../container-runtime.js';
import { settle } from './virtual-time.js';
import type { FakeProcess, FakeProgram, ProgramContext } from './types.js';
import { normalizePath, DEFAULT_PATH, type FakeNode, type FakeFile, type FakeContainer } from './node.js';
import type { FakeContainerFS } from './container-fs.js';

export class FakeProcesses {
  private readonly node: FakeNode;
  private readonly fs: FakeContainerFS;

  constructor(node: FakeNode, fs: FakeContainerFS) {
    this.node = node;
    this.fs = fs;
  }

  findProgram(c: FakeContainer, argv: readonly string[], isExec: boolean): FakeProgram {
    const s = this.node.sandboxes.get(c.sandboxId);
    const ctx: ProgramContext = {
      argv,
      image: c.config.image,
      containerName: c.config.metadata.name,
      podName: s?.config.metadata.name ?? '',
      labels: c.labels,
      isExec,
    };
    for (const { match, program } of this.node.programs) {
      if (typeof match === 'function' ? match(ctx) : match.length === argv.length && match.every((a, i) => a === argv[i])) return program;
    }
    return this.node.opts.defaultProgram ?? (() => undefined);
  }

  /** Docker's start error for an executable the image lacks, or undefined. */
  missingExecutable(c: FakeContainer, exe: string | undefined): string | undefined {
    if (!c.imageFiles || exe === undefined) return undefined;
    const has = (p: string) => this.fs.lookupFile(c, normalizePath(p))?.type === 'file';
    if (exe.includes('/')) {
      const p = exe.startsWith('/') ? exe : `${c.workingDir}/${exe}`;
      return has(p) ? undefined : `exec: "${exe}": stat ${exe}: no such file or directory`;
    }
    const path = c.env.find((e) => e.name === 'PATH')?.value ?? DEFAULT_PATH;
    return path.split(':').some((d) => has(`${d}/${exe}`)) ? undefined : `exec: "${exe}": executable file not found in $PATH`;
  }

  makeProcess(c: FakeContainer, argv: string[], isExec: boolean) {
    const self = this;
    const s = this.node.sandboxes.get(c.sandboxId)!;
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    if (!('HOSTNAME' in env)) env.HOSTNAME = s.config.hostname;
    const run = c.run;
    const state = { exitCode: undefined as number | undefined, stdout: '', stderr: '', resolveExit: () => {} };
    const exited = new Promise<void>((r) => (state.resolveExit = r));
    const alive = () => (isExec ? state.exitCode === undefined && c.state === 'running' : c.state === 'running' && c.run === run);
    const exit = (code: number) => {
      if (isExec) {
        if (state.exitCode === undefined) {
          state.exitCode = code;
          state.resolveExit();
        }
      } else if (alive()) self.node.finish(c, code, false);
    };
    const write = (stream: LogStreamName, text: string) => {
      if (!alive()) return;
      if (isExec) {
        if (stream === 'stdout') state.stdout += text;
        else state.stderr += text;
      } else self.node.writeLog(c, stream, text);
    };
    const resolvePath = (p: string) => normalizePath(p.startsWith('/') ? p : `${c.workingDir}/${p}`);
    const api: FakeProcess = {
      argv,
      env,
      workingDir: c.workingDir,
      hostname: s.config.hostname,
      tty: !!c.config.tty,
      containerName: c.config.metadata.name,
      podName: s.config.metadata.name,
      labels: c.labels,
      isExec,
      write,
      out: (text) => write('stdout', text + '\n'),
      err: (text) => write('stderr', text + '\n'),
      exit: (code) => {
        exit(code);
      },
      onSignal: (signal, handler) => {
        if (isExec) return;
        const list = c.signalHandlers.get(signal) ?? [];
        list.push(handler);
        c.signalHandlers.set(signal, list);
      },
      forever: () => new Promise<never>(() => {}),
      sleep: (ms) => self.node.time.sleep(ms),
      readLine: async () => {
        for (;;) {
          const nl = c.stdinBuf.indexOf('\n');
          if (nl >= 0) {
            const line = c.stdinBuf.slice(0, nl);
            c.stdinBuf = c.stdinBuf.slice(nl + 1);
            return line;
          }
          if (c.stdinEOF || !alive()) {
            if (c.stdinBuf === '') return undefined;
            const rest = c.stdinBuf;
            c.stdinBuf = '';
            return rest;
          }
          await new Promise<void>((resolve) => {
            const wake = () => {
              c.stdinWaiters.delete(wake);
              resolve();
            };
            c.stdinWaiters.add(wake);
          });
        }
      },
      readBytes: (p) => {
        const path = resolvePath(p);
        const synthetic = self.fs.syntheticFile(c, path);
        if (synthetic !== undefined) return Buffer.from(synthetic);
        const f = self.fs.lookupFile(c, path);
        return f?.type === 'file' ? Buffer.from(f.data) : undefined;
      },
      readFile: (p) => api.readBytes(p)?.toString('utf8'),
      writeFile: (p, data, mode = 0o644) => {
        const path = resolvePath(p);
        const buf = Buffer.from(data);
        const m = self.fs.mountFor(c, path);
        if (m?.mount.type === 'volume') {
          if (m.mount.readOnly) throw new Error(`write ${path}: Read-only file system`);
          self.node.volumeWrite(self.node.volumes.get(m.mount.source)!, m.rel, buf, mode);
        } else if (m?.mount.type === 'tmpfs') {
          const key = `${c.id}:${m.mount.target}`;
          const files = self.node.tmpfsFiles.get(key) ?? new Map<string, FakeFile>();
          self.node.tmpfsFiles.set(key, files);
          files.set(m.rel, { type: 'file', data: buf, mode, mtime: self.node.clock.now() });
        } else if (m?.mount.type === 'bind') {
          if (m.mount.readOnly) throw new Error(`write ${path}: Read-only file system`);
          self.node.hostFiles.set(normalizePath(m.mount.source + m.rel), buf);
        } else {
          if (c.config.security?.readOnlyRootFilesystem) throw new Error(`write ${path}: Read-only file system`);
          c.layer.set(path, { type: 'file', data: buf, mode, mtime: self.node.clock.now() });
        }
        self.node.notifyFiles();
      },
      appendFile: (p, data) => api.writeFile(p, Buffer.concat([api.readBytes(p) ?? Buffer.alloc(0), Buffer.from(data)])),
      exists: (p) => api.readBytes(p) !== undefined,
      waitForFile: (p) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (api.exists(p) || !alive()) {
              self.node.fileWaiters.delete(check);
              resolve();
            }
          };
          self.node.fileWaiters.add(check);
          check();
        }),
      listen: (port, handler) => {
        if (s.listeners.has(port)) throw new Error(`listen tcp :${port}: bind: address already in use`);
        s.listeners.set(port, { handler, owner: c.id });
      },
      request: async (host, port, request) => {
        await settle(1);
        const local = host === '127.0.0.1' || host === 'localhost' || host === s.ip;
        const target = local ? s : [...self.node.sandboxes.values()].find((o) => o.ip === host && o.state === 'ready');
        const listener = target?.listeners.get(port);
        if (!listener) throw new Error(`dial tcp ${host}:${port}: connect: connection refused`);
        return listener.handler(request);
      },
      allocate: (bytes) => {
        if (isExec || !alive()) return;
        c.memoryUsed += bytes;
        const limit = c.config.resources?.memoryLimitBytes;
        if (limit && c.memoryUsed > limit) self.node.finish(c, 137, true);
      },
      useCpu: (ms) => {
        if (alive()) c.cpuNanos += Math.round(ms * 1e6);
      },
    };
    return {
      api,
      exited,
      exit,
      get exitCode() {
        return state.exitCode;
      },
      get stdout() {
        return state.stdout;
      },
      get stderr() {
        return state.stderr;
      },
    };
  }
}
