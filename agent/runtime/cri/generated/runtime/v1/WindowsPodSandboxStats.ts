// Original file: agent/runtime/cri/api.proto


export interface WindowsPodSandboxStats {
}

export interface WindowsPodSandboxStats__Output {
}
