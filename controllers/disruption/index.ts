// The disruption controller: PodDisruptionBudget status from the pods each selects.
export * from './disruption-controller.js';
