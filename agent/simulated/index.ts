// Simulated nodes (`jobyard server --simulated-nodes N`, kwok-like): Nodes whose pods "run"
// for the duration of an annotation, with no containers; an API client like the real agent.
// Imports api/, machinery/ and client/ only, never the agent's runtime.
import { ClientEventRecorder, type Clientset, type Logger, NodeLeaseController, noopLogger, realScheduler, type Scheduler } from '../../client/index.js';
import { DEFAULT_SIMULATED_CAPACITY, NodeHeartbeat, registerSimulatedNode, type SimulatedNodeSpec } from './simulated-node.js';
import { SimulatedKubelet } from './simulated-kubelet.js';

export * from './pod-status.js';
export * from './simulated-node.js';
export { SimulatedKubelet } from './simulated-kubelet.js';
export { TimerHeap } from './timer-heap.js';

export interface SimulatedNodesOptions {
  client: Clientset;
  count: number;
  /** Node names are `<prefix><i>`. @defaultValue "sim-node-" */
  namePrefix?: string;
  /** capacity and allocatable of each node, over the defaults (DEFAULT_SIMULATED_CAPACITY). */
  capacity?: Record<string, string>;
  kubeletVersion: string;
  /** How often each node's Ready condition is written. @defaultValue 60 s (the real agent's report interval) */
  heartbeatIntervalMs?: number;
  /** Pod writes in flight at once. @defaultValue 64 */
  maxInFlight?: number;
  scheduler?: Scheduler;
  logger?: Logger;
}

export interface RunningSimulatedNodes {
  nodeNames: string[];
  kubelet: SimulatedKubelet;
  stop(): Promise<void>;
}

/** The IP of simulated node i: 172.30.0.0/16, from .1. */
export function simulatedNodeIP(i: number): string {
  const n = i + 1;
  return `172.30.${(n >> 8) & 255}.${n & 255}`;
}

/** Registers the nodes, then plays the pods bound to them until stopped. */
export async function startSimulatedNodes(opts: SimulatedNodesOptions): Promise<RunningSimulatedNodes> {
  const scheduler = opts.scheduler ?? realScheduler;
  const logger = opts.logger ?? noopLogger;
  const prefix = opts.namePrefix ?? 'sim-node-';
  const specs: SimulatedNodeSpec[] = Array.from({ length: opts.count }, (_, i) => ({
    name: `${prefix}${i}`,
    ip: simulatedNodeIP(i),
    capacity: { ...DEFAULT_SIMULATED_CAPACITY, ...(opts.capacity ?? {}) },
    kubeletVersion: opts.kubeletVersion,
  }));
  const leases: NodeLeaseController[] = [];
  for (const spec of specs) {
    const node = await registerSimulatedNode(opts.client, spec, scheduler.now());
    // Each node's heartbeat Lease, as kwok keeps for its nodes.
    const lease = new NodeLeaseController({ client: opts.client, nodeName: spec.name, scheduler, logger });
    await lease.start(node);
    leases.push(lease);
  }
  const recorder = new ClientEventRecorder({ events: opts.client.events, component: 'kubelet', host: 'simulated', clock: scheduler, logger, defaultKind: { kind: 'Pod', apiVersion: 'v1' } });
  const kubelet = new SimulatedKubelet({ client: opts.client, nodes: new Map(specs.map((s) => [s.name, s.ip])), scheduler, recorder, logger, maxInFlight: opts.maxInFlight });
  await kubelet.start();
  const heartbeat = new NodeHeartbeat(opts.client, specs, scheduler, logger, opts.heartbeatIntervalMs ?? 60_000);
  heartbeat.start();
  return {
    nodeNames: specs.map((s) => s.name),
    kubelet,
    async stop() {
      heartbeat.stop();
      for (const lease of leases) lease.stop();
      await kubelet.stop();
    },
  };
}
