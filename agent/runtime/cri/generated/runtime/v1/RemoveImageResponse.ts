// Original file: agent/runtime/cri/api.proto


export interface RemoveImageResponse {
}

export interface RemoveImageResponse__Output {
}
