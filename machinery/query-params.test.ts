// The parameter conversions of upstream's apimachinery (runtime/conversion.go), over the values
// the client libraries send: Python's kubernetes client str()s its booleans (True/False),
// kubectl/client-go and @kubernetes/client-node write true/false, old kubelet-era callers 1/0.
import { describe, expect, it } from 'vitest';
import { StatusError } from './status-error.js';
import { ParseIntError, goQuote, parseBool, parseInt64, queryBool, queryInt64, queryOptionalBool, queryString, queryValues } from './query-params.js';

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status as { code: number; reason?: string; message?: string };
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('booleans (Convert_Slice_string_To_bool)', () => {
  it.each([
    ['True', true], // Python's kubernetes client
    ['False', false],
    ['true', true], // kubectl, client-go, @kubernetes/client-node
    ['false', false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['FALSE', false],
    ['fAlSe', false],
    ['', true], // ?watch or ?follow= : upstream counts an empty value as true
    ['yes', true],
    ['no', true], // only "false" and "0" are false
    ['off', true],
    ['00', true],
    [' false', true],
    ['false ', true],
    ['fal\u017fe', false], // Go's strings.EqualFold folds the long s to "s"
  ])('%j is %s', (value, expected) => {
    expect(parseBool(value)).toBe(expected);
    expect(queryBool({ watch: value }, 'watch')).toBe(expected);
  });

  it('an absent parameter is false (a *bool is undefined)', () => {
    expect(queryBool({}, 'watch')).toBe(false);
    expect(queryOptionalBool({}, 'orphanDependents')).toBeUndefined();
    expect(queryOptionalBool({ orphanDependents: 'False' }, 'orphanDependents')).toBe(false);
    expect(queryOptionalBool({ orphanDependents: 'True' }, 'orphanDependents')).toBe(true);
  });

  it('of a repeated parameter the first value counts', () => {
    expect(queryBool({ watch: ['false', 'true'] }, 'watch')).toBe(false);
    expect(queryBool({ watch: ['True', '0'] }, 'watch')).toBe(true);
    expect(queryOptionalBool({ orphanDependents: ['0', '1'] }, 'orphanDependents')).toBe(false);
  });
});

describe('strings', () => {
  it('the first value of a repeated parameter (Convert_Slice_string_To_string), all of them for a list', () => {
    expect(queryString({ container: ['a', 'b'] }, 'container')).toBe('a');
    expect(queryString({ container: '' }, 'container')).toBe('');
    expect(queryString({}, 'container')).toBeUndefined();
    expect(queryValues({ command: ['sh', '-c', 'echo hi'] }, 'command')).toEqual(['sh', '-c', 'echo hi']);
    expect(queryValues({ command: 'date' }, 'command')).toEqual(['date']);
    expect(queryValues({}, 'command')).toEqual([]);
  });
});

describe('integers (strconv.ParseInt(s, 10, 64))', () => {
  it.each([
    ['500', 500],
    ['0', 0],
    ['+7', 7],
    ['-1', -1],
    ['-0', 0],
    ['007', 7],
    ['9223372036854775807', 9223372036854775807],
    ['-9223372036854775808', -9223372036854775808],
  ])('%j is %d', (value, expected) => {
    expect(parseInt64(value)).toBe(expected);
  });

  it.each([
    ['abc', 'invalid syntax'],
    ['', 'invalid syntax'],
    ['+', 'invalid syntax'],
    ['-', 'invalid syntax'],
    ['1.5', 'invalid syntax'],
    ['1e3', 'invalid syntax'],
    ['0x10', 'invalid syntax'],
    ['1_000', 'invalid syntax'],
    [' 5', 'invalid syntax'],
    ['5 ', 'invalid syntax'],
    ['True', 'invalid syntax'],
    ['9223372036854775808', 'value out of range'],
    ['-9223372036854775809', 'value out of range'],
    ['18446744073709551616', 'value out of range'],
    // ParseUint's order: the overflow is met before the bad character.
    ['99999999999999999999x', 'value out of range'],
    ['x99999999999999999999', 'invalid syntax'],
  ])('%j is refused: %s', (value, reason) => {
    expect(() => parseInt64(value)).toThrow(ParseIntError);
    expect(() => parseInt64(value)).toThrow(`strconv.ParseInt: parsing ${goQuote(value)}: ${reason}`);
  });

  it('a bad value is the 400 BadRequest the apiserver answers, with strconv’s message', () => {
    expect(statusOf(() => queryInt64({ limit: 'abc' }, 'limit'))).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 400,
      reason: 'BadRequest',
      message: 'strconv.ParseInt: parsing "abc": invalid syntax',
    });
    // An empty value is no absent one.
    expect(statusOf(() => queryInt64({ timeoutSeconds: '' }, 'timeoutSeconds')).message).toBe('strconv.ParseInt: parsing "": invalid syntax');
  });

  it('reads the first value of a repeated parameter; absent is undefined', () => {
    expect(queryInt64({ limit: ['5', 'abc'] }, 'limit')).toBe(5);
    expect(() => queryInt64({ limit: ['abc', '5'] }, 'limit')).toThrow(StatusError);
    expect(queryInt64({}, 'limit')).toBeUndefined();
  });
});

describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\x07\b\f\v', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    ['héllo 日本', '"héllo 日本"'],
    ['\u0085\u00a0\u200b', '"\\u0085\\u00a0\\u200b"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ])('%j', (value, quoted) => {
    expect(goQuote(value)).toBe(quoted);
  });
});
