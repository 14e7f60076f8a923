// Decoding as Go structs would: nulls in lists and maps, and keys that name the prototype.
import { describe, expect, it } from 'vitest';
import { BATCH, CORE, definitions } from '../api/schema/index.js';
import { checkAgainstSchema, decodeLikeGo } from './schema-check.js';

const POD = { type: 'ref' as const, ref: CORE + 'Pod' };
const CM = { type: 'ref' as const, ref: CORE + 'ConfigMap' };
const JOB = { type: 'ref' as const, ref: BATCH + 'Job' };

describe('decodeLikeGo', () => {
  it('turns a null list element into its zero value: an empty struct, "", 0', () => {
    const pod = JSON.parse('{"spec":{"containers":[null,{"name":"a","image":"b","env":[null],"args":[null,"x"],"ports":[null]}]}}');
    const out = decodeLikeGo(pod, POD, definitions) as any;
    expect(out.spec.containers).toEqual([{}, { name: 'a', image: 'b', env: [{}], args: ['', 'x'], ports: [{}] }]);
  });

  it('leaves null fields out and turns null map values into ""', () => {
    const cm = JSON.parse('{"metadata":{"name":"x","labels":{"a":null},"annotations":null},"data":{"k":null},"immutable":null}');
    expect(decodeLikeGo(cm, CM, definitions)).toEqual({ metadata: { name: 'x', labels: { a: '' } }, data: { k: '' } });
  });

  it('keeps a "__proto__" data key as an own key of a map', () => {
    const cm = JSON.parse('{"metadata":{"name":"x","labels":{"__proto__":"v"}},"data":{"__proto__":"secret","constructor":"c"}}');
    const out = decodeLikeGo(cm, CM, definitions) as any;
    expect(Object.hasOwn(out.data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.data)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"metadata":{"name":"x","labels":{"__proto__":"v"}},"data":{"__proto__":"secret","constructor":"c"}}');
  });

  it('drops "__proto__" and "constructor" where the schema has fields: they are unknown fields', () => {
    const job = JSON.parse('{"spec":{"__proto__":{"parallelism":5},"constructor":1,"toString":"x","parallelism":2}}');
    expect(checkAgainstSchema(job, JOB, definitions).unknownFields).toEqual(['spec.__proto__', 'spec.constructor', 'spec.toString']);
    const out = decodeLikeGo(job, JOB, definitions) as any;
    expect(out).toEqual({ spec: { parallelism: 2 } });
    expect(Object.hasOwn(out.spec, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(out.spec)).toBe(Object.prototype);
  });
});

describe('decodeLikeGo and metav1.Time', () => {
  it('keeps a null time (its zero value marshals as null)', () => {
    const pod = JSON.parse('{"status":{"conditions":[{"type":"Ready","status":"True","lastProbeTime":null}]}}');
    expect(decodeLikeGo(pod, POD, definitions)).toEqual(pod);
  });
});
