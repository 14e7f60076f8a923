import type { KubeObject, Logstore, ObjectMeta } from '../../../api/index.js';

/** A Logstore as stored, KubeObject-compatible. */
export interface LogstoreObject extends KubeObject, Logstore {
  metadata: ObjectMeta;
}
