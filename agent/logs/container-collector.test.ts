// The container collector over a host laid out as Docker lays it out (a json-file log, an
// overlay2 upper directory, a volume), and over the runtime's API (FakeRuntime).
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from '../../client/index.js';
import { FakeClock } from '../../machinery/index.js';
import type { ContainerLogInfo } from '../runtime/index.js';
import { FakeRuntime } from '../runtime/testing/index.js';
import { ContainerCollector } from './container-collector.js';
import { logConfigsOf } from './log-config.js';
import { MemorySink } from './testing/memory-sink.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

function jsonLines(lines: string[], stream: 'stdout' | 'stderr' = 'stdout'): string {
  return lines.map((l) => `${JSON.stringify({ log: `${l}\n`, stream, time: '2026-03-01T12:00:00.5Z' })}\n`).join('');
}

const collectors: ContainerCollector[] = [];
afterEach(async () => {
  for (const c of collectors.splice(0)) await c.close();
});

const ENV = {
  'aliyun_logs_app-out': 'stdout',
  'aliyun_logs_app-out_tags': 'team=a,env=test',
  'aliyun_logs_app-files': '/var/log/app/*.log',
};

function hostContainer() {
  const root = mkdtempSync(join(tmpdir(), 'collector-'));
  const logPath = join(root, 'c1-json.log');
  const upper = join(root, 'upper');
  mkdirSync(join(upper, 'var/log/app'), { recursive: true });
  writeFileSync(logPath, '');
  const info: ContainerLogInfo = { env: Object.entries(ENV).map(([name, value]) => ({ name, value })), tty: false, logPath, rootfsDir: upper, mounts: [] };
  const file = (name: string) => join(upper, 'var/log/app', name);
  return { root, logPath, upper, info, file };
}

function collector(sink: MemorySink, info: ContainerLogInfo, clock: FakeClock, runtime = new FakeRuntime()) {
  const c = new ContainerCollector({
    sink,
    runtime,
    container: { id: 'c1', namespace: 'default', pod: 'pi-abc', podUID: 'uid-1', container: 'main', job: 'pi' },
    info,
    configs: logConfigsOf(info.env).configs,
    hostAccess: true,
    now: () => clock.now().getTime(),
    logger: noopLogger,
    options: { scanIntervalMs: 0, settleMs: 0, vanishedGraceMs: 1000 },
  });
  collectors.push(c);
  return c;
}

/** Polls until a step reads nothing (bounded). */
async function settle(c: ContainerCollector, exited = false): Promise<{ done: boolean }> {
  let last = { progress: true, done: false };
  for (let i = 0; i < 50 && (last.progress || (exited && !last.done)); i++) last = await c.poll(exited);
  return last;
}

