// The node lifecycle controller's tainting pass (upstream pkg/controller/nodelifecycle,
// doNoScheduleTaintingPass, TaintNodesByCondition): a node that is not Ready, under memory,
// disk or PID pressure, or cordoned (spec.unschedulable, `kubectl cordon`) gets the matching
// node.kubernetes.io/<...>:NoSchedule taint, removed again when the cause goes. The scheduler
// skips tainted nodes for pods without a toleration.
// Not done here, unlike upstream: the not-ready/unreachable NoExecute taints that evict every pod
// of a node silent for 5 minutes: jobyard's one node reports its own NotReady (engine health),
// and evicting its pods would only make replacements with nowhere else to go.
import type { Node } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { isNotFound } from '../../machinery/index.js';
import { runController } from '../run-controller.js';
import { noScheduleTaints } from './taints.js';

export interface NodeLifecycleControllerDeps {
  clientset: Pick<Clientset, 'nodes'>;
  informers: InformerFactory;
  scheduler?: Scheduler;
  logger?: Logger;
}

/** Keeps the NoSchedule taints of nodes in step with their conditions and spec.unschedulable. */
export class NodeLifecycleController {
  readonly queue: WorkQueue<string>;
  readonly nodeInformer: SharedInformer<Node>;
  readonly nodeLister: Lister<Node>;
  private readonly worker: QueueWorker<string>;
  private readonly clientset: Pick<Clientset, 'nodes'>;
  private readonly logger: Logger;

  constructor(deps: NodeLifecycleControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    this.queue = new WorkQueue<string>({ name: 'node_lifecycle_controller', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(50, 30_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncNode(key), retryAfterBackoff(this.logger, 'failed to taint node'));
    this.nodeInformer = deps.informers.forResource<Node>(Resources.nodes);
    this.nodeLister = this.nodeInformer.lister();
    this.nodeInformer.addEventHandler({
      add: (n) => this.enqueue(n),
      update: (_o, n) => this.enqueue(n),
    });
  }

  private enqueue(node: DeepReadonly<Node>): void {
    if (noScheduleTaints(node)) this.queue.add(node.metadata.name ?? '');
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    await runController(signal, {
      name: 'node lifecycle controller',
      logger: this.logger,
      informers: [this.nodeInformer],
      queues: [{ worker: this.worker, count: workerCount }],
    });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  /** One node: its taints patched, guarded by its resourceVersion (a conflict retries from the new node). */
  async syncNode(name: string): Promise<void> {
    const node = this.nodeLister.get(name);
    if (!node) return;
    const taints = noScheduleTaints(node);
    if (!taints) return;
    try {
      await this.clientset.nodes.patch(name, 'merge', { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
