// logs.jobyard.io/v1 definitions: the Logstore resource of the log service.
// Served like a CustomResourceDefinition would be (no upstream protobuf exists for it; the
// field numbers below are ours, in declaration order, so the tables stay complete).
import { META, int32, int64, object, quantity, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of the log service's types. */
export const LOGS = 'io.jobyard.logs.v1.';

export const logsDefinitions: Definitions = {
  [LOGS + 'Logstore']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "logs.jobyard.io/v1".'),
      kind: str('The REST resource this object represents, "Logstore".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(LOGS + 'LogstoreSpec', 'How long and how much the logstore keeps.'),
      status: ref(LOGS + 'LogstoreStatus', 'What the log service last counted in the logstore. Read-only.'),
    },
    {
      description: 'A named store of log lines collected from containers (stdout, stderr and files), searchable by text, time, job, pod and tags.',
      proto: { metadata: 1, spec: 2, status: 3 },
    },
  ),
  [LOGS + 'LogstoreSpec']: object(
    {
      maxSize: quantity('Upper bound of the bytes of stored lines; the oldest lines are removed first once it is exceeded. Defaults to 1Gi.'),
      retentionDays: int32('Lines older than this many days are removed. Defaults to 7.'),
    },
    { description: 'Retention of a logstore.', proto: { retentionDays: 1, maxSize: 2 } },
  ),
  [LOGS + 'LogstoreStatus']: object(
    {
      lastUpdateTime: time('When these counts were taken.'),
      lines: int64('Lines stored.'),
      newestTime: time('Time of the newest stored line.'),
      oldestTime: time('Time of the oldest stored line.'),
      sizeBytes: int64('Bytes of the stored lines (UTF-8).'),
      sources: int64('Container outputs and files that sent lines.'),
    },
    { description: 'Counts of a logstore.', proto: { lines: 1, sizeBytes: 2, oldestTime: 3, newestTime: 4, sources: 5, lastUpdateTime: 6 } },
  ),
};