describe('ContainerCollector on the host', () => {
  it('collects stdout, stderr and files with their source, job and tags', async () => {
    const { logPath, info, file } = hostContainer();
    appendFileSync(logPath, jsonLines(['out 1', 'out 2']) + jsonLines(['err 1'], 'stderr'));
    writeFileSync(file('a.log'), 'file 1\nfile 2\n');
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    await settle(c);
    expect(sink.text('app-out')).toEqual(['out 1', 'out 2', 'err 1']);
    expect(sink.lines.filter((l) => l.logstore === 'app-out').map((l) => l.stream)).toEqual(['stdout', 'stdout', 'stderr']);
    expect(sink.text('app-files')).toEqual(['file 1', 'file 2']);
    const out = sink.lines.find((l) => l.logstore === 'app-out')!;
    expect(out.source).toEqual({ id: 'c1/stdio', namespace: 'default', pod: 'pi-abc', podUID: 'uid-1', container: 'main', containerID: 'c1', job: 'pi', tags: { team: 'a', env: 'test' } });
    const f = sink.lines.find((l) => l.logstore === 'app-files')!;
    expect(f.source.path).toBe('/var/log/app/a.log');
    expect(f.source.id).toMatch(/^c1\/file\/\d+:\d+$/);
    expect(f.source.tags).toBeUndefined();
  });

  it('picks up files created later, follows appends, and reads a file rotated by rename and recreate exactly once', async () => {
    const { info, file } = hostContainer();
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    await settle(c);
    writeFileSync(file('a.log'), 'a1\n');
    await settle(c);
    appendFileSync(file('a.log'), 'a2\n');
    writeFileSync(file('b.log'), 'b1\n');
    await settle(c);
    // logrotate's rename: a.log → a.log.1 (not matched any more), a new a.log; the writer
    // still had a line for the old file.
    appendFileSync(file('a.log'), 'a3\n');
    renameSync(file('a.log'), file('a.log.1'));
    appendFileSync(file('a.log.1'), 'a4\n');
    writeFileSync(file('a.log'), 'a5\n');
    await settle(c);
    expect(sink.text('app-files').sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1']);
  });

  it('reads a file truncated in place (copytruncate) from its beginning again', async () => {
    const { info, file } = hostContainer();
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    writeFileSync(file('a.log'), 'one\ntwo\n');
    await settle(c);
    truncateSync(file('a.log'), 0);
    appendFileSync(file('a.log'), 'three\n');
    await settle(c);
    expect(sink.text('app-files')).toEqual(['one', 'two', 'three']);
  });

  it('follows Docker rotating the json-file log', async () => {
    const { logPath, info } = hostContainer();
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    appendFileSync(logPath, jsonLines(['x1', 'x2']));
    await settle(c);
    appendFileSync(logPath, jsonLines(['x3']));
    renameSync(logPath, `${logPath}.1`);
    writeFileSync(logPath, jsonLines(['x4']));
    await settle(c);
    expect(sink.text('app-out')).toEqual(['x1', 'x2', 'x3', 'x4']);
  });

  it('sends again what a failed call lost, and nothing twice', async () => {
    const { logPath, info, file } = hostContainer();
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    appendFileSync(logPath, jsonLines(['o1']));
    writeFileSync(file('a.log'), 'f1\n');
    await settle(c);
    appendFileSync(logPath, jsonLines(['o2', 'o3']));
    appendFileSync(file('a.log'), 'f2\n');
    sink.failNext = 1;
    await expect(c.poll(false)).rejects.toThrow(/unavailable/);
    await settle(c);
    expect(sink.text('app-out')).toEqual(['o1', 'o2', 'o3']);
    expect(sink.text('app-files')).toEqual(['f1', 'f2']);
  });

  it('resumes after a restart from the stored checkpoints: nothing lost, nothing twice', async () => {
    const { logPath, info, file } = hostContainer();
    const sink = new MemorySink();
    const clock = new FakeClock(new Date(T0));
    const first = collector(sink, info, clock);
    appendFileSync(logPath, jsonLines(['o1', 'o2']));
    writeFileSync(file('a.log'), 'f1\nf2');
    await settle(first);
    await first.close();
    // While no collector runs: more lines, the partial file line ends, the file rotates.
    appendFileSync(logPath, jsonLines(['o3']));
    appendFileSync(file('a.log'), '-end\n');
    renameSync(file('a.log'), file('a.log.1'));
    writeFileSync(file('a.log'), 'f3\n');
    const second = collector(sink, info, clock);
    await settle(second);
    expect(sink.text('app-out')).toEqual(['o1', 'o2', 'o3']);
    expect(sink.text('app-files').sort()).toEqual(['f1', 'f2-end', 'f3']);
  });

  it('drains an exited container: unfinished lines as they are, sources finished, done', async () => {
    const { logPath, info, file } = hostContainer();
    const sink = new MemorySink();
    const c = collector(sink, info, new FakeClock(new Date(T0)));
    appendFileSync(logPath, jsonLines(['o1']) + `${JSON.stringify({ log: 'no newline', stream: 'stdout', time: '2026-03-01T12:00:01Z' })}\n`);
    writeFileSync(file('a.log'), 'f1\nf-partial');
    const r = await settle(c, true);
    expect(r.done).toBe(true);
    expect(sink.text('app-out')).toEqual(['o1', 'no newline']);
    expect(sink.text('app-files')).toEqual(['f1', 'f-partial']);
    expect([...sink.checkpointsBySource.values()].every((cp) => cp.finished)).toBe(true);
    // A collector started later for the same container reads nothing again.
    const again = collector(sink, info, new FakeClock(new Date(T0)));
    expect((await settle(again, true)).done).toBe(true);
    expect(sink.lines).toHaveLength(4);
  });
});

describe('ContainerCollector through the runtime API (no host access)', () => {
  it('collects stdout and files of a fake container, and resumes without duplicates', async () => {
    const clock = new FakeClock(new Date(T0));
    const runtime = new FakeRuntime({ clock });
    runtime.addImage('app:1', { config: { cmd: ['/app'] } });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    runtime.program(['/app'], async (p) => {
      p.out('hello 1');
      p.err('oops 1');
      p.writeFile('/var/log/app/a.log', 'file 1\nfile 2\n');
      await gate;
      p.out('hello 2');
      p.appendFile('/var/log/app/a.log', 'file 3\n');
      p.exit(0);
    });
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'pi-abc', namespace: 'default', uid: 'uid-1', attempt: 0 }, hostname: 'pi-abc' });
    const id = await runtime.createContainer(sandbox, { metadata: { name: 'main', attempt: 0 }, image: 'app:1', env: Object.entries(ENV).map(([name, value]) => ({ name, value })) });
    await runtime.startContainer(id);
    const info = await runtime.containerLogInfo(id);
    expect(info.logPath).toBeUndefined();
    const sink = new MemorySink();
    const make = () => {
      const c = new ContainerCollector({
        sink,
        runtime,
        container: { id, namespace: 'default', pod: 'pi-abc', podUID: 'uid-1', container: 'main' },
        info,
        configs: logConfigsOf(info.env).configs,
        hostAccess: true,
        now: () => clock.now().getTime(),
        logger: noopLogger,
        options: { scanIntervalMs: 0, settleMs: 0 },
      });
      collectors.push(c);
      return c;
    };
    const first = make();
    for (let i = 0; i < 20 && sink.lines.length < 4; i++) {
      await first.poll(false);
      await new Promise<void>((r) => setImmediate(r));
    }
    expect(sink.text('app-out')).toEqual(['hello 1', 'oops 1']);
    expect(sink.text('app-files')).toEqual(['file 1', 'file 2']);
    expect(sink.lines.find((l) => l.logstore === 'app-files')!.source.id).toBe(`${id}/path/var/log/app/a.log`);
    await first.close();
    release();
    await runtime.waitContainer(id);
    const second = make();
    let r = { progress: true, done: false };
    for (let i = 0; i < 50 && !r.done; i++) {
      r = await second.poll(true);
      await new Promise<void>((res) => setImmediate(res));
    }
    expect(r.done).toBe(true);
    expect(sink.text('app-out')).toEqual(['hello 1', 'oops 1', 'hello 2']);
    expect(sink.text('app-files')).toEqual(['file 1', 'file 2', 'file 3']);
  });
});
