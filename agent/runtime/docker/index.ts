// The Docker Engine implementation of the runtime interface.
export { DockerRuntime, SANDBOX_VOLUME_ROOT, type DockerRuntimeOptions } from './docker-runtime.js';
export { DEFAULT_PAUSE_IMAGE, PAUSE_ENTRYPOINT, findStaticBusybox, isStaticELF } from './pause-image.js';
