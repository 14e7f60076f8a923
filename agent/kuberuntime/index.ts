// The runtime manager (upstream's pkg/kubelet/kuberuntime): the kubelet's pods as sandboxes and
// containers on a ContainerRuntime. The Kubelet (../kubelet.ts) is its only user.
export { KubeGenericRuntimeManager } from './kuberuntime-manager.js';
export type { PodRuntimeState, RuntimeManagerContext } from './context.js';
export { podHostname } from './kuberuntime-sandbox.js';
export * from './labels.js';
