export { compileSchemaValidations, schemaValidator, type NodeValidator } from './compile.js';
export { validateRules, PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from './validate.js';
