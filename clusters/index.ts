// The deploy targets: `local` (the embedded engine) and clusters added from kubeconfigs,
// stored in DIR/clusters and reached through this server's /clusters/{name}/ proxy.
export * from './cluster-store.js';
export * from './cluster-routes.js';
