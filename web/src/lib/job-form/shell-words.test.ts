import { describe, expect, it } from 'vitest';
import { joinArgs, quoteArg, splitArgs } from './shell-words.js';

describe('splitArgs', () => {
  it.each([
    ['echo hello', ['echo', 'hello']],
    ['  sh   -c  "echo hi"  ', ['sh', '-c', 'echo hi']],
    ["sh -c 'echo \"a b\"; exit 1'", ['sh', '-c', 'echo "a b"; exit 1']],
    ['a\\ b c', ['a b', 'c']],
    ['"say \\"hi\\"" \\$HOME', ['say "hi"', '$HOME']],
    ["''", ['']],
    ['', []],
    ["it's", ['its']],
    ["'unterminated quote", ['unterminated quote']],
    ['line\\\ncontinued', ['linecontinued']],
    ['cat /tmp/healthy', ['cat', '/tmp/healthy']],
  ])('splits %j', (text, words) => {
    expect(splitArgs(text)).toEqual(words);
  });
});

describe('joinArgs', () => {
  it('leaves plain words unquoted', () => {
    expect(joinArgs(['ls', '-la', '/var/log/app.log', 'KEY=v'])).toBe('ls -la /var/log/app.log KEY=v');
  });

  it('quotes words with spaces, quotes and shell characters', () => {
    expect(quoteArg('echo hi')).toBe("'echo hi'");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe("''");
  });

  it.each([
    [['sh', '-c', 'for i in 1 2 3; do echo $i; done']],
    [['a b', "c'd", 'e"f', 'g\\h', '', '$(x)', 'tab\there', 'new\nline']],
    [['/bin/busybox', 'sh', '-c', "echo 'quoted' \"double\""]],
    [[]],
  ])('gives back the same words through splitArgs: %j', (words) => {
    expect(splitArgs(joinArgs(words))).toEqual(words);
  });
});
