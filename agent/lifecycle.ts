// Lifecycle hooks (pkg/kubelet/lifecycle/handlers.go): postStart and preStop handlers of kind
// exec (in the container, through the runtime), httpGet (from the node to the pod IP; any
// answer counts, only a failed request fails) and sleep. A failure comes back with upstream's
// message (`Exec lifecycle hook ([sh -c exit 1]) for Container "c" in Pod "p_ns(uid)" failed -
// error: command 'sh -c exit 1' exited with 1: , message: ""`).
import type { Container, LifecycleHandler, Pod } from '../api/index.js';
import type { Scheduler } from '../client/index.js';
import { errorMessage } from '../machinery/index.js';
import { type NetworkProber, httpRequestFor } from './prober/prober.js';
import { type ContainerRuntime, isRuntimeError } from './runtime/index.js';
import { formatPod, goList } from './status.js';

export interface HookContext {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
  /** Upper bound for the handler (preStop: the grace period). */
  timeoutMs: number;
}

export interface HookDeps {
  runtime: ContainerRuntime;
  network: NetworkProber;
  scheduler: Scheduler;
}

/** Go's %q of a string (close enough for ASCII output). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Runs a handler; resolves undefined on success, or the failure message. */
export async function runLifecycleHandler(handler: LifecycleHandler, ctx: HookContext, deps: HookDeps): Promise<string | undefined> {
  const who = `for Container ${goQuote(ctx.container.name)} in Pod ${goQuote(formatPod(ctx.pod))}`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    try {
      const r = await deps.runtime.execSync(ctx.containerId, cmd, ctx.timeoutMs);
      if (r.exitCode === 0) return undefined;
      const output = r.stdout + r.stderr;
      return `Exec lifecycle hook (${goList(cmd)}) ${who} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}, message: ${goQuote(output)}`;
    } catch (err) {
      const msg = isRuntimeError(err, 'DeadlineExceeded') ? `command '${cmd.join(' ')}' timed out` : errorMessage(err);
      return `Exec lifecycle hook (${goList(cmd)}) ${who} failed - error: ${msg}, message: ""`;
    }
  }
  if (handler.httpGet) {
    try {
      await deps.network.httpGet(httpRequestFor(handler.httpGet, ctx.container, ctx.podIP, ctx.timeoutMs));
      return undefined;
    } catch (err) {
      return `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) ${who} failed - error: ${errorMessage(err)}`;
    }
  }
  if (handler.sleep) {
    await deps.scheduler.sleep(Math.min(handler.sleep.seconds * 1000, ctx.timeoutMs)).catch(() => undefined);
    return undefined;
  }
  if (handler.tcpSocket) return `TCPSocket lifecycle hook ${who} is deprecated and not supported`;
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}
