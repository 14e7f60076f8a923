// Kubernetes protobuf: the wire-format reader and the body decoder (the fixture writer is in testing/).
export * from './wire-reader.js';
export * from './decode.js';
