// ImageService: images on the node (CRI runtime.v1 ImageService).


/** Credentials for one registry, as in a docker config.json entry. Never logged or echoed. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64("username:password"), when the config entry only has that. */
  auth?: string;
  identityToken?: string;
  registryToken?: string;
  /** Registry host the credentials are for, e.g. "127.0.0.1:5000" or "https://index.docker.io/v1/". */
  serverAddress?: string;
}

/** The parts of an image's config that decide how its containers run. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

export interface ImageStatus {
  /** "sha256:..." image id. */
  id: string;
  /** Tags as the engine reports them, e.g. "busybox:1.36". */
  repoTags: string[];
  /** "repo@sha256:..." for images pulled from a registry. */
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
}

/** One row of node.status.images. */
export interface ImageSummary {
  id: string;
  names: string[];
  sizeBytes: number;
}

export interface ImageService {
  /** Pulls `ref` (InvalidImageName / ErrImagePull on failure); resolves with what is now present. */
  pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus>;
  /** The local image `ref` names, or undefined when absent. Rejects with InvalidImageName for bad refs. */
  imageStatus(ref: string): Promise<ImageStatus | undefined>;
  listImages(): Promise<ImageSummary[]>;
  removeImage(ref: string): Promise<void>;
}
