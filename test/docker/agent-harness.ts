// Helpers for the node agent's docker tier: a real `jobyard server` (controllers and agent in
// the process, against the real engine), kubectl with JSON manifests, polling with deadlines,
// and clean-up of what the server's agent left on the engine (by its instance label).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Event, Pod } from '../../api/index.js';
import { JobyardServer, type KubectlResult, removeAgentCgroups } from '../support/jobyard-server.js';
import { waitFor as waitForBase } from '../support/wait.js';
import { CRI_VOLUME_ROOT, removeCriLeftovers, requireCriRuntime, TEST_CRI_ENDPOINT, TEST_RUNTIME } from '../support/test-runtime.js';

/** waitFor with the docker tier's longer defaults (real containers: 60 s, every 250 ms). */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  return waitForBase(what, probe, timeoutMs, intervalMs);
}

export const docker = new Docker();
export const BUSYBOX = 'busybox:1.36';

/** Fails the suite loudly when the engine or the image is missing (never a silent skip). */
export async function requireEngine(): Promise<void> {
  // JOBYARD_TEST_RUNTIME=containerd: the servers run pods on containerd (images still built by Docker).
  if (TEST_RUNTIME === 'containerd') await requireCriRuntime(`docker.io/library/${BUSYBOX}`);
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`no Docker engine answers (${(err as Error).message}): run scripts/setup.sh`, { cause: err });
  }
  try {
    await docker.getImage(BUSYBOX).inspect();
  } catch {
    throw new Error(`image ${BUSYBOX} is missing: run scripts/setup.sh (scripts/images/build.sh builds it)`);
  }
}

