// The node lifecycle: NoSchedule taints from node conditions and cordoning, and the taint
// eviction controller that acts on NoExecute taints.
export * from './taints.js';
export * from './node-lifecycle-controller.js';
export * from './taint-eviction-controller.js';
