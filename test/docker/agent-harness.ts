// Helpers for the node agent's docker tier: a real `jobyard server` (controllers and agent in
// the process, against the real engine), kubectl with JSON manifests, polling with deadlines,
// and clean-up of what the server's agent left on the engine (by its instance label).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Event, Pod } from '../../api/index.js';
import { JobyardServer, type KubectlResult, removeAgentCgroups } from '../support/jobyard-server.js';
import { waitFor as waitForBase } from '../support/wait.js';
import { removeCriLeftovers, requireCriRuntime, TEST_RUNTIME } from '../support/test-runtime.js';

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
