// The contract of VolumeService and LogAndFileService's files: Memory volumes on a tmpfs with
// a size limit, disk volumes outliving their writer, subPath, bind mounts, finding files by
// wildcard and reading them, also after the container exited.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../container-runtime.js';
import { reasonOf, collect, type ContractContext, type ContractHarness } from './context.js';

export function describeVolumeAndFileContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, runToExit, text } = ctx;
  describe('volumes and files', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    it('serves configMap/secret-style files from a Memory volume on a tmpfs with a size limit', async () => {
      const vol = `${h.runId}-secret`;
      await rt.createVolume({ name: vol, medium: 'Memory', sizeLimitBytes: 1024 * 1024, labels: h.runLabels });
      const { id } = await newPod('volume', { volumes: [vol] });
      await rt.writeVolumeFiles(id, vol, [
        { path: '..2026_01_01', isDirectory: true },
        { path: '..2026_01_01/password', data: 'hunter2', mode: 0o600 },
        { path: '..data', linkTarget: '..2026_01_01' },
        { path: 'password', linkTarget: '..data/password' },
      ]);
      const r = await runToExit(
        id,
        containerConfig(
          'reader',
          sh(
            "cat /etc/secret/password; echo; grep ' /etc/secret ' /proc/mounts | cut -d' ' -f3; dd if=/dev/zero of=/scratch/big bs=1024 count=2048 2>/dev/null && echo wrote-2MiB || echo no-space",
            (p) => {
              p.out(p.readFile('/etc/secret/..2026_01_01/password') ?? 'missing');
              const mount = (p.readFile('/proc/mounts') ?? '').split('\n').find((l) => l.split(' ')[1] === '/etc/secret');
              p.out(mount?.split(' ')[2] ?? 'none');
              try {
                p.writeFile('/scratch/big', Buffer.alloc(2048 * 1024));
                p.out('wrote-2MiB');
              } catch {
                p.out('no-space');
              }
            },
          ),
          {
            mounts: [
              { type: 'volume', source: vol, target: '/etc/secret', readOnly: true },
              { type: 'volume', source: vol, target: '/scratch' },
            ],
          },
        ),
      );
      expect(text(r.logs)).toEqual(['hunter2', 'tmpfs', 'no-space']);
      expect((await rt.listVolumes(h.runLabels)).find((v) => v.name === vol)).toMatchObject({ medium: 'Memory', sizeLimitBytes: 1024 * 1024 });
      await rt.removePodSandbox(id);
      await rt.removeVolume(vol);
      expect((await rt.listVolumes(h.runLabels)).some((v) => v.name === vol)).toBe(false);
    });

    it('swaps an atomic-writer payload: ..data switched to the new directory, the old one and stale top-level links removed', async () => {
      const vol = `${h.runId}-swap`;
      await rt.createVolume({ name: vol, medium: 'Memory', labels: h.runLabels });
      const { id } = await newPod('swap', { volumes: [vol] });
      await rt.writeVolumeFiles(id, vol, [
        { path: '..old', isDirectory: true },
        { path: '..old/labels', data: 'rack="r1"' },
        { path: '..old/gone', data: 'x' },
        { path: '..data', linkTarget: '..old' },
        { path: 'labels', linkTarget: '..data/labels' },
        { path: 'gone', linkTarget: '..data/gone' },
      ]);
      await rt.swapVolumeData(id, vol, {
        files: [{ path: '..new', isDirectory: true }, { path: '..new/labels', data: 'rack="r2"' }, { path: 'labels', linkTarget: '..data/labels' }],
        dataDir: '..new',
        keep: ['labels'],
      });
      const mounts = [{ type: 'volume' as const, source: vol, target: '/v', readOnly: true }];
      const r = await runToExit(
        id,
        containerConfig(
          'reader',
          sh('cat /v/labels; echo; [ -e /v/..old ] && echo old-kept || echo old-gone; [ -L /v/gone ] && echo link-kept || echo link-gone', (p) => {
            p.out(p.readFile('/v/labels') ?? 'missing');
            p.out(p.readFile('/v/..old/labels') === undefined ? 'old-gone' : 'old-kept');
            p.out(p.readFile('/v/gone') === undefined ? 'link-gone' : 'link-kept');
          }),
          { mounts },
        ),
      );
      expect(text(r.logs)).toEqual(['rack="r2"', 'old-gone', 'link-gone']);
      await rt.removePodSandbox(id);
      await rt.removeVolume(vol);
    });

    it("keeps a disk volume's files after the container that wrote them is gone", async () => {
      const vol = `${h.runId}-scratch`;
      await rt.createVolume({ name: vol, labels: h.runLabels });
      const { id } = await newPod('disk-volume');
      const mounts = [{ type: 'volume' as const, source: vol, target: '/data' }];
      const writer = await runToExit(id, containerConfig('writer', sh('echo shared > /data/f', (p) => p.writeFile('/data/f', 'shared\n')), { mounts }));
      await rt.removeContainer(writer.id);
      const reader = await runToExit(id, containerConfig('reader', sh('cat /data/f', (p) => p.write('stdout', p.readFile('/data/f') ?? '')), { mounts }));
      expect(text(reader.logs)).toEqual(['shared']);
      expect((await rt.listVolumes(h.runLabels)).find((v) => v.name === vol)?.medium).toBe('');
      await rt.removePodSandbox(id);
      await rt.removeVolume(vol);
    });

    it('mounts a sub-path of a volume (volumeMounts[].subPath)', async () => {
      const vol = `${h.runId}-subpath`;
      await rt.createVolume({ name: vol, labels: h.runLabels });
      const { id } = await newPod('subpath', { volumes: [vol] });
      await rt.writeVolumeFiles(id, vol, [
        { path: 'sub/dir', isDirectory: true },
        { path: 'sub/dir/f', data: 'inside' },
      ]);
      const part = await runToExit(
        id,
        containerConfig(
          'part',
          sh('cat /mnt/f; echo; echo more > /mnt/g; ls /mnt | tr "\\n" " "', (p) => {
            p.out(p.readFile('/mnt/f') ?? 'missing');
            p.writeFile('/mnt/g', 'more\n');
            p.out('f g ');
          }),
          { mounts: [{ type: 'volume', source: vol, target: '/mnt', subPath: 'sub/dir' }] },
        ),
      );
      expect(text(part.logs)).toEqual(['inside', 'f g ']);
      const whole = await runToExit(
        id,
        containerConfig('whole', sh('cat /data/sub/dir/g', (p) => p.write('stdout', p.readFile('/data/sub/dir/g') ?? 'missing')), {
          mounts: [{ type: 'volume', source: vol, target: '/data' }],
        }),
      );
      expect(text(whole.logs)).toEqual(['more']);
      await rt.removePodSandbox(id);
      await rt.removeVolume(vol);
    });

    it('bind-mounts a host directory', async () => {
      const dir = await h.hostDir({ 'data.txt': 'from-host' });
      const { id } = await newPod('hostpath');
      const r = await runToExit(
        id,
        containerConfig('reader', sh('cat /host/data.txt', (p) => p.write('stdout', p.readFile('/host/data.txt') ?? '')), {
          mounts: [{ type: 'bind', source: dir, target: '/host', readOnly: true }],
        }),
      );
      expect(text(r.logs)).toEqual(['from-host']);
    });

    it('finds files by wildcard and reads them, also after the container exited', async () => {
      const { id } = await newPod('files');
      const r = await runToExit(
        id,
        containerConfig(
          'writer',
          sh('mkdir -p /var/log/app && echo alpha > /var/log/app/a.log && echo beta-beta > /var/log/app/b.log && echo no > /var/log/app/c.txt', (p) => {
            p.writeFile('/var/log/app/a.log', 'alpha\n');
            p.writeFile('/var/log/app/b.log', 'beta-beta\n');
            p.writeFile('/var/log/app/c.txt', 'no\n');
          }),
        ),
      );
      expect(r.status.state).toBe('exited');
      const files = await rt.statFiles(r.id, '/var/log/app/*.log');
      expect(files.map((f) => [f.path, f.sizeBytes])).toEqual([
        ['/var/log/app/a.log', 6],
        ['/var/log/app/b.log', 10],
      ]);
      expect(files[0].modifiedAt.getTime()).toBeGreaterThan(0);
      expect((await rt.statFiles(r.id, '/var/log/app/c.txt')).map((f) => f.path)).toEqual(['/var/log/app/c.txt']);
      expect(await rt.statFiles(r.id, '/var/log/none/*.log')).toEqual([]);
      expect((await rt.readFile(r.id, '/var/log/app/b.log')).toString()).toBe('beta-beta\n');
      expect((await rt.readFile(r.id, '/var/log/app/b.log', { offsetBytes: 5, limitBytes: 3 })).toString()).toBe('bet');
      expect((await reasonOf(rt.readFile(r.id, '/var/log/app/none.log'))).reason).toBe('NotFound');
      expect((await reasonOf(collect(rt.containerLogs('0'.repeat(64))))).reason).toBe('NotFound');
    });
  });
}
