import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, checkJson, checkYamlDepth } from './body-scan.js';

const nestedJson = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('checkJson', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', '{"a":[1,{"b":null}],"c":true,"d":false}', ' \n{ "a" : [ ] } \t']) {
      expect(checkJson(text), text).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('refuses what JSON.parse refuses, by position and kind, without quoting the text', () => {
    const cases: [string, number, number, string][] = [
      ['{"a":1,}', 1, 8, 'invalid character looking for beginning of object key string'],
      ['{"a" 1}', 1, 6, 'invalid character after object key'],
      ['[1 2]', 1, 4, 'invalid character after array element'],
      ['{"password": s3cr3t}', 1, 14, 'invalid character looking for beginning of value'],
      ['{\n  "a": tru\n}', 2, 8, 'invalid character looking for beginning of value'],
      ['{"a": "x', 1, 9, 'unexpected end of JSON input'],
      ['{"a": "\\q"}', 1, 9, 'invalid character in string literal'],
      ['[01]', 1, 3, 'invalid character after array element'],
      ['[1.]', 1, 4, 'invalid character in numeric literal'],
      ['{} {}', 1, 4, 'invalid character after top-level value'],
      ['', 1, 1, 'unexpected end of JSON input'],
      ['{"a":"\u0001"}', 1, 7, 'invalid character in string literal'],
    ];
    for (const [text, line, column, reason] of cases) {
      expect(checkJson(text), text).toMatchObject({ line, column, reason, tooDeep: false });
      expect(() => JSON.parse(text)).toThrow();
    }
  });

  it('refuses nesting beyond the limit before parsing, at the first bracket too deep', () => {
    expect(checkJson(nestedJson(MAX_NESTING_DEPTH))).toBeUndefined();
    expect(checkJson(nestedJson(MAX_NESTING_DEPTH + 1))).toMatchObject({ tooDeep: true, column: MAX_NESTING_DEPTH + 1, reason: `exceeded max depth of ${MAX_NESTING_DEPTH}` });
    // Brackets inside strings are text.
    expect(checkJson(JSON.stringify({ a: '['.repeat(5000) }))).toBeUndefined();
    // 2 MB of `[`: linear, fast.
    const start = performance.now();
    expect(checkJson('['.repeat(2 * 1024 * 1024))?.tooDeep).toBe(true);
    expect(performance.now() - start).toBeLessThan(100);
  });
});

describe('checkYamlDepth', () => {
  const ok = (text: string, max = 10) => expect(checkYamlDepth(text, max), text).toBeUndefined();
  const deep = (text: string, max = 10) => expect(checkYamlDepth(text, max)?.tooDeep, text).toBe(true);

  it('counts flow collections outside quotes and comments', () => {
    ok('a: [[[1]]]');
    deep('a: ' + nestedJson(11));
    ok('a: "' + '['.repeat(50) + '"');
    ok("a: '[[[[[[[[[[[[[[['");
    ok("a: ['it''s [[[[[[[[[[[[[[', b]");
    deep("a: ['x', " + nestedJson(11) + ']');
    ok('a: b [[[[[[[[[[[[[ # plain scalar in block context');
    ok('a: 1 # [[[[[[[[[[[[[[[');
    deep('a: &x !!seq ' + nestedJson(11), 10);
    deep(nestedJson(11).split('').join('\n'));
  });

  it('does not let a quote inside a plain scalar hide brackets', () => {
    deep("[a:', " + nestedJson(12) + ", ']");
    deep("[it's, " + nestedJson(12) + ", x']");
    deep('a: b\'c\n' + 'd: ' + nestedJson(11));
  });

  it('counts block nesting by indentation and compact indicators', () => {
    ok('a:\n  b:\n    c: 1\n');
    ok('- - - - 1');
    deep('- '.repeat(11) + '1');
    const block = Array.from({ length: 11 }, (_, i) => ' '.repeat(i) + 'k:').join('\n');
    deep(block);
    ok(Array.from({ length: 4 }, (_, i) => ' '.repeat(i) + 'k:').join('\n'));
  });

  it('skips block scalars', () => {
    ok('a: |\n  ' + '['.repeat(50) + '\n  {{{{{{{{{{{{\nb: 1\n');
    ok('- >-\n    [[[[[[[[[[[[[[[[[\n');
    deep('a: |\n  text\nb: ' + nestedJson(11));
  });

  it('passes real manifests at the default limit', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n  labels: {a: b}\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: busybox\n        command: ["sh", "-c", "[ -f /x ] && echo {ok}"]\n        env:\n        - name: A\n          value: "[["\n      restartPolicy: Never\n';
    expect(checkYamlDepth(job)).toBeUndefined();
    expect(checkYamlDepth(job, 12)).toBeUndefined();
  });

  it('scans 2 MB of `[` in well under 100 ms', () => {
    const start = performance.now();
    expect(checkYamlDepth('['.repeat(2 * 1024 * 1024))?.tooDeep).toBe(true);
    expect(checkYamlDepth('a:\n' + '- '.repeat(1024 * 1024))?.tooDeep).toBe(true);
    expect(performance.now() - start).toBeLessThan(100);
  });
});

describe('YAML node count', () => {
  it('refuses more entries than MAX_YAML_NODES (flow commas, block lines)', () => {
    expect(checkYamlDepth('[' + '1,'.repeat(20) + '1]', 500, 30)).toBeUndefined();
    expect(checkYamlDepth('[' + '1,'.repeat(40) + '1]', 500, 30)).toMatchObject({ tooLarge: true, tooDeep: false });
    expect(checkYamlDepth('- a\n'.repeat(40), 500, 30)?.tooLarge).toBe(true);
    expect(checkYamlDepth('a: |\n' + '  line\n'.repeat(100), 500, 30)).toBeUndefined();
  });
});

describe('JSON value count', () => {
  it('refuses more values than MAX_JSON_NODES, counting every value', () => {
    expect(checkJson('[' + '1,'.repeat(29) + '1]', 500, 31)).toBeUndefined();
    expect(checkJson('[' + '1,'.repeat(30) + '1]', 500, 31)).toMatchObject({ tooLarge: true, tooDeep: false, reason: 'more than 31 values' });
    expect(checkJson('{"a":{"b":[1,2]}}', 500, 5)).toBeUndefined();
    expect(checkJson('{"a":{"b":[1,2]}}', 500, 4)?.tooLarge).toBe(true);
  });
});
