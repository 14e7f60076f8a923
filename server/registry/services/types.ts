import type { KubeObject, ObjectMeta, ServiceSpec, ServiceStatus } from '../../../api/index.js';

export interface ServiceObject extends KubeObject {
  metadata: ObjectMeta;
  spec?: ServiceSpec;
  status?: ServiceStatus;
}