/** A server with controllers and the agent. */
export async function startAgentServer(opts: { dataDir?: string; args?: string[] } = {}): Promise<JobyardServer> {
  await requireEngine();
  return JobyardServer.start({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), args: opts.args ?? [] });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectl(server: JobyardServer, args: string[], input?: string): Promise<string> {
  const r: KubectlResult = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** kubectl apply of objects given as JSON. */
export async function apply(server: JobyardServer, ...objects: unknown[]): Promise<void> {
  // A stream of JSON documents (kubectl reads one object after another).
  await kubectl(server, ['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
}

export async function getJson<T>(server: JobyardServer, args: string[]): Promise<T> {
  return JSON.parse(await kubectl(server, ['get', ...args, '-o', 'json'])) as T;
}

export async function getPod(server: JobyardServer, ns: string, name: string): Promise<Pod> {
  return getJson<Pod>(server, ['pod', name, '-n', ns]);
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs` with `what`. */

/** Waits until the pod matches `cond`; returns it. */
export async function waitPod(server: JobyardServer, ns: string, name: string, what: string, cond: (p: Pod) => boolean, timeoutMs = 60_000): Promise<Pod> {
  return waitFor(`pod ${ns}/${name} ${what}`, async () => {
    const p = await getPod(server, ns, name);
    return cond(p) ? p : undefined;
  }, timeoutMs);
}

export const phaseIs = (...phases: string[]) => (p: Pod) => phases.includes(p.status?.phase ?? '');

/** Events about one object, oldest first, as "Reason: message". */
export async function eventsFor(server: JobyardServer, ns: string, name: string): Promise<string[]> {
  const list = await getJson<{ items: Event[] }>(server, ['events', '-n', ns, '--field-selector', `involvedObject.name=${name}`]);
  return list.items
    .sort((a, b) => (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((e) => `${e.reason}: ${e.message}`);
}

/** A pod manifest with defaults the tier wants (grace 1 s where grace is not under test). */
export function pod(ns: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { terminationGracePeriodSeconds: 1, ...spec } };
}

export function namespace(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** The label value naming this server's agent on the engine. */
export function agentInstance(dataDir: string): string {
  return readFileSync(join(dataDir, 'agent', 'instance'), 'utf8').trim();
}

/** Containers (incl. sandboxes) this server's agent made, running or not. */
export async function agentContainers(dataDir: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`jobyard.io/agent=${agentInstance(dataDir)}`] } });
}

/** Removes what this server's agent left on the engine (containers and volumes), and only that. */
export async function removeAgentLeftovers(dataDir: string): Promise<void> {
  let instance: string;
  try {
    instance = agentInstance(dataDir);
  } catch {
    return;
  }
  if (TEST_RUNTIME === 'containerd') {
    await removeCriLeftovers(instance);
    removeAgentCgroups(instance);
    return;
  }
  const containers = await docker.listContainers({ all: true, filters: { label: [`jobyard.io/agent=${instance}`] } });
  for (const c of containers) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  const { Volumes } = await docker.listVolumes({ filters: { label: [`jobyard.io/agent=${instance}`] } });
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  removeAgentCgroups(instance);
}

// --- the run's engine, whichever it is (JOBYARD_TEST_RUNTIME) -------------------------------

/** A pod sandbox or container on the engine (Docker: a container, pause ones marked sandbox). */
export interface EngineContainer {
  id: string;
  sandbox: boolean;
  /** running, exited or created. */
  state: string;
}

const CRI_STATES: Record<string, string> = { SANDBOX_READY: 'running', SANDBOX_NOTREADY: 'exited', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited', CONTAINER_CREATED: 'created' };

async function withCri<T>(fn: (cri: import('../../agent/runtime/cri/client.js').CriClient) => Promise<T>): Promise<T> {
  const { connectCri } = await import('../../agent/runtime/cri/client.js');
  const cri = connectCri(TEST_CRI_ENDPOINT);
  try {
    return await fn(cri);
  } finally {
    cri.close();
  }
}

/** Sandboxes and containers carrying all of `labels`, running or not. */
export async function engineContainers(labels: Record<string, string>): Promise<EngineContainer[]> {
  if (TEST_RUNTIME === 'docker') {
    const list = await docker.listContainers({ all: true, filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) } });
    return list.map((c) => ({ id: c.Id, sandbox: c.Labels['io.kubernetes.docker.type'] === 'podsandbox', state: c.State }));
  }
  return withCri(async (cri) => {
    const sandboxes = await cri.runtime.ListPodSandbox({ filter: { label_selector: labels } });
    const containers = await cri.runtime.ListContainers({ filter: { label_selector: labels } });
    return [
      ...(sandboxes.items ?? []).map((s) => ({ id: s.id, sandbox: true, state: CRI_STATES[String(s.state)] ?? String(s.state) })),
      ...(containers.containers ?? []).map((c) => ({ id: c.id, sandbox: false, state: CRI_STATES[String(c.state)] ?? String(c.state) })),
    ];
  });
}

/**
 * Removes one name of an image from the engine, not the image's other names. On containerd also
 * the repository's digest names the pull made (`repo@sha256:...`: containerd reports the first
 * of an image's repo digests as a container's imageID, so one left by an earlier run's registry
 * would stand in for this one's), with `ctr images rm`: the CRI's RemoveImage removes an image
 * with all its names (busybox:1.36 and a test's private copy of it are one image).
 */
export async function removeImageName(ref: string): Promise<void> {
  if (TEST_RUNTIME === 'docker') {
    await docker.getImage(ref).remove().catch(() => undefined);
    return;
  }
  const { execFile } = await import('node:child_process');
  const ctr = (args: string[]) =>
    new Promise<string>((resolve) => execFile('ctr', ['--address', TEST_CRI_ENDPOINT.replace(/^unix:\/\//, ''), '--namespace', 'k8s.io', ...args], (_err, stdout) => resolve(String(stdout ?? ''))));
  const repo = ref.replace(/(@sha256:[0-9a-f]+|:[^:/]+)$/, '');
  const names = (await ctr(['images', 'ls', '-q'])).split('\n').filter((n) => n === ref || n.startsWith(`${repo}@sha256:`));
  if (names.length) await ctr(['images', 'rm', ...names]);
}

/** Names of the engine's volumes carrying all of `labels` (a CRI node's are host directories). */
export async function engineVolumes(labels: Record<string, string> = {}): Promise<string[]> {
  if (TEST_RUNTIME === 'docker') {
    const { Volumes } = await docker.listVolumes(Object.keys(labels).length ? { filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) } } : {});
    return (Volumes ?? []).map((v) => v.Name);
  }
  const { HostVolumes } = await import('../../agent/runtime/host-volumes/index.js');
  return (await new HostVolumes({ root: CRI_VOLUME_ROOT }).listVolumes(labels)).map((v) => v.name);
}

/** A container's volume mounts as [volume name, path in the container]; `id` as in containerID, with or without its scheme. */
export async function containerVolumeMounts(id: string): Promise<[string, string][]> {
  const bare = id.replace(/^[a-z]+:\/\//, '');
  if (TEST_RUNTIME === 'docker') {
    return (await docker.getContainer(bare).inspect()).Mounts.filter((m) => m.Name).map((m) => [m.Name!, m.Destination]);
  }
  return withCri(async (cri) => {
    const { status } = await cri.runtime.ContainerStatus({ container_id: bare });
    return (status?.mounts ?? []).filter((m) => m.host_path.startsWith(`${CRI_VOLUME_ROOT}/`)).map((m) => [m.host_path.slice(CRI_VOLUME_ROOT.length + 1).split('/')[0]!, m.container_path] as [string, string]);
  });
}
