// Kubernetes protobuf: the wire-format reader, a writer for test fixtures, and the body decoder.
export * from './wire-reader.js';
export * from './wire-writer.js';
export * from './decode.js';
