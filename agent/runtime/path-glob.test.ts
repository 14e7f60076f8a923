import { describe, expect, it } from 'vitest';
import { globBase, hasGlob, matchPathGlob, segmentRegExp } from './path-glob.js';

describe('matchPathGlob', () => {
  const cases: [string, string, boolean][] = [
    ['/var/log/app.log', '/var/log/app.log', true],
    ['/var/log/*.log', '/var/log/app.log', true],
    ['/var/log/*.log', '/var/log/app.txt', false],
    ['/var/log/*.log', '/var/log/sub/app.log', false],
    ['/var/log/app-?.log', '/var/log/app-1.log', true],
    ['/var/log/app-?.log', '/var/log/app-10.log', false],
    ['/var/log/app-[0-9].log', '/var/log/app-7.log', true],
    ['/var/log/app-[!0-9].log', '/var/log/app-7.log', false],
    ['/var/log/app-[!0-9].log', '/var/log/app-x.log', true],
    ['/var/*/app.log', '/var/log/app.log', true],
    ['/var/log/**/*.log', '/var/log/app.log', true],
    ['/var/log/**/*.log', '/var/log/a/b/c.log', true],
    ['/var/log/**', '/var/log/a/b', true],
    ['/a.b/*.log', '/aXb/x.log', false],
    ['/logs/(x)+.log', '/logs/(x)+.log', true],
  ];
  for (const [pattern, path, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${path}`, () => expect(matchPathGlob(pattern, path)).toBe(want));
  }
});

describe('globBase', () => {
  it('stops at the first segment with a wildcard', () => {
    expect(globBase('/var/log/*.log')).toBe('/var/log');
    expect(globBase('/var/*/x/*.log')).toBe('/var');
    expect(globBase('/*.log')).toBe('/');
    expect(globBase('/var/log/app.log')).toBe('/var/log');
  });
});

describe('hasGlob and segmentRegExp', () => {
  it('recognise wildcards and escape everything else', () => {
    expect(hasGlob('/var/log/app.log')).toBe(false);
    expect(hasGlob('/var/log/*.log')).toBe(true);
    expect(segmentRegExp('a\\*b').test('a*b')).toBe(true);
    expect(segmentRegExp('a\\*b').test('axb')).toBe(false);
  });
});
