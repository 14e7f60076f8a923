// Original file: agent/runtime/cri/api.proto


export interface RemoveContainerResponse {
}

export interface RemoveContainerResponse__Output {
}
