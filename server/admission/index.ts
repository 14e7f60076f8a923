// Admission: validating plugins the registry runs on every create and update (see types.ts).
export * from './types.js';
export * from './host-path.js';
export { PodSecurityAdmission, type PodSecurityOptions, isSignificantPodUpdate, podTemplateOf } from './pod-security/admission.js';
export { type Level, LEVELS, isLevel, uniformPolicy, policyToEvaluate } from './pod-security/policy.js';
export { evaluatePod, forbiddenDetail } from './pod-security/evaluator.js';
export * from './priority.js';
