// The contract of RuntimeService's sandboxes: pod IP, hostname and labels, one network
// namespace for the pod, stop and remove taking the pod's containers along.
import { beforeAll, describe, expect, it } from 'vitest';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, type ContainerRuntime } from '../../container-runtime.js';
import { collect, reasonOf, type ContractContext } from './context.js';

export function describePodSandboxContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, start, runToExit, text, waitForLine } = ctx;
  describe('pod sandbox', () => {
    let rt: ContainerRuntime;
    beforeAll(() => {
      rt = ctx.rt;
    });

    it('runs a sandbox with the pod IP, hostname and kubelet labels, found again by label', async () => {
      const { id, config } = await newPod('sandbox-a', { annotations: { note: 'kept' } });
      const st = await rt.podSandboxStatus(id);
      expect(st.state).toBe('ready');
      expect(st.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(st.hostname).toBe('sandbox-a');
      expect(st.metadata).toEqual(config.metadata);
      expect(st.labels).toMatchObject({ app: 'sandbox-a', [LABEL_POD_UID]: config.metadata.uid, [LABEL_POD_NAME]: 'sandbox-a', [LABEL_POD_NAMESPACE]: 'contract' });
      expect(st.annotations).toEqual({ note: 'kept' });
      const found = await rt.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid } });
      expect(found.map((s) => s.id)).toEqual([id]);
    });

    it('gives every container the pod hostname, and one network namespace shared over localhost', async () => {
      const { id } = await newPod('netns');
      const server = await start(
        id,
        containerConfig(
          'server',
          sh('mkdir -p /www && echo hello-from-server > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www', async (p) => {
            p.listen(8080, () => 'hello-from-server');
            await p.forever();
          }),
        ),
      );
      const client = await runToExit(
        id,
        containerConfig(
          'client',
          sh(
            'hostname; for i in $(seq 1 50); do wget -q -O- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1',
            async (p) => {
              p.out(p.hostname);
              p.out(await p.request('127.0.0.1', 8080, 'GET /'));
            },
          ),
        ),
      );
      expect(client.status.exitCode).toBe(0);
      expect(text(client.logs)).toEqual(['netns', 'hello-from-server']);
      await rt.stopContainer(server, 0);
    });

    it('stops every container with the sandbox, then removes them all', async () => {
      const { id, config } = await newPod('stop-all');
      const c = await start(id, containerConfig('sleeper', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever()))));
      await waitForLine(c, 'up');
      await rt.stopPodSandbox(id);
      expect((await rt.podSandboxStatus(id)).state).toBe('notready');
      expect((await rt.containerStatus(c)).state).toBe('exited');
      await rt.stopPodSandbox(id); // idempotent
      await rt.removePodSandbox(id);
      expect((await reasonOf(rt.podSandboxStatus(id))).reason).toBe('NotFound');
      expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
      expect(await rt.listContainers({ labels: { [LABEL_POD_UID]: config.metadata.uid } })).toEqual([]);
      await rt.removePodSandbox(id); // idempotent
    });

    it('a single-container sandbox: ready until its container exits, with the pod hostname and IP while it runs', async () => {
      const { id, config } = await newPod('single', { singleContainer: true, annotations: { note: 'kept' } });
      expect((await rt.podSandboxStatus(id)).state).toBe('ready');
      expect((await rt.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid } })).map((s) => s.id)).toEqual([id]);
      const c = await start(id, containerConfig('main', sh('hostname; echo up; read line; echo got-$line', async (p) => (p.out(p.hostname), p.out('up'), p.out(`got-${await p.readLine()}`))), { stdin: true, stdinOnce: true }));
      await waitForLine(c, 'up');
      const st = await rt.podSandboxStatus(id);
      expect(st).toMatchObject({ id, state: 'ready', hostname: 'single', metadata: config.metadata, annotations: { note: 'kept' } });
      expect(st.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(st.labels).toMatchObject({ app: 'single', [LABEL_POD_UID]: config.metadata.uid, [LABEL_POD_NAME]: 'single', [LABEL_POD_NAMESPACE]: 'contract' });
      expect((await rt.listContainers({ sandboxId: id })).map((x) => x.id)).toEqual([c]);
      // An agent restarted finds it by label, as it was.
      const again = ctx.h.reconnect();
      const found = await again.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid } });
      expect(found.map((s) => ({ id: s.id, state: s.state, ip: s.ip, metadata: s.metadata }))).toEqual([{ id, state: 'ready', ip: st.ip, metadata: config.metadata }]);
      expect((await again.podSandboxStatus(id)).annotations).toEqual({ note: 'kept' });

      (await rt.attachStdin(c)).end('bye\n');
      const exited = await rt.waitContainer(c);
      expect(exited.exitCode).toBe(0);
      expect(text(await collect(rt.containerLogs(c)))).toEqual(['single', 'up', 'got-bye']);
      expect((await rt.podSandboxStatus(id)).state).toBe('notready');
      expect((await rt.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid }, state: 'ready' })).length).toBe(0);
      await rt.stopPodSandbox(id); // idempotent on an ended sandbox
      await rt.removePodSandbox(id);
      expect((await reasonOf(rt.podSandboxStatus(id))).reason).toBe('NotFound');
      expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
      expect(await rt.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid } })).toEqual([]);
    });

    it('stops a single-container sandbox by stopping its container', async () => {
      const { id } = await newPod('single-stop', { singleContainer: true });
      const c = await start(id, containerConfig('sleeper', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever()))));
      await waitForLine(c, 'up');
      await rt.stopPodSandbox(id);
      expect((await rt.containerStatus(c)).state).toBe('exited');
      expect((await rt.podSandboxStatus(id)).state).toBe('notready');
      await rt.removePodSandbox(id);
      expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
    });
  });
}
