// k8s.io/api events.k8s.io/v1 definitions: the Event of the events API, served from the same
// storage as core/v1 events (note = message, regarding = involvedObject, reportingController =
// reportingComponent, deprecated* = the core event's count, source and timestamps).
// Field list and protobuf numbers follow upstream (Kubernetes 1.34); descriptions are ours.
import { CORE, META, asMessage, int32, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of events.k8s.io/v1. */
export const EVENTS = 'io.k8s.api.events.v1.';

export const eventsDefinitions: Definitions = {
  [EVENTS + 'Event']: object(
    {
      action: str('What was done, or failed, about the regarding object (machine-readable).'),
      apiVersion: str('The versioned schema of this representation of an object, "events.k8s.io/v1".'),
      deprecatedCount: int32('core/v1 count, kept for compatibility.'),
      deprecatedFirstTimestamp: time('core/v1 firstTimestamp, kept for compatibility.'),
      deprecatedLastTimestamp: time('core/v1 lastTimestamp, kept for compatibility.'),
      deprecatedSource: ref(CORE + 'EventSource', 'core/v1 source, kept for compatibility.'),
      eventTime: time('When the event was first observed (MicroTime).'),
      kind: str('The REST resource this object represents, "Event".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      note: str('Human-readable description of the status of this operation.'),
      reason: str('Why the action was taken (machine-readable).'),
      regarding: ref(CORE + 'ObjectReference', 'The object this event is about.'),
      related: ref(CORE + 'ObjectReference', 'An optional second object, for complex actions.'),
      reportingController: str('The controller that emitted the event, e.g. kubernetes.io/kubelet.'),
      reportingInstance: str('The instance of that controller, e.g. kubelet-xyzf.'),
      series: ref(EVENTS + 'EventSeries', 'Data about the series this event stands for; absent for a singleton event.'),
      type: str('Normal or Warning.'),
    },
    {
      required: ['eventTime'],
      description: 'A report of an event somewhere in the cluster (the events.k8s.io form of core/v1 Event).',
      proto: {
        metadata: 1, eventTime: asMessage(2, 'MicroTime'), series: 3, reportingController: 4, reportingInstance: 5, action: 6, reason: 7,
        regarding: 8, related: 9, note: 10, type: 11, deprecatedSource: 12, deprecatedFirstTimestamp: 13, deprecatedLastTimestamp: 14, deprecatedCount: 15,
      },
    },
  ),
  [EVENTS + 'EventSeries']: object(
    {
      count: int32('How many times the event happened so far.'),
      lastObservedTime: time('When the last event of the series was seen (MicroTime).'),
    },
    { required: ['count', 'lastObservedTime'], proto: { count: 1, lastObservedTime: asMessage(2, 'MicroTime') } },
  ),
};
