// The CRI runtime's pure mappings: our sandbox config as the kubelet's generatePodSandboxConfig
// writes it, CRI statuses in the interface's shapes, registry addresses as containerd compares
// them; and the relist events over a scripted RuntimeService. Against real containerd:
// cri-runtime.docker.test.ts.
import { describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../container-runtime.js';
import { EngineOperations } from '../engine-operations.js';
import { RuntimeError } from '../runtime-error.js';
import type { CriContext } from './context.js';
import { criEvents } from './events.js';
import type { Container__Output } from './generated/runtime/v1/Container.js';
import type { ContainerStatus__Output } from './generated/runtime/v1/ContainerStatus.js';
import { criAuth, criServerAddress } from './images.js';
import { criSandboxConfig } from './sandboxes.js';
import { containerStatusOf, sandboxOf } from './status.js';

const NS = 1_700_000_000_123_000_000;

function status(extra: Partial<ContainerStatus__Output>): ContainerStatus__Output {
  return {
    id: 'c1', metadata: { name: 'main', attempt: 2 }, state: 'CONTAINER_EXITED', created_at: NS, started_at: NS + 1e9, finished_at: NS + 2e9,
    exit_code: 0, image: { image: 'docker.io/library/busybox:1.36', annotations: {} }, image_ref: 'docker.io/library/busybox@sha256:' + 'a'.repeat(64),
    reason: 'Completed', message: '', labels: { 'io.kubernetes.sandbox.id': 's1' }, annotations: { hash: 'x' }, mounts: [], log_path: '', resources: null,
    ...extra,
  } as ContainerStatus__Output;
}

describe('criSandboxConfig', () => {
  it('writes what the kubelet sends: log directory, DNS, ports, namespaces, cgroup parent, our labels; no hostname on the host network', () => {
    const cfg = criSandboxConfig(
      {
        metadata: { name: 'p', namespace: 'ns', uid: 'u-1', attempt: 1 },
        hostname: 'p',
        labels: { app: 'x' },
        annotations: { a: 'b' },
        dns: { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] },
        portMappings: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' }],
        hostNetwork: true,
        hostPID: true,
        cgroupParent: '/jobyard/i/podu-1',
        singleContainer: true,
      },
      '/var/log/jobyard/pods',
    );
    expect(cfg).toMatchObject({
      metadata: { name: 'p', namespace: 'ns', uid: 'u-1', attempt: 1 },
      // hostNetwork: the node's hostname, none of its own (the kubelet sends none).
      hostname: '',
      log_directory: '/var/log/jobyard/pods/ns_p_u-1',
      dns_config: { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] },
      port_mappings: [{ protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '127.0.0.1' }],
      annotations: { a: 'b' },
      linux: { cgroup_parent: '/jobyard/i/podu-1', security_context: { namespace_options: { network: 'NODE', pid: 'NODE', ipc: 'POD' } } },
    });
    expect(cfg.labels).toMatchObject({
      app: 'x',
      'io.kubernetes.pod.name': 'p',
      'io.kubernetes.pod.namespace': 'ns',
      'io.kubernetes.pod.uid': 'u-1',
      'jobyard.io/managed': 'true',
      'jobyard.io/hostname': 'p',
      'jobyard.io/single-container': 'true',
    });
  });
});

describe('CRI statuses', () => {
  it('maps an exited container: reason, exit code, times from nanoseconds, image id from the list', () => {
    const listed = { id: 'c1', pod_sandbox_id: 's1', image_ref: 'sha256:' + 'b'.repeat(64) } as Container__Output;
    const st = containerStatusOf(status({ exit_code: 3, reason: 'Error' }), listed, '');
    expect(st).toMatchObject({ id: 'c1', sandboxId: 's1', state: 'exited', exitCode: 3, reason: 'Error', oomKilled: false, imageId: listed.image_ref, metadata: { name: 'main', attempt: 2 } });
    expect(st.imageRef).toMatch(/@sha256:/);
    expect(st.createdAt.getTime()).toBe(1_700_000_000_123);
    expect(st.finishedAt!.getTime() - st.startedAt!.getTime()).toBe(1000);
  });

  it('reads containerd StartError as ContainerCannotRun at creation, OOMKilled as OOMKilled', () => {
    const cannot = containerStatusOf(status({ reason: 'StartError', exit_code: 128, started_at: 0, message: 'exec: "/no/such": not found' }), undefined, 's1');
    expect(cannot).toMatchObject({ reason: 'ContainerCannotRun', exitCode: 128, message: 'exec: "/no/such": not found', sandboxId: 's1' });
    expect(cannot.startedAt).toEqual(cannot.finishedAt);
    expect(containerStatusOf(status({ reason: 'OOMKilled', exit_code: 137 }), undefined, '')).toMatchObject({ reason: 'OOMKilled', oomKilled: true });
    expect(containerStatusOf(status({ state: 'CONTAINER_RUNNING', finished_at: 0, reason: '' }), undefined, '')).not.toHaveProperty('reason');
    // An exit stamped before the start (a process that exits at once): never before it.
    const quick = containerStatusOf(status({ started_at: NS + 5e6, finished_at: NS + 4e6 }), undefined, '');
    expect(quick.finishedAt!.getTime()).toBe(quick.startedAt!.getTime());
  });

  it('reads a sandbox: IP only while ready, hostname from our label (not among its labels)', () => {
    const base = { id: 's1', metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, created_at: NS, network: { ip: '10.88.0.5', additional_ips: [] }, linux: null, labels: { app: 'x', 'jobyard.io/hostname': 'h' }, annotations: {}, runtime_handler: '' };
    expect(sandboxOf({ ...base, state: 'SANDBOX_READY' })).toMatchObject({ state: 'ready', ip: '10.88.0.5', hostname: 'h', labels: { app: 'x' } });
    expect(sandboxOf({ ...base, state: 'SANDBOX_NOTREADY' })).toMatchObject({ state: 'notready', ip: '' });
    expect(sandboxOf({ ...base, state: 'SANDBOX_READY' }).labels).not.toHaveProperty('jobyard.io/hostname');
  });
});

