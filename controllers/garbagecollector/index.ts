// The garbage collector: ownerReferences, cascading (Background/Foreground) and orphaning deletion.
export * from './graph.js';
export * from './garbage-collector.js';
