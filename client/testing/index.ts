// Test support for client/ users (client-go's kubernetes/fake, record.FakeRecorder and
// clock/testing): fakes that controller and agent tests run against, and a fake API server
// for the client's own tests. Never imported by production code, never compiled into dist/.
export * from './fake-clientset.js';
export * from './fake-scheduler.js';
export * from './fake-event-recorder.js';
export * from './fake-api-server.js';
export * from './tls.js';
