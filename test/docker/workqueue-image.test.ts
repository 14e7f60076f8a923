// jobyard/workqueue:latest (scripts/images/workqueue.sh), the image of the work-queue examples:
// Debian's redis-server as the queue, and worker.py (rediswq.py's leases) draining it the way
// the workers of Kubernetes' fine and coarse work-queue examples do. Plain containers on the
// engine's bridge: what the image does, before any Service or Job is involved.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const IMAGE = 'jobyard/workqueue:latest';

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec('docker', args, { maxBuffer: 4 << 20 });
}

/** Runs a container of the image to its end; its exit code and output. */
async function run(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await docker('run', '--rm', '--label', 'jobyard.test=workqueue-image', ...args);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

describe('the work-queue image', () => {
  const name = `jobyard-test-redis-${randomBytes(4).toString('hex')}`;
  let redisIp = '';

  beforeAll(async () => {
    await docker('image', 'inspect', IMAGE).catch(() => {
      throw new Error(`${IMAGE} is missing: run scripts/setup.sh --with-examples (scripts/images/workqueue.sh builds it)`);
    });
    await docker('run', '-d', '--name', name, '--label', 'jobyard.test=workqueue-image', IMAGE, 'redis-server', '--protected-mode', 'no');
    redisIp = (await docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', name)).stdout.trim();
    // redis-server takes a moment to listen: ask until it answers (bounded).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ping = await run(IMAGE, 'redis-cli', '-h', redisIp, 'ping');
      if (ping.out.trim() === 'PONG') break;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING: ${ping.out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await docker('rm', '-f', name).catch(() => undefined);
  });

  it('redis-server answers another container', async () => {
    const ping = await run(IMAGE, 'redis-cli', '-h', redisIp, 'ping');
    expect(ping).toEqual({ code: 0, out: 'PONG\n' });
  });

  it('a fine-grained worker leases every item, completes it, and exits 0 when the queue is empty', async () => {
    const items = ['apple', 'banana', 'cherry', 'date', 'fig'];
    expect((await run(IMAGE, 'redis-cli', '-h', redisIp, 'rpush', 'fine', ...items)).out.trim()).toBe('5');
    const worker = await run('-e', `REDIS_HOST=${redisIp}`, '-e', 'QUEUE=fine', '-e', 'WORK_SECONDS=0', IMAGE, 'worker.py');
    expect(worker.code).toBe(0);
    const worked = [...worker.out.matchAll(/^Working on (\w+)$/gm)].map((m) => m[1]).sort();
    expect(worked).toEqual(items);
    expect(worker.out).toContain('Queue empty, exiting');
    // Nothing left: not in the queue, not leased.
    const left = await run(IMAGE, 'redis-cli', '-h', redisIp, 'eval', "return redis.call('llen', 'fine') + redis.call('llen', 'fine:processing') + #redis.call('keys', 'fine:leased_by_session:*')", '0');
    expect(left.out.trim()).toBe('0');
  });

  it('an item whose lease expired (its worker died) goes back to the queue and is done by the next worker', async () => {
    await run(IMAGE, 'redis-cli', '-h', redisIp, 'rpush', 'crash', 'orphan');
    // A worker that leased the item and died: the item sits in :processing with no lease key.
    await run(IMAGE, 'redis-cli', '-h', redisIp, 'rpoplpush', 'crash', 'crash:processing');
    const worker = await run('-e', `REDIS_HOST=${redisIp}`, '-e', 'QUEUE=crash', '-e', 'WORK_SECONDS=0', IMAGE, 'worker.py');
    expect(worker.code).toBe(0);
    expect(worker.out).toMatch(/^Working on orphan$/m);
  });

  it('a coarse worker (--one) takes exactly one item, and exits 1 on an empty queue', async () => {
    await run(IMAGE, 'redis-cli', '-h', redisIp, 'rpush', 'coarse', 'one', 'two');
    const first = await run('-e', `REDIS_HOST=${redisIp}`, '-e', 'QUEUE=coarse', '-e', 'WORK_SECONDS=0', IMAGE, 'worker.py', '--one');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Working on two$/m);
    expect((await run(IMAGE, 'redis-cli', '-h', redisIp, 'llen', 'coarse')).out.trim()).toBe('1');
    await run('-e', `REDIS_HOST=${redisIp}`, '-e', 'QUEUE=coarse', '-e', 'WORK_SECONDS=0', IMAGE, 'worker.py', '--one');
    const empty = await run('-e', `REDIS_HOST=${redisIp}`, '-e', 'QUEUE=coarse', IMAGE, 'worker.py', '--one');
    expect(empty.code).toBe(1);
    expect(empty.out).toContain('Queue empty, nothing to do');
  });
});