describe('registry credentials for the CRI', () => {
  it('gives the server address a scheme containerd can parse, Docker Hub as the host it talks to', () => {
    expect(criServerAddress('127.0.0.1:5000')).toBe('https://127.0.0.1:5000');
    expect(criServerAddress('https://index.docker.io/v1/')).toBe('https://registry-1.docker.io');
    expect(criServerAddress('docker.io')).toBe('https://registry-1.docker.io');
    expect(criServerAddress(undefined)).toBe('');
    expect(criAuth({ username: 'u', password: 'p', serverAddress: 'r.example:443' })).toMatchObject({ username: 'u', password: 'p', server_address: 'https://r.example:443' });
    expect(criAuth(undefined)).toBeNull();
  });
});

/** A RuntimeService that answers List* from `world` and ContainerStatus from `exits`. */
function scriptedContext(world: { sandboxes: unknown[]; containers: Container__Output[] }, exits: Record<string, Partial<ContainerStatus__Output>>): CriContext {
  const runtime = {
    ListPodSandbox: async () => ({ items: world.sandboxes }),
    ListContainers: async () => ({ containers: world.containers }),
    ContainerStatus: async ({ container_id }: { container_id: string }) => {
      const e = exits[container_id];
      if (!e) throw new RuntimeError('NotFound', 'gone');
      return { status: status({ id: container_id, ...e }), info: {} };
    },
  };
  return { runtime, images: {}, operations: new EngineOperations(), endpoint: '', logRoot: '', volumeRoot: '' } as unknown as CriContext;
}

function container(id: string, state: string, createdAt: number): Container__Output {
  return { id, pod_sandbox_id: 's1', metadata: { name: id, attempt: 0 }, image: null, image_ref: '', state, created_at: createdAt, labels: { 'io.kubernetes.docker.type': 'container', app: 'x' }, annotations: {} } as unknown as Container__Output;
}

async function take(it: AsyncIterator<ContainerEvent>, n: number): Promise<ContainerEvent[]> {
  const out: ContainerEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('criEvents (relist)', () => {
  it('tells every step of a container first seen exited, an OOM kill before its exit, then its removal; not what was there before', async () => {
    const before = (Date.now() - 60_000) * 1e6;
    const world = { sandboxes: [] as unknown[], containers: [container('old', 'CONTAINER_RUNNING', before), container('quick', 'CONTAINER_EXITED', (Date.now() + 1000) * 1e6)] };
    const ctx = scriptedContext(world, { quick: { exit_code: 137, reason: 'OOMKilled' } });
    const ac = new AbortController();
    const events = criEvents(ctx, { signal: ac.signal }, 5)[Symbol.asyncIterator]();
    const first = await take(events, 4);
    expect(first.map((e) => [e.type, e.id])).toEqual([
      ['created', 'quick'],
      ['started', 'quick'],
      ['oom', 'quick'],
      ['exited', 'quick'],
    ]);
    expect(first[3]).toMatchObject({ exitCode: 137, containerType: 'container', labels: { app: 'x' } });
    // 'old' was there before the stream began: never told; 'quick' goes, 'later' comes.
    world.containers = [world.containers[0]!, container('later', 'CONTAINER_CREATED', Date.now() * 1e6)];
    const next = await take(events, 2);
    expect(next.map((e) => [e.type, e.id]).sort()).toEqual([
      ['created', 'later'],
      ['removed', 'quick'],
    ]);
    ac.abort();
    expect((await events.next()).done).toBe(true);
  });
});
