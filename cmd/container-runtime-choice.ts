// `jobyard server --runtime docker|containerd`: which engine the node agent runs pods on.
// Docker is reached through its Engine API at DOCKER_HOST (server.ts); a CRI runtime (jobyard's
// containerd, set up by scripts/containerd.sh; CRI-O speaks the same CRI) through gRPC at the
// kubelet's --container-runtime-endpoint. What differs besides the client lives here: how to
// probe it before anything is written, where its pods' network is, which paths it owns.
import { connect } from 'node:net';
import { errorMessage } from '../machinery/index.js';
import type { ProtectedPath } from '../server/index.js';
import type { ContainerRuntime } from '../agent/runtime/index.js';
import { cniBridgeNetwork, type PodNetwork } from './cni-network.js';

export const CONTAINER_RUNTIMES = ['docker', 'containerd'] as const;
export type ContainerRuntimeName = (typeof CONTAINER_RUNTIMES)[number];

/** jobyard's own containerd (scripts/containerd.sh), as the kubelet's --container-runtime-endpoint. */
export const DEFAULT_CONTAINERD_ENDPOINT = 'unix:///run/jobyard/containerd/containerd.sock';

/**
 * A --container-runtime-endpoint as a unix:// URL: the kubelet takes `unix:///path` (and, deprecated,
 * a bare absolute path); gRPC here speaks only unix sockets. Throws with what is wrong.
 */
export function normalizeCriEndpoint(value: string): string {
  const path = value.startsWith('unix://') ? value.slice('unix://'.length) : value;
  if (!path.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new Error(`must be a unix socket: unix:///path/to.sock (or an absolute path), not '${value}'`);
  }
  return `unix://${path}`;
}

function socketPath(endpoint: string): string {
  return endpoint.slice('unix://'.length);
}

function noCriRuntime(endpoint: string, err: unknown): Error {
  const own = endpoint === DEFAULT_CONTAINERD_ENDPOINT;
  return new Error(
    `no CRI runtime answers at ${endpoint} (${errorMessage(err)}): ${own ? "start jobyard's containerd (sudo scripts/containerd.sh start), " : 'start it, '}point --container-runtime-endpoint at a running one, or run without the node agent (--no-agent)`,
    { cause: err },
  );
}

/** Whether anything listens on the CRI socket: a missing or refused socket fails at once, before anything is written. */
export function probeCriRuntime(endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath(endpoint) });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => reject(noCriRuntime(endpoint, err)));
  });
}

/** The CRI runtime at `endpoint`, answering (its Version call); fails with how to start one. */
export async function connectCriRuntime(endpoint: string, maxConcurrentOperations: number | undefined): Promise<ContainerRuntime> {
  // Loaded only here, with --runtime containerd: @grpc/grpc-js and the proto are not loaded otherwise.
  const { CriRuntime, criContainerLogManager } = await import('../agent/runtime/cri/index.js');
  const runtime = new CriRuntime({ endpoint, ...(maxConcurrentOperations ? { maxConcurrentOperations } : {}) });
  try {
    await runtime.info();
  } catch (err) {
    throw noCriRuntime(endpoint, err);
  }
  // The runtime writes the containers' logs, the node rotates them (the kubelet's container log
  // manager: 10 MiB x 5, every 10 s; its timer never keeps the process alive).
  void criContainerLogManager(runtime.context).run(new AbortController().signal);
  return runtime;
}

/** The pods' network of a CRI runtime: its CNI bridge (jobyard's: jobyard-cni0, 10.88.0.0/16, gateway 10.88.0.1). */
export function criPodNetwork(): PodNetwork {
  return cniBridgeNetwork();
}

/** What no hostPath may reach under a CRI runtime: its socket, and jobyard's containerd's state. */
export function criProtectedPaths(endpoint: string): ProtectedPath[] {
  const socket = socketPath(endpoint);
  return [
    { path: socket, what: "the container engine's socket" },
    { path: '/run/jobyard/containerd', what: "the container engine's state" },
    { path: '/var/lib/jobyard/containerd', what: "the container engine's state" },
    { path: '/etc/jobyard', what: "the container engine's configuration" },
  ];
}
