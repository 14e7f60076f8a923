// The CRI implementation of the runtime interface (containerd's CRI plugin; CRI-O speaks the
// same API): the only importer of @grpc/grpc-js. Only cmd/ and tests import it.
export { CriRuntime, type CriRuntimeOptions } from './cri-runtime.js';
export { connectCri, DEFAULT_CRI_ENDPOINT, type CriClient } from './client.js';
export { DEFAULT_CRI_LOG_ROOT, DEFAULT_CRI_VOLUME_ROOT, type CriContext } from './context.js';
export { criContainerLogManager, removeOrphanedPodLogDirs } from './container-log-manager.js';
