// The contract of StreamingService: exec in a running container with its exit code and
// output; port-forward to what listens in a ready sandbox.
import type { Duplex } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../container-runtime.js';
import { SH, reasonOf, type ContractContext, type ContractHarness } from './context.js';

export function describeStreamingServiceContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, start, waitForLine } = ctx;
  describe('exec', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    it('runs a command in a running container with its exit code, stdout and stderr', async () => {
      const { id } = await newPod('exec');
      const c = await start(
        id,
        containerConfig('target', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever())), { env: [{ name: 'GREETING', value: 'hi' }] }),
      );
      await waitForLine(c, 'up');
      const r = await rt.execSync(
        c,
        h.cmd([...SH, 'echo "$GREETING"; echo oops >&2; exit 4'], (p) => {
          p.out(p.env.GREETING);
          p.err('oops');
          p.exit(4);
        }),
        10_000,
      );
      expect(r).toEqual({ exitCode: 4, stdout: 'hi\n', stderr: 'oops\n' });
      const slow = await reasonOf(rt.execSync(c, h.cmd(['/bin/busybox', 'sleep', '5'], (p) => p.sleep(5000)), 300));
      expect(slow.reason).toBe('DeadlineExceeded');
      await rt.stopContainer(c, 0);
      expect((await reasonOf(rt.execSync(c, ['/bin/busybox', 'true'], 1000))).reason).toBe('NotRunning');
    });
  });

  describe('portForward', () => {
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ rt } = ctx);
    });

    /**
     * A refused connection's error: the promise's rejection, or the Duplex's error when the
     * runtime connects after resolving (StreamingService.portForward).
     */
    const connectFailure = async (forwarding: Promise<Duplex>): Promise<never> => {
      const conn = await forwarding;
      conn.resume();
      throw await new Promise<unknown>((resolve) => {
        conn.once('error', resolve);
        conn.once('close', () => resolve(new Error('the forwarded connection closed without the connect error')));
      });
    };

    /** Sends one HTTP/1.0 request through a forwarded connection and reads until the server closes. */
    const fetchThrough = async (sandboxId: string, port: number): Promise<string> => {
      const conn = await rt.portForward!(sandboxId, port);
      const chunks: Buffer[] = [];
      const closed = new Promise<void>((resolve, reject) => {
        conn.on('data', (c: Buffer) => chunks.push(c));
        conn.on('end', resolve);
        conn.on('error', reject);
      });
      conn.write('GET /index.html HTTP/1.0\r\nHost: pod\r\n\r\n');
      await closed;
      conn.destroy();
      return Buffer.concat(chunks).toString('utf8');
    };

    it('connects to a port a container listens on inside the sandbox; a closed port is refused; a stopped sandbox is NotRunning', async () => {
      const { id } = await newPod('forward');
      const serve = '/bin/busybox mkdir -p /www && echo hello-forward > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www';
      const c = await start(id, containerConfig('web', sh(serve, async (p) => (p.listen(8080, () => 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\nhello-forward\n'), p.forever()))));
      // httpd listens a moment after it starts: retry while the port is still closed.
      let response: string | undefined;
      for (let attempt = 0; attempt < 100 && response === undefined; attempt++) {
        try {
          response = await fetchThrough(id, 8080);
        } catch (err) {
          if (!/connection refused/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(response).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
      expect(response).toContain('\r\n\r\nhello-forward\n');
      const refused = await reasonOf(connectFailure(rt.portForward!(id, 8081)));
      expect(refused.reason).toBe('Unknown');
      // Docker's words end with it; containerd's go on with IPv6 ("... IPv6 dial tcp6: ...").
      expect(refused.message).toMatch(/dial tcp4 .*:8081: connect: connection refused/);
      await rt.stopContainer(c, 0);
      await rt.stopPodSandbox(id);
      expect((await reasonOf(rt.portForward!(id, 8080))).reason).toBe('NotRunning');
    });
  });
}
