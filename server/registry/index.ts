// Every resource the API server serves, one ResourceDefinition per folder.
import type { ResourceDefinition } from './resource.js';
import { jobs } from './jobs/index.js';
import { pods } from './pods/index.js';

export { jobs } from './jobs/index.js';
export { pods } from './pods/index.js';

/** All served resources; discovery, handlers and OpenAPI iterate this list. */
export const allResources: ResourceDefinition[] = [pods, jobs];
