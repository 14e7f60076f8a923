import { describe, expect, it } from 'vitest';
import { LOGSTORE_RESOURCE, type Logstore } from '../../api/index.js';
import { noopLogger } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { FakeRuntime } from '../runtime/testing/index.js';
import { LogCollector } from './log-collector.js';
import { MemorySink } from './testing/memory-sink.js';

async function setup() {
  const clock = new FakeClock('2026-03-01T12:00:00Z');
  const runtime = new FakeRuntime({ clock });
  runtime.addImage('app:1', { config: { cmd: ['/app'] } });
  runtime.program(['/app'], (p) => {
    for (let i = 1; i <= 3; i++) p.out(`${p.containerName} line ${i}`);
    p.exit(0);
  });
  const sink = new MemorySink();
  const client = new FakeClientset({ clock });
  const collector = new LogCollector({
    runtime,
    sink,
    client,
    instanceLabels: { agent: 'a1' },
    scheduler: new FakeScheduler(clock),
    logger: noopLogger,
    options: { settleMs: 0, scanIntervalMs: 0 },
  });
  const sandbox = await runtime.runPodSandbox({
    metadata: { name: 'pi-abc', namespace: 'default', uid: 'uid-1', attempt: 0 },
    hostname: 'pi-abc',
    labels: { 'batch.kubernetes.io/job-name': 'pi', agent: 'a1' },
  });
  const container = async (name: string, env: Record<string, string>, labels = { agent: 'a1' }) => {
    const id = await runtime.createContainer(sandbox, { metadata: { name, attempt: 0 }, image: 'app:1', labels, env: Object.entries(env).map(([n, value]) => ({ name: n, value })) });
    await runtime.startContainer(id);
    await runtime.waitContainer(id);
    return id;
  };
  return { runtime, sink, client, collector, container };
}

describe('LogCollector', () => {
  it('drains a container before its removal, even one it never listed, with the job from the pod labels', async () => {
    const { sink, collector, container } = await setup();
    const id = await container('main', { aliyun_logs_pi: 'stdout', aliyun_logs_pi_tags: 'k=v' });
    await collector.drainContainer(id);
    expect(sink.text('pi')).toEqual(['main line 1', 'main line 2', 'main line 3']);
    expect(sink.lines[0].source).toMatchObject({ namespace: 'default', pod: 'pi-abc', container: 'main', job: 'pi', tags: { k: 'v' } });
    expect(sink.checkpointsBySource.get(`pi\0${id}/stdio`)?.finished).toBe(true);
  });

  it('creates the logstores pods name, once', async () => {
    const { client, collector, container } = await setup();
    await container('a', { 'aliyun_logs_one': 'stdout' });
    await container('b', { 'aliyun_logs_one': 'stdout', 'aliyun_logs_two': '/var/log/*.log' });
    await collector.relist();
    await new Promise<void>((r) => setImmediate(r));
    const names = (await client.resource<Logstore>(LOGSTORE_RESOURCE).list()).items.map((l) => l.metadata.name);
    expect(names.sort()).toEqual(['one', 'two']);
    expect(client.actionsFor('create', 'logstores')).toHaveLength(2);
  });

  it('sends nothing for a container without log settings', async () => {
    const { sink, collector, container } = await setup();
    const id = await container('plain', { A: 'b' });
    await collector.relist();
    await collector.drainContainer(id);
    expect(sink.calls).toEqual([]);
  });
});
