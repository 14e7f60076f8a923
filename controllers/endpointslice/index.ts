export { EndpointSliceController, type EndpointSliceControllerDeps, MAX_ENDPOINTS_PER_SLICE, desiredSlices } from './endpointslice-controller.js';
