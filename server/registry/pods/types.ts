// The Pod as the registry handles it: api/core.ts's types plus the few upstream fields
// this folder reads that the shared wire types do not declare (yet).
import type { KubeObject, ObjectMeta, PodSpec, PodStatus } from '../../../api/index.js';

export type { PodDNSConfig } from '../../../api/index.js';

export type PodSpecWire = PodSpec & {
  readinessGates?: { conditionType: string }[];
};

export type PodStatusWire = PodStatus & {
  nominatedNodeName?: string;
  observedGeneration?: number;
};

/** A Pod as stored: KubeObject-compatible so it fits ResourceDefinition. */
export interface PodObject extends KubeObject {
  metadata: ObjectMeta;
  spec: PodSpecWire;
  status?: PodStatusWire;
}
