export { EndpointSliceMirroringController, MAX_ENDPOINTS_PER_SUBSET, type MirroringControllerDeps, mirroredSlices } from './mirroring-controller.js';
