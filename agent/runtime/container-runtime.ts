// The container runtime interface: what the node agent needs from a container engine,
// shaped like the kubelet's CRI (k8s.io/cri-api runtime/v1) but small and in our words.
//
// How the node agent is meant to drive it (the kubelet's kuberuntime SyncPod, step by step):
//
//  1. Images. For every container, `ensureImage()` (image-manager.ts) applies imagePullPolicy
//     over `imageStatus` / `pullImage`, with credentials from the pod's imagePullSecrets
//     (`DockerKeyring`, keyring.ts) and a per pod+image back-off. Its RuntimeError reasons are
//     the container's waiting reasons: InvalidImageName, ErrImageNeverPull, ErrImagePull,
//     ImagePullBackOff.
//  2. Volumes. emptyDir → `createVolume({ medium })` (Memory → tmpfs, with sizeLimit), configMap
//     and secret → a Memory volume filled with `writeVolumeFiles` (secret bytes only ever live on
//     a tmpfs), hostPath → a `bind` mount, PVCs → a named volume or a bind mount.
//  3. Sandbox. `runPodSandbox(config)` starts the pause container that owns the pod's network
//     namespace (its IP is `podSandboxStatus().ip`), hostname, DNS, shared IPC, published ports,
//     and keeps the pod's Memory volumes mounted (so their tmpfs lives as long as the pod).
//     A pod that needs none of that shared (`singleContainer`) may get no pause container: its
//     one container, once created, is the sandbox.
//  4. Containers, init containers first, one at a time, then the app containers:
//     `createContainer(sandboxId, config)` then `startContainer(id)`. Command and args follow
//     Kubernetes' rules over the image's ENTRYPOINT/CMD (`resolveCommand`, resolve-command.ts,
//     applied inside createContainer; `$(VAR)` expansion with `expandContainerCommand` is the
//     caller's job since it needs the resolved env). Resources come from
//     `linuxResources(container.resources)` (linux-resources.ts).
//  5. Watching. `events()` tells the agent when a container starts, dies or is OOM-killed so it
//     can resync the pod at once; `containerStatus(id)` gives state, exit code, reason
//     (Completed / Error / OOMKilled / ContainerCannotRun), OOMKilled flag and times with
//     sub-second precision. `waitContainer(id)` resolves when one container has stopped.
//     A periodic relist with `listContainers`/`listPodSandboxes` (the kubelet's PLEG) remains
//     the source of truth; events only shorten the delay.
//  6. Probes and hooks: exec → `execSync(id, cmd, timeoutMs)`; httpGet/tcpSocket → the agent
//     connects to `podSandboxStatus().ip` itself.
//  7. Termination: `stopContainer(id, graceSeconds)` sends SIGTERM, waits, then SIGKILL; then
//     `stopPodSandbox` and `removePodSandbox` (which removes the pod's containers too).
//     Keep the last exited container of each name until the next restart so that
//     `kubectl logs --previous` can read it.
//  8. Adoption after an agent restart: `listPodSandboxes` / `listContainers` filtered by the
//     kubelet's labels (LABEL_POD_UID ...): containers of pods that still exist are adopted,
//     everything else carrying LABEL_MANAGED is removed.
//  9. Logs (`containerLogs`) and files inside containers (`statFiles` / `readFile`, for the log
//     service) work for running *and* exited containers until they are removed;
//     `containerLogInfo` tells a collector on the engine's host where to read them directly.
//
// Deliberately not here: pod phases, restart policy, probe scheduling, status computation,
// image garbage collection policy, back-off of crashing containers — those are agent logic.
//
// The interface is split along the CRI's own services, one file each: RuntimeService
// (runtime-service.ts: sandboxes and containers), ImageService (image-service.ts),
// VolumeService (volume-service.ts), StreamingService (streaming-service.ts: exec and attach)
// and LogAndFileService (log-and-file-service.ts); types they share are in runtime-types.ts.
import type { ImageService } from './image-service.js';
import type { LogAndFileService } from './log-and-file-service.js';
import type { RuntimeService } from './runtime-service.js';
import type { StreamingService } from './streaming-service.js';
import type { VolumeService } from './volume-service.js';

export * from './runtime-types.js';
export * from './runtime-service.js';
export * from './image-service.js';
export * from './volume-service.js';
export * from './streaming-service.js';
export * from './log-and-file-service.js';

/**
 * A container engine as the node agent sees it: every service at once. Ids are opaque strings.
 * Every method rejects with a RuntimeError (runtime-error.ts) whose `reason` the agent can put
 * into pod status.
 */
export interface ContainerRuntime extends RuntimeService, ImageService, VolumeService, StreamingService, LogAndFileService {}
