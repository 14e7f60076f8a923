// Types more than one service of the runtime uses: the kubelet's labels, the reasons a
// RuntimeError carries, mounts and environment variables.

/** Label keys the kubelet's Docker integration (dockershim) put on containers; we use the same. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** "podsandbox" on pause containers, "container" on the others (dockershim's containerTypeLabelKey). */
export const LABEL_CONTAINER_TYPE = 'io.kubernetes.docker.type';
/** On every container: the id of the sandbox it runs in. */
export const LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';
/** Marks everything jobyard's runtime created, so an agent never touches other containers. */
export const LABEL_MANAGED = 'jobyard.io/managed';
/** Annotations are stored as labels with this prefix, as dockershim did. */
export const ANNOTATION_LABEL_PREFIX = 'annotation.';

export type ContainerType = 'podsandbox' | 'container';

/** Reasons a RuntimeError carries; most are upstream's container waiting reasons verbatim. */
export type RuntimeErrorReason =
  | 'InvalidImageName'
  | 'ErrImagePull'
  | 'ErrImageNeverPull'
  | 'ImagePullBackOff'
  | 'ImageInspectError'
  | 'CreatePodSandboxError'
  | 'KillPodSandboxError'
  | 'CreateContainerConfigError'
  | 'CreateContainerError'
  | 'RunContainerError'
  | 'NotFound'
  | 'NotRunning'
  | 'DeadlineExceeded'
  | 'RuntimeUnavailable'
  | 'Unknown';


export type Mount =
  | {
      /** A host path (hostPath volumes). The engine must run on this host. */
      type: 'bind';
      source: string;
      target: string;
      readOnly?: boolean;
      propagation?: 'private' | 'rslave' | 'rshared';
    }
  | {
      /** A runtime volume made with createVolume. */
      type: 'volume';
      source: string;
      target: string;
      readOnly?: boolean;
      /** Mount only this path inside the volume (volumeMounts[].subPath); it must exist. */
      subPath?: string;
    }
  | {
      /** A tmpfs private to this one container. */
      type: 'tmpfs';
      target: string;
      sizeBytes?: number;
      mode?: number;
    };


export interface KeyValue {
  name: string;
  value: string;
}
