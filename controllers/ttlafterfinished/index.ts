// The TTL-after-finished controller: deletes finished Jobs after spec.ttlSecondsAfterFinished.
export * from './ttl-after-finished-controller.js';
