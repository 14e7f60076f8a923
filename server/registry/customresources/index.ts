// Custom resources: what CustomResourceDefinitions make the API server serve.
export { CustomResourceDefinitionController, type CRDControllerOptions } from './controller.js';
export { customResourceDefinitionsOf, openAPIV3SchemaOf, printerColumnsTable, unstructuredCodec } from './definition.js';
export { applyDefaults } from './defaulting.js';
export { prune } from './pruning.js';
export { validateValue } from './schema-validation.js';
