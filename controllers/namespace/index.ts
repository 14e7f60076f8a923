// The namespace controller: empties namespaces being deleted and removes their `kubernetes` finalizer.
export * from './namespace-controller.js';
