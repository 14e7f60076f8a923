// Command-line verbs beside `jobyard server` (cmd/jobyard.ts registers them). Imports api/,
// machinery/ and client/ only: every verb talks to a server through its kubeconfig.
export * from './logs/logs-command.js';
export * from './logs/logs-client.js';
export * from './clusters/clusters-command.js';
