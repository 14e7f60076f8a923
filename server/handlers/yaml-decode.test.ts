import { describe, expect, it } from 'vitest';
import { decodeYamlText } from './yaml-decode.js';
import { decodeYaml } from './yaml-pool.js';

describe('decodeYamlText', () => {
  it('decodes a manifest, with "__proto__" as an own key', () => {
    const r = decodeYamlText('kind: ConfigMap\ndata:\n  __proto__: v\n  b: "2"\n');
    expect(r.ok).toBe(true);
    const value = (r as { value: any }).value;
    expect(JSON.stringify(value)).toBe('{"kind":"ConfigMap","data":{"__proto__":"v","b":"2"}}');
    expect(Object.getPrototypeOf(value.data)).toBe(Object.prototype);
  });

  it('reports errors by line, column and kind, never quoting the text', () => {
    const secret = 'hunter2-do-not-echo';
    for (const text of [`a:\n  password: ${secret}: x\n`, `a: [${secret}\n`, `a: "${secret}\n`, `a: 1\n a: ${secret}\n`, `a: *${secret}\n`]) {
      const r = decodeYamlText(text);
      expect(r.ok, text).toBe(false);
      const e = (r as { error: { reason: string; line: number } }).error;
      expect(JSON.stringify(e)).not.toContain(secret);
      expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses duplicate keys in one pass', () => {
    expect(decodeYamlText('a: 1\nb: 2\na: 3\n')).toMatchObject({ ok: false, error: { line: 3, column: 1, reason: 'duplicate key' } });
    const many = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join('\n');
    const start = performance.now();
    expect(decodeYamlText(many).ok).toBe(true);
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('refuses a second document and alias bombs', () => {
    expect(decodeYamlText('a: 1\n---\nb: 2\n')).toMatchObject({ ok: false, error: { reason: 'multiple docs' } });
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 8; i++) bomb.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(',')}]`);
    expect(decodeYamlText(bomb.join('\n'))).toMatchObject({ ok: false, error: { reason: expect.stringContaining('excessive aliasing') } });
  });
});

describe('decodeYaml', () => {
  it('decodes a large body on a worker thread with the same result', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `k${i}: "v${i}"`).join('\n') + '\n__proto__: p\n';
    expect(text.length).toBeGreaterThan(16 * 1024);
    const r = await decodeYaml(text);
    expect(r).toEqual(decodeYamlText(text));
    expect(Object.hasOwn((r as { value: object }).value, '__proto__')).toBe(true);
  });
});
