import { describe, expect, it } from 'vitest';
import { expandContainerCommand, expandVariables, mergeEnv, resolveCommand } from './resolve-command.js';
import { isRuntimeError } from './runtime-error.js';

describe('resolveCommand', () => {
  const image = { entrypoint: ['/entry', '-x'], cmd: ['default-arg'] };
  const cases: { name: string; command?: string[]; args?: string[]; want: string[] }[] = [
    { name: 'uses the image ENTRYPOINT and CMD when neither is given', want: ['/entry', '-x', 'default-arg'] },
    { name: 'runs command alone, ignoring ENTRYPOINT and CMD', command: ['/bin/run'], want: ['/bin/run'] },
    { name: 'appends args to the image ENTRYPOINT, dropping CMD', args: ['a', 'b'], want: ['/entry', '-x', 'a', 'b'] },
    { name: 'runs command with args', command: ['/bin/run'], args: ['a'], want: ['/bin/run', 'a'] },
    { name: 'treats empty arrays as not given', command: [], args: [], want: ['/entry', '-x', 'default-arg'] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(resolveCommand(image, c.command, c.args)).toEqual(c.want));
  }

  it('uses CMD alone when the image has no ENTRYPOINT', () => {
    expect(resolveCommand({ cmd: ['sh'] })).toEqual(['sh']);
    expect(resolveCommand({ cmd: ['sh'] }, undefined, ['-c', 'true'])).toEqual(['-c', 'true']);
  });

  it('fails with CreateContainerError when there is nothing to run', () => {
    expect(() => resolveCommand({})).toThrow('no command specified');
    try {
      resolveCommand({});
    } catch (err) {
      expect(isRuntimeError(err, 'CreateContainerError')).toBe(true);
    }
  });
});

describe('expandVariables', () => {
  const vars: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', EMPTY: '' };
  const lookup = (n: string) => vars[n];
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_A)___', '___A___'],
    ['$(VAR_A)$(VAR_B)', 'AB'],
    ['$(EMPTY)x', 'x'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['price: 5$', 'price: 5$'],
    ['$', '$'],
    ['$()', '$()'],
    ['no vars', 'no vars'],
    ['$(VAR_A)-$(', 'A-$('],
  ];
  for (const [input, want] of cases) {
    it(`expands ${JSON.stringify(input)} to ${JSON.stringify(want)}`, () => expect(expandVariables(input, lookup)).toBe(want));
  }
});

describe('expandContainerCommand', () => {
  it('expands command and args over the container env and keeps absent fields absent', () => {
    const env = [{ name: 'MSG', value: 'hello' }];
    expect(expandContainerCommand(['echo', '$(MSG)'], undefined, env)).toEqual({ command: ['echo', 'hello'] });
    expect(expandContainerCommand(undefined, ['$(MSG) $(NOPE)'], env)).toEqual({ args: ['hello $(NOPE)'] });
  });
});

describe('mergeEnv', () => {
  it('lets container env override image env and keeps the image order first', () => {
    expect(mergeEnv(['PATH=/bin', 'A=1', 'B=x=y'], [{ name: 'A', value: '2' }, { name: 'C', value: '3' }])).toEqual([
      { name: 'PATH', value: '/bin' },
      { name: 'A', value: '2' },
      { name: 'B', value: 'x=y' },
      { name: 'C', value: '3' },
    ]);
  });
});
