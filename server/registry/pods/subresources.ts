// The subresources of pods besides status: log, exec, attach and portforward are answered by
// the node (NodeStreams, upstream's kubelet connection); binding is an update through its own strategy.
import type { Pod } from '../../../api/index.js';
import type { SubresourceDefinition } from '../resource.js';
import { BINDING_CREATED, podBinding, podBindingStrategy } from './binding.js';
import { handlePodEviction } from './eviction.js';
import { handlePodLog } from './log.js';
import { podStatusStrategy } from './strategy.js';
import { handlePodPortForward } from './portforward.js';
import { handlePodAttach, handlePodExec } from './streams.js';

// The query parameters the OpenAPI documents list for each, as upstream's PodLogOptions,
// PodExecOptions and PodAttachOptions declare them.
const LOG_QUERY = ['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'previous', 'sinceSeconds', 'stream', 'tailLines', 'timestamps'];
const EXEC_QUERY = ['command', 'container', 'stderr', 'stdin', 'stdout', 'tty'];
const ATTACH_QUERY = ['container', 'stderr', 'stdin', 'stdout', 'tty'];
const PORTFORWARD_QUERY = ['ports'];

// Discovery's order, as upstream lists them.
export const podSubresources: SubresourceDefinition[] = [
  {
    name: 'attach',
    kind: 'PodAttachOptions',
    // GET is what WebSocket clients send; POST is what SPDY clients sent.
    verbs: ['create', 'get'],
    handler: (req) => handlePodAttach(req.node.streams, req.get() as unknown as Pod, req.query, req.request, req.reply),
    openapi: { form: 'connect', query: ATTACH_QUERY },
  },
  {
    name: 'binding',
    kind: 'Binding',
    verbs: ['create'],
    update: podBindingStrategy,
    async handler(req) {
      const mutate = podBinding(req.name, await req.body(), req.now);
      req.guaranteedUpdate(mutate);
      return req.send(201, BINDING_CREATED);
    },
  },
  {
    // Upstream serves the eviction with the pods' status store: the DisruptionTarget condition
    // is written through the status strategy before the delete.
    name: 'eviction',
    kind: 'Eviction',
    kindGroupVersion: { group: 'policy', version: 'v1' },
    verbs: ['create'],
    update: podStatusStrategy,
    handler: handlePodEviction,
    openapi: { form: 'create', query: ['dryRun', 'fieldManager', 'fieldValidation'], body: { definition: 'io.k8s.api.policy.v1.Eviction', group: 'policy', version: 'v1', kind: 'Eviction' } },
  },
  {
    name: 'exec',
    kind: 'PodExecOptions',
    verbs: ['create', 'get'],
    handler: (req) => handlePodExec(req.node.streams, req.get() as unknown as Pod, req.query, req.request, req.reply),
    openapi: { form: 'connect', query: EXEC_QUERY },
  },
  {
    name: 'log',
    kind: 'Pod',
    verbs: ['get'],
    handler: (req) => handlePodLog(req.node.logs, req.get() as unknown as Pod, req.query, req.request, req.reply),
    openapi: { form: 'text-get', query: LOG_QUERY },
  },
  {
    name: 'portforward',
    kind: 'PodPortForwardOptions',
    // GET for the WebSocket tunnel, POST for SPDY.
    verbs: ['create', 'get'],
    handler: (req) => handlePodPortForward(req.node.streams, req.get() as unknown as Pod, req.query, req.request, req.reply),
    openapi: { form: 'connect', query: PORTFORWARD_QUERY },
  },
];
