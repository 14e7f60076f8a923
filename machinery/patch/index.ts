// The three patch formats the API server accepts besides apply: JSON merge patch (RFC 7386),
// JSON patch (RFC 6902) and Kubernetes' strategic merge patch.
export * from './merge-patch.js';
export * from './json-patch.js';
export * from './strategic-merge-patch.js';
