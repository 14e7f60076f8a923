// A simulated Node (kwok's fake node): registered with a taint so that only pods that opt in
// land on it, large capacity, nodeInfo saying what it is, and a Ready condition kept fresh by a
// heartbeat, as the real agent's node-status.ts keeps its own.
import type { Node, NodeCondition } from '../../api/index.js';
import type { Clientset, Logger, Scheduler, TimerHandle } from '../../client/index.js';
import { errorMessage, isAlreadyExists, isNotFound, rfc3339 } from '../../machinery/index.js';

/** Label and taint key of simulated nodes (kwok's kwok.x-k8s.io/node=fake). */
export const SIMULATED_NODE_KEY = 'node.jobyard.io/simulated';
/** The taint a pod tolerates to be scheduled on a simulated node. */
export const SIMULATED_NODE_TAINT: Readonly<{ key: string; value: string; effect: string }> = { key: SIMULATED_NODE_KEY, value: 'true', effect: 'NoSchedule' };
/** cpu 32 and memory 256Gi as kwok's nodes; pods 1000 (kwok: 110) so one node holds a parallelism-300 Job. */
export const DEFAULT_SIMULATED_CAPACITY: Readonly<Record<string, string>> = { cpu: '32', memory: '256Gi', pods: '1000', 'ephemeral-storage': '1Ti' };

export interface SimulatedNodeSpec {
  name: string;
  /** status.addresses InternalIP, and the hostIP of its pods. */
  ip: string;
  capacity: Record<string, string>;
  kubeletVersion: string;
}

function readyConditions(old: readonly NodeCondition[] | undefined, now: string): NodeCondition[] {
  const make = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const prev = (old ?? []).find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now, reason, message };
  };
  return [
    make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    make('Ready', 'True', 'KubeletReady', 'simulated kubelet is posting ready status'),
  ];
}

export function simulatedNodeStatus(spec: SimulatedNodeSpec, old: Node['status'], now: Date): NonNullable<Node['status']> {
  return {
    ...(old ?? {}),
    capacity: { ...spec.capacity },
    allocatable: { ...spec.capacity },
    conditions: readyConditions(old?.conditions, rfc3339(now)),
    addresses: [
      { type: 'InternalIP', address: spec.ip },
      { type: 'Hostname', address: spec.name },
    ],
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: '',
      osImage: 'simulated (jobyard server --simulated-nodes)',
      containerRuntimeVersion: 'simulated://0',
      kubeletVersion: spec.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

const LABELS = (name: string): Record<string, string> => ({
  'kubernetes.io/hostname': name,
  'kubernetes.io/os': 'linux',
  'kubernetes.io/arch': 'amd64',
  type: 'simulated',
  [SIMULATED_NODE_KEY]: 'true',
});

/** Creates the Node, or adopts an existing one (our labels and taint added), and writes its status. */
export async function registerSimulatedNode(client: Clientset, spec: SimulatedNodeSpec, now: Date): Promise<Node> {
  let node: Node;
  try {
    node = await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: spec.name, labels: LABELS(spec.name) }, spec: { taints: [{ ...SIMULATED_NODE_TAINT }] } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = await client.nodes.get(spec.name);
    const taints = (existing.spec?.taints ?? []).filter((t) => t.key !== SIMULATED_NODE_KEY);
    node = await client.nodes.update({
      ...existing,
      metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels ?? {}), ...LABELS(spec.name) } },
      spec: { ...existing.spec, taints: [...taints, { ...SIMULATED_NODE_TAINT }] },
    });
  }
  return client.nodes.updateStatus({ ...node, status: simulatedNodeStatus(spec, node.status, now) });
}

/** Writes every node's conditions every `intervalMs` (the real agent's report interval). */
export class NodeHeartbeat {
  private timer: TimerHandle | undefined;
  private stopped = false;

  private readonly client: Clientset;
  private readonly nodes: SimulatedNodeSpec[];
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly intervalMs: number;

  constructor(client: Clientset, nodes: SimulatedNodeSpec[], scheduler: Scheduler, logger: Logger, intervalMs: number) {
    this.client = client;
    this.nodes = nodes;
    this.scheduler = scheduler;
    this.logger = logger;
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimer(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.scheduler.setTimer(() => void this.beat().finally(() => this.schedule()), this.intervalMs);
  }

  async beat(): Promise<void> {
    for (const spec of this.nodes) {
      if (this.stopped) return;
      try {
        const node = await this.client.nodes.get(spec.name);
        await this.client.nodes.updateStatus({ ...node, status: simulatedNodeStatus(spec, node.status, this.scheduler.now()) });
      } catch (err) {
        if (isNotFound(err)) {
          // Someone deleted the Node: register it again, as the kubelet does.
          await registerSimulatedNode(this.client, spec, this.scheduler.now()).catch((e: unknown) => this.logger.warn('simulated node registration failed', { node: spec.name, error: errorMessage(e) }));
        } else this.logger.warn('simulated node heartbeat failed', { node: spec.name, error: errorMessage(err) });
      }
    }
  }
}
