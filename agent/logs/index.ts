// The log service's collectors in the node agent: they read the output and files of
// containers whose env names logstores (`aliyun_logs_*`) and send lines to a LogSink.
export * from './log-config.js';
export * from './log-sink.js';
export * from './log-collector.js';
export * from './container-collector.js';
export * from './source-reader.js';
export * from './json-log-parser.js';
export * from './json-file-reader.js';
export * from './cri-log-parser.js';
export * from './cri-file-reader.js';
export * from './line-splitter.js';
export * from './host-view.js';
export * from './host-file-reader.js';
export * from './runtime-readers.js';
