// The core/v1 Event's rules (pkg/registry/core/event/strategy.go, legacyValidateEvent):
// names only need to fit a URL, the involved object's namespace must match the event's,
// and events.k8s.io-style events (eventTime set) need their reporting fields.
import type { Event, KubeObject, ObjectMeta, ObjectReference } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Subdomain } from '../../../machinery/index.js';
import type { ResourceStrategy } from '../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate, validatePathSegmentName, validateQualifiedName } from '../meta-validation.js';

export interface EventObject extends KubeObject {
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: Event['source'];
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  type?: string;
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
  series?: { count?: number; lastObservedTime?: string };
  related?: ObjectReference;
}

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** legacyValidateEvent as the core/v1 API applies it (plus: involvedObject must be present). */
export function validateEvent(event: EventObject): FieldError[] {
  const errs = validateObjectMeta(event.metadata, { namespaced: true, nameFn: validatePathSegmentName });
  if (!event.involvedObject || typeof event.involvedObject !== 'object') {
    errs.push(fieldErrors.required('involvedObject'));
    return errs;
  }
  const namespace = event.metadata.namespace ?? '';
  const involvedNamespace = event.involvedObject.namespace ?? '';
  const nsPath = new FieldPath('involvedObject').child('namespace');
  if (!event.eventTime) {
    if (!involvedNamespace) {
      // Old clients send events about cluster-scoped objects into "default".
      if (namespace !== '' && namespace !== 'default') errs.push(fieldErrors.invalid(nsPath, involvedNamespace, 'does not match event.namespace'));
    } else if (namespace !== involvedNamespace) {
      errs.push(fieldErrors.invalid(nsPath, involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(fieldErrors.invalid(nsPath, involvedNamespace, 'does not match event.namespace'));
    }
    const rc = event.reportingComponent ?? '';
    if (!rc) errs.push(fieldErrors.required('reportingComponent'));
    errs.push(...validateQualifiedName(rc, 'reportingComponent'));
    const ri = event.reportingInstance ?? '';
    if (!ri) errs.push(fieldErrors.required('reportingInstance'));
    if (ri.length > REPORTING_INSTANCE_LIMIT) errs.push(fieldErrors.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = event.action ?? '';
    if (!action) errs.push(fieldErrors.required('action'));
    if (action.length > ACTION_LIMIT) errs.push(fieldErrors.invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = event.reason ?? '';
    if (!reason) errs.push(fieldErrors.required('reason'));
    if (reason.length > REASON_LIMIT) errs.push(fieldErrors.invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if ((event.message ?? '').length > NOTE_LIMIT) errs.push(fieldErrors.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const m of isDNS1123Subdomain(namespace)) errs.push(fieldErrors.invalid('namespace', namespace, m));
  return errs;
}

export const eventStrategy: ResourceStrategy<EventObject> = {
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: validateEvent,
  validateUpdate(event, old) {
    return [...validateObjectMetaUpdate(event.metadata, old.metadata), ...validateEvent(event)];
  },
  // Recorders PUT events they aggregate; a missing one is created.
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};
