export { EndpointsController, type EndpointsControllerDeps, endpointSubsetsFor } from './endpoints-controller.js';
export * from './util.js';
