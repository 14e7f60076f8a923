// A CRI container's log on real containerd (scripts/containerd.sh start), rotated by the
// kubelet's container log manager while the container writes: the log service's CriFileReader
// and the runtime's containerLogs both see every line once, in order.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriRuntime, criContainerLogManager, removeOrphanedPodLogDirs } from '../runtime/cri/index.js';
import type { LogLine } from '../runtime/index.js';
import { CriFileReader } from './cri-file-reader.js';

const RUN = `crilogs-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const LABELS = { 'jobyard.io/contract-run': RUN };

let rt: CriRuntime;
let sandbox: string;

beforeAll(async () => {
  rt = new CriRuntime();
  sandbox = await rt.runPodSandbox({ metadata: { name: 'logs', namespace: 'crilogs', uid: RUN, attempt: 0 }, hostname: 'logs', labels: LABELS });
});

afterAll(async () => {
  if (sandbox) await rt.removePodSandbox(sandbox).catch(() => undefined);
  rt?.close();
});

describe('CRI log rotation on containerd', () => {
  it('rotates a running container log (rename, ReopenContainerLog, gzip) while the collector and containerLogs lose and repeat nothing', async () => {
    // About 1000 lines a second until told to stop.
    const script = 'i=0; while [ ! -f /tmp/stop ]; do echo line-$i; i=$((i+1)); [ $((i % 50)) = 0 ] && sleep 0.05; done; echo done';
    const id = await rt.createContainer(sandbox, { metadata: { name: 'writer', attempt: 0 }, image: 'docker.io/library/busybox:1.36', command: ['/bin/busybox', 'sh', '-c', script] });
    await rt.startContainer(id);
    const info = await rt.containerLogInfo(id);
    expect(info.logFormat).toBe('cri');
    const logPath = info.logPath!;
    let clock = Date.UTC(2026, 0, 1);
    const manager = criContainerLogManager(rt.context, { maxSizeBytes: 4096, maxFiles: 100 }, { now: () => new Date((clock += 1000)) });
    const reader = new CriFileReader(`${id}/stdio`, { logPath, chunkBytes: 1000 });
    await reader.resume(undefined);
    const collected: string[] = [];
    const ends: number[] = [];
    const drain = async () => {
      for (;;) {
        const r = await reader.read(500);
        for (const e of r.entries) {
          collected.push(e.line);
          ends.push(e.end);
        }
        if (r.eof) return;
      }
    };
    let rotations = 0;
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 250));
      rotations += (await manager.rotateLogs()).filter((x) => x === id).length;
      await drain();
    }
    await rt.execSync(id, ['/bin/busybox', 'touch', '/tmp/stop'], 10_000);
    await rt.waitContainer(id);
    await drain();
    collected.push(...reader.finish().entries.map((e) => e.line));
    await reader.close();

    expect(rotations).toBeGreaterThanOrEqual(4);
    const files = await readdir(dirname(logPath));
    expect(files.filter((f) => f.endsWith('.gz')).length).toBeGreaterThanOrEqual(rotations - 1);
    const n = collected.length - 1;
    expect(n).toBeGreaterThan(500);
    expect(collected).toEqual([...Array.from({ length: n }, (_, i) => `line-${i}`), 'done']);
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);

    const lines: LogLine[] = [];
    for await (const l of rt.containerLogs(id)) lines.push(l);
    expect(lines.map((l) => l.content)).toEqual(collected);
    expect(lines.map((l) => l.content).slice(-3)).toEqual((await collectTail(id, 3)).map((l) => l.content));
  }, 60_000);

  it("removes a container's log files with the container, and the pod's log directory with its last sandbox", async () => {
    const config = { metadata: { name: 'gone', namespace: 'crilogs', uid: `${RUN}-gone`, attempt: 0 }, hostname: 'gone', labels: LABELS };
    const first = await rt.runPodSandbox(config);
    const id = await rt.createContainer(first, { metadata: { name: 'c', attempt: 0 }, image: 'docker.io/library/busybox:1.36', command: ['/bin/busybox', 'echo', 'hi'] });
    await rt.startContainer(id);
    await rt.waitContainer(id);
    const logPath = (await rt.containerLogInfo(id)).logPath!;
    const podDir = dirname(dirname(logPath));
    expect(await readdir(dirname(logPath))).toEqual(['0.log']);
    await rt.removeContainer(id);
    expect(await readdir(podDir)).toEqual([]);
    // A second sandbox of the pod (the next attempt) keeps the directory when the first goes.
    const second = await rt.runPodSandbox({ ...config, metadata: { ...config.metadata, attempt: 1 } });
    await rt.removePodSandbox(first);
    expect(await readdir(podDir)).toEqual([]);
    await rt.removePodSandbox(second);
    await expect(readdir(podDir)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('removes pod log directories no sandbox uses any more (left by a crash), never a live one or a new one', async () => {
    const root = rt.context.logRoot;
    const live = (await rt.podSandboxStatus(sandbox)).metadata;
    const liveDir = `${root}/${live.namespace}_${live.name}_${live.uid}`;
    const orphan = `${root}/crilogs_crashed_${RUN}-orphan`;
    const fresh = `${root}/crilogs_fresh_${RUN}-fresh`;
    for (const d of [liveDir, orphan, fresh]) await mkdir(`${d}/c`, { recursive: true });
    const old = new Date(Date.now() - 5 * 60_000);
    for (const d of [liveDir, orphan]) await utimes(d, old, old);
    const removed = await removeOrphanedPodLogDirs(rt.context);
    expect(removed).toContain(`crilogs_crashed_${RUN}-orphan`);
    expect(removed.filter((n) => n.includes(RUN))).toEqual([`crilogs_crashed_${RUN}-orphan`]);
    expect((await readdir(root)).filter((n) => n.includes(RUN)).sort()).toEqual([`crilogs_fresh_${RUN}-fresh`, `${live.namespace}_${live.name}_${live.uid}`].sort());
    await rm(fresh, { recursive: true, force: true });
  }, 60_000);
});

async function collectTail(id: string, tail: number): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of rt.containerLogs(id, { tail })) out.push(l);
  return out;
}
