import { describe, expect, it } from 'vitest';
import { AUTHENTICATION, AUTHORIZATION, BATCH, CORE, META, definitions, resolve } from './index.js';
import type { ObjectSchema, ProtoFieldSpec, Schema } from './types.js';

const spec = (f: number | ProtoFieldSpec): ProtoFieldSpec => (typeof f === 'number' ? { field: f } : f);
const objects = Object.entries(definitions).filter((e): e is [string, ObjectSchema] => e[1].type === 'object');

/** Kinds whose apiVersion and kind are runtime.TypeMeta: not in the message, but in the envelope. */
function hasTypeMeta(name: string, s: ObjectSchema): boolean {
  return 'metadata' in s.properties || name === META + 'APIResourceList' || name === META + 'DeleteOptions';
}

describe('protobuf field tables', () => {
  it('number every property of every object definition, except TypeMeta\'s apiVersion and kind', () => {
    const problems: string[] = [];
    for (const [name, s] of objects) {
      if (!s.proto) {
        problems.push(`${name}: no proto table`);
        continue;
      }
      for (const prop of Object.keys(s.properties)) {
        const typeMeta = hasTypeMeta(name, s) && (prop === 'apiVersion' || prop === 'kind');
        if (typeMeta && prop in s.proto) problems.push(`${name}.${prop}: TypeMeta is not in the message`);
        if (!typeMeta && !(prop in s.proto)) problems.push(`${name}.${prop}: no field number`);
      }
      for (const prop of Object.keys(s.proto)) if (!(prop in s.properties)) problems.push(`${name}.${prop}: numbered but not a property`);
    }
    expect(problems).toEqual([]);
  });

  it('use each field number once per message, and inlined structs on numbers of their own', () => {
    const problems: string[] = [];
    for (const [name, s] of objects) {
      const seen = new Map<string, string>();
      const inlineAt = new Set<number>();
      for (const [prop, f] of Object.entries(s.proto ?? {})) {
        const { field, inline } = spec(f);
        if (!Number.isInteger(field) || field < 1 || field > 536870911) problems.push(`${name}.${prop}: bad field number ${field}`);
        const key = `${inline ?? ''}/${field}`;
        if (seen.has(key)) problems.push(`${name}: ${prop} and ${seen.get(key)} share field ${field}`);
        seen.set(key, prop);
        if (inline !== undefined) inlineAt.add(inline);
      }
      for (const at of inlineAt) if (seen.has(`/${at}`)) problems.push(`${name}: field ${at} is both a field and an inlined struct`);
    }
    expect(problems).toEqual([]);
  });

  it('mark keepZero only on scalars and name messages only where the JSON type fits', () => {
    const problems: string[] = [];
    for (const [name, s] of objects) {
      for (const [prop, f] of Object.entries(s.proto ?? {})) {
        const { keepZero, message } = spec(f);
        const t: Schema = resolve(s.properties[prop]);
        if (keepZero && !['string', 'integer', 'boolean', 'number'].includes(t.type)) problems.push(`${name}.${prop}: keepZero on a ${t.type}`);
        if (message === 'MicroTime' && !(t.type === 'string' && t.format === 'date-time')) problems.push(`${name}.${prop}: MicroTime on a ${t.type}`);
        if ((message === 'FieldsV1' || message === 'RawExtension') && t.type !== 'any') problems.push(`${name}.${prop}: ${message} on a ${t.type}`);
        if (message === 'Verbs' && !(t.type === 'array' && resolve(t.items).type === 'string')) problems.push(`${name}.${prop}: Verbs on a ${t.type}`);
      }
    }
    expect(problems).toEqual([]);
  });

  // Spot checks against upstream's generated.proto, where numbers are not in declaration order.
  it.each([
    [META + 'ObjectMeta', 'managedFields', 17],
    [META + 'ObjectMeta', 'finalizers', 14],
    [META + 'OwnerReference', 'apiVersion', 5],
    [META + 'ManagedFieldsEntry', 'fieldsV1', 7],
    [META + 'DeleteOptions', 'ignoreStoreReadErrorWithClusterBreakingPotential', 6],
    [META + 'APIResource', 'singularName', 6],
    [CORE + 'ConfigMap', 'immutable', 4],
    [CORE + 'Secret', 'immutable', 5],
    [CORE + 'Secret', 'stringData', 4],
    [CORE + 'PodSpec', 'initContainers', 20],
    [CORE + 'PodSpec', 'ephemeralContainers', 34],
    [CORE + 'PodSpec', 'hostnameOverride', 41],
    [CORE + 'Container', 'envFrom', 19],
    [CORE + 'Container', 'restartPolicyRules', 25],
    [CORE + 'PodStatus', 'observedGeneration', 17],
    [CORE + 'VolumeMount', 'recursiveReadOnly', 7],
    [CORE + 'Volume', 'projected', 26],
    [CORE + 'Event', 'eventTime', 10],
    [BATCH + 'JobSpec', 'backoffLimit', 7],
    [BATCH + 'JobSpec', 'successPolicy', 16],
    [BATCH + 'JobStatus', 'terminating', 11],
    [BATCH + 'CronJobSpec', 'timeZone', 8],
    [BATCH + 'CronJobSpec', 'startingDeadlineSeconds', 2],
    [BATCH + 'CronJobSpec', 'jobTemplate', 5],
    [BATCH + 'CronJobStatus', 'lastScheduleTime', 4],
    [BATCH + 'CronJobStatus', 'lastSuccessfulTime', 5],
    [AUTHORIZATION + 'SubjectAccessReviewStatus', 'denied', 4],
    [AUTHORIZATION + 'SubjectAccessReviewStatus', 'evaluationError', 3],
    [AUTHORIZATION + 'ResourceAttributes', 'labelSelector', 9],
    [AUTHORIZATION + 'SelfSubjectAccessReviewSpec', 'nonResourceAttributes', 2],
    [AUTHORIZATION + 'SubjectRulesReviewStatus', 'evaluationError', 4],
    [META + 'FieldSelectorRequirement', 'values', 3],
    [AUTHENTICATION + 'SelfSubjectReview', 'status', 2],
    [AUTHENTICATION + 'UserInfo', 'extra', 4],
  ])('%s.%s is field %i', (def, prop, field) => {
    const s = definitions[def] as ObjectSchema;
    expect(spec(s.proto![prop]).field).toBe(field);
  });
});
