// The test's own hands on the API (bearer token, HTTPS): checks what the console wrote, and plays
// the Job controller and the node when a journey is about the console's live view, as
// Kubernetes' integration tests do (no kubelet).
import type { Job } from '../../../api/batch.js';
import type { Node, Pod } from '../../../api/core.js';
import { apiRequest } from '../../support/api.js';
import type { JobyardServer } from '../../support/jobyard-server.js';
import { eventually } from './browser.js';

export class ApiDriver {
  private readonly server: JobyardServer;

  constructor(server: JobyardServer) {
    this.server = server;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await apiRequest(this.server, method, path, { body, contentType });
    if (r.code >= 300) throw new Error(`${method} ${path}: ${r.code} ${r.body}`);
    return (r.body ? r.json<T>() : undefined) as T;
  }

  async status(method: string, path: string, body?: unknown): Promise<number> {
    return (await apiRequest(this.server, method, path, { body })).code;
  }

  getJob(ns: string, name: string): Promise<Job> {
    return this.call<Job>('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
  }

  async listJobs(ns: string): Promise<Job[]> {
    return (await this.call<{ items: Job[] }>('GET', `/apis/batch/v1/namespaces/${ns}/jobs`)).items;
  }

  async jobExists(ns: string, name: string): Promise<boolean> {
    return (await this.status('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`)) === 200;
  }

  createJob(job: Job): Promise<Job> {
    return this.call<Job>('POST', `/apis/batch/v1/namespaces/${job.metadata.namespace}/jobs`, job);
  }

  async listPods(ns: string, labelSelector?: string): Promise<Pod[]> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.call<{ items: Pod[] }>('GET', `/api/v1/namespaces/${ns}/pods${q}`)).items;
  }

  /** Waits (60 s) for the server's node agent to register its node: without it nothing runs. */
  async waitForNode(): Promise<void> {
    await eventually(
      async () => {
        const nodes = await this.call<{ items: Node[] }>('GET', '/api/v1/nodes');
        if (nodes.items.length === 0) throw new Error('no node registered within 60 s: the node agent is not running in `jobyard server` (is the Docker engine up? scripts/setup.sh)');
      },
      60_000,
      1000,
    );
  }

  /** Registers a node reporting `images`, as the agent would (the picker lists them). */
  async registerNode(name: string, images: string[][]): Promise<Node> {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { images: images.map((names) => ({ names, sizeBytes: 1_400_000 })), conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const created = await this.call<Node>('POST', '/api/v1/nodes', node);
    // The status may be dropped on create (a status subresource); write it there too.
    await this.call('PATCH', `/api/v1/nodes/${name}/status`, { status: node.status }, 'application/merge-patch+json').catch(() => undefined);
    return created;
  }

  /** Creates a pod owned by the Job, as its controller would. */
  async createPodFor(job: Job, name: string): Promise<Pod> {
    const uid = job.metadata.uid ?? '';
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: job.metadata.namespace,
        labels: { ...(job.spec.template.metadata?.labels ?? {}), 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.metadata.name ?? '' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...job.spec.template.spec, nodeName: 'e2e-node' },
    };
    return this.call<Pod>('POST', `/api/v1/namespaces/${job.metadata.namespace}/pods`, pod);
  }

  /** Writes a pod's status, as the node would. */
  async setPodStatus(ns: string, name: string, status: Pod['status']): Promise<void> {
    await this.call('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, { status }, 'application/merge-patch+json');
  }

  /** Writes a Job's status, as the controller would. */
  async setJobStatus(ns: string, name: string, status: Job['status']): Promise<void> {
    await this.call('PATCH', `/apis/batch/v1/namespaces/${ns}/jobs/${name}/status`, { status }, 'application/merge-patch+json');
  }
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
export const now = () => iso(Date.now());

export function runningStatus(container = 'container-0'): Pod['status'] {
  return {
    phase: 'Running',
    startTime: now(),
    podIP: '10.88.0.7',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: container, ready: true, restartCount: 0, image: 'busybox:latest', imageID: '', state: { running: { startedAt: now() } } }],
  };
}

export function terminatedStatus(exitCode: number, reason: string, container = 'container-0'): Pod['status'] {
  return {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    startTime: now(),
    podIP: '10.88.0.7',
    containerStatuses: [{ name: container, ready: false, restartCount: 0, image: 'busybox:latest', imageID: '', state: { terminated: { exitCode, reason, startedAt: now(), finishedAt: now() } } }],
  };
}
