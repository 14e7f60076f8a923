// Pure helpers shared by every part. Imports api/ only.
export * from './status-error.js';
export * from './error-message.js';
export * from './field-error.js';
export * from './label-selector.js';
export * from './field-selector.js';
export * from './quantity.js';
export * from './intstr.js';
export * from './names.js';
export * from './clock.js';
export * from './human-readable.js';
export * from './keys.js';
export * from './owner-references.js';
export * from './schema-check.js';
export * from './patch/index.js';
export * from './ip.js';
