// What the Docker runtime decides from what the engine says, for engine answers that a real
// engine gives only by chance (the contract test, docker-runtime.docker.test.ts, covers the
// ordinary answers against the real engine). The engine here is a Docker client whose
// events and inspect calls answer from a script.
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LABEL_CONTAINER_TYPE, LABEL_MANAGED } from '../container-runtime.js';
import { DockerRuntime } from './docker-runtime.js';

const ID = 'c0ffee'.padEnd(64, '0');
const LABELS = { [LABEL_MANAGED]: 'true', [LABEL_CONTAINER_TYPE]: 'container' };

/** An inspect answer of a container that exited 137 without State.OOMKilled. */
function exited137(): Docker.ContainerInspectInfo {
  return {
    Id: ID,
    Name: '/k8s_eater_oom-abc_default_uid_0',
    Created: '2026-11-28T10:00:00Z',
    Image: 'sha256:1',
    Config: { Image: 'busybox:latest', Labels: LABELS },
    HostConfig: {},
    Mounts: [],
    State: { Status: 'exited', Running: false, OOMKilled: false, ExitCode: 137, StartedAt: '2026-11-28T10:00:01Z', FinishedAt: '2026-11-28T10:00:02Z', Error: '' },
  } as unknown as Docker.ContainerInspectInfo;
}

function scriptedEngine(events: object[]): Docker {
  const docker = new Docker({ socketPath: '/nonexistent/docker.sock' });
  Object.assign(docker, {
    getEvents: async () => Readable.from(events.map((e) => `${JSON.stringify(e)}\n`)),
    getContainer: () => ({ inspect: async () => exited137() }),
    getImage: () => ({ inspect: async () => ({ RepoDigests: [] }) }),
  });
  return docker;
}

const dockerEvent = (action: string) => ({ Type: 'container', Action: action, Actor: { ID, Attributes: { ...LABELS, exitCode: '137' } }, timeNano: Date.now() * 1e6 });

async function drain(runtime: DockerRuntime): Promise<string[]> {
  const seen: string[] = [];
  for await (const ev of runtime.events({})) seen.push(ev.type);
  return seen;
}

describe('DockerRuntime and the OOM event that comes after the exit', () => {
  it('reports Error for exit 137 when no oom event was seen', async () => {
    const runtime = new DockerRuntime({ docker: scriptedEngine([dockerEvent('die')]) });
    expect(await drain(runtime)).toEqual(['exited']);
    expect(await runtime.containerStatus(ID)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error', oomKilled: false });
  });

  it('reports OOMKilled once the oom event arrived, even though the engine set no OOMKilled', async () => {
    const runtime = new DockerRuntime({ docker: scriptedEngine([dockerEvent('die'), dockerEvent('oom')]) });
    expect(await drain(runtime)).toEqual(['exited', 'oom']);
    expect(await runtime.containerStatus(ID)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'OOMKilled', oomKilled: true });
  });

  it('forgets the oom of a container that was removed', async () => {
    const runtime = new DockerRuntime({ docker: scriptedEngine([dockerEvent('oom'), dockerEvent('die'), dockerEvent('destroy')]) });
    expect(await drain(runtime)).toEqual(['oom', 'exited', 'removed']);
    expect(await runtime.containerStatus(ID)).toMatchObject({ reason: 'Error', oomKilled: false });
  });
});
