// Original file: agent/runtime/cri/api.proto


export interface StartContainerResponse {
}

export interface StartContainerResponse__Output {
}
