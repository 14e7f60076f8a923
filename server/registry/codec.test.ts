// SchemaCodec on hostile bodies: type meta of the wrong type, null list elements, __proto__ keys.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../machinery/index.js';
import { SchemaCodec } from './codec.js';
import { configMaps, jobs, pods } from './index.js';

const codec = new SchemaCodec();

function status(fn: () => unknown): { code?: number; message?: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('SchemaCodec.decode', () => {
  it('refuses apiVersion or kind that is not a string with 400 (an array holding a "toString" key was a 500)', () => {
    const body = JSON.parse('{"apiVersion":[{"toString":"x"}],"kind":"Pod","metadata":{"name":"p"}}');
    expect(status(() => codec.decode(pods, body, 'Strict'))).toMatchObject({
      code: 400,
      message: "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go struct field .apiVersion of type string",
    });
    expect(status(() => codec.decode(pods, { kind: { a: 1 } }, 'Strict')).code).toBe(400);
    expect(status(() => codec.decode(pods, { kind: 7 }, 'Strict')).message).toContain('cannot unmarshal number into Go struct field .kind of type string');
  });

  it('decodes null list elements to empty structs for validation to refuse', () => {
    const body = JSON.parse('{"metadata":{"name":"p"},"spec":{"containers":[null,{"name":"c","image":"i","env":[null]}]}}');
    const { obj } = codec.decode(pods, body, 'Strict');
    expect((obj as any).spec.containers).toEqual([{}, { name: 'c', image: 'i', env: [{}] }]);
  });

  it('treats "__proto__" as an unknown field in a struct: refused under Strict, warned and dropped under Warn', () => {
    const body = JSON.parse('{"metadata":{"name":"j"},"spec":{"__proto__":{"parallelism":9},"template":{}}}');
    expect(status(() => codec.decode(jobs, body, 'Strict')).message).toBe('Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.__proto__"');
    const { obj, warnings } = codec.decode(jobs, body, 'Warn');
    expect(warnings).toEqual(['unknown field "spec.__proto__"']);
    expect(JSON.stringify(obj)).not.toContain('__proto__');
    expect((obj as any).spec.parallelism).toBeUndefined();
  });

  it('keeps a "__proto__" key of a map as data', () => {
    const body = JSON.parse('{"metadata":{"name":"c"},"data":{"__proto__":"v"}}');
    const { obj, warnings } = codec.decode(configMaps, body, 'Strict');
    expect(warnings).toEqual([]);
    expect(JSON.stringify((obj as any).data)).toBe('{"__proto__":"v"}');
  });
});
