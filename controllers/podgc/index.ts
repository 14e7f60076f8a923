// The pod garbage collector: terminated pods beyond a threshold, orphans of deleted nodes.
export * from './podgc-controller.js';
