// The node agent (the kubelet in our words). Imports api/, machinery/, client/ and its own
// runtime/ only. cmd/ starts it with startAgent; the Docker runtime comes from
// ./runtime/docker/index.js (kept out of this barrel so importing the agent never loads
// dockerode).
export * from './agent.js';
export * from './kubelet.js';
export * from './kuberuntime/index.js';
export * from './pod-workers.js';
export * from './node-status.js';
export * from './pod-logs.js';
export { PodStreams } from './pod-streams.js';
export * from './status.js';
export * from './env.js';
export * from './lifecycle.js';
export * from './restart-backoff.js';
export * from './runtime-pod.js';
export * from './prober/prober.js';
export * from './prober/probe-manager.js';
export * from './volumes/host-fs.js';
export * from './volumes/atomic-writer.js';
export * from './volumes/volume-manager.js';
export * from './volumes/pvc-provisioner.js';
export * from './logs/index.js';
