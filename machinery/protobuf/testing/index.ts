// Test support for the protobuf decoder: a writer that builds wire-format fixtures.
// Never imported by production code, never compiled into dist/.
export * from './wire-writer.js';
