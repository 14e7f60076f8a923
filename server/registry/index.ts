// Every resource the API server serves, one ResourceDefinition per folder.
import type { ResourceDefinition } from './resource.js';
import { configMaps } from './configmaps/index.js';
import { jobs } from './jobs/index.js';
import { pods } from './pods/index.js';
import { secrets } from './secrets/index.js';

export { configMaps } from './configmaps/index.js';
export { jobs } from './jobs/index.js';
export { pods } from './pods/index.js';
export { secrets } from './secrets/index.js';

/** All served resources; discovery, handlers and OpenAPI iterate this list. */
export const allResources: ResourceDefinition[] = [pods, configMaps, secrets, jobs];
