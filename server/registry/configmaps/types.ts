import type { ConfigMap, KubeObject, ObjectMeta } from '../../../api/index.js';

/** A ConfigMap as stored, KubeObject-compatible. */
export interface ConfigMapObject extends KubeObject {
  metadata: ObjectMeta;
  data?: ConfigMap['data'];
  binaryData?: ConfigMap['binaryData'];
  immutable?: boolean;
}
