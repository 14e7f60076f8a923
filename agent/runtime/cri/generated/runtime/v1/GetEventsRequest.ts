// Original file: agent/runtime/cri/api.proto


export interface GetEventsRequest {
}

export interface GetEventsRequest__Output {
}
