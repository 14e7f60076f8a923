import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from './console-routes.js';

describe('CONSOLE_ROUTES', () => {
  it('names every route of the console (web/src/app/App.tsx) but "/" and the catch-all', () => {
    const app = readFileSync(join(import.meta.dirname, '..', '..', 'web', 'src', 'app', 'App.tsx'), 'utf8');
    const routes = [...app.matchAll(/<Route path="([^"]+)"/g)].map((m) => m[1]!).filter((p) => p !== '/' && p !== '*');
    expect([...CONSOLE_ROUTES].sort()).toEqual(routes.sort());
  });

  it('holds no API path', () => {
    for (const route of CONSOLE_ROUTES) {
      expect(route).not.toMatch(/^\/(api|apis|openapi|version|clusters|auth|healthz|livez|readyz)(\/|$)/);
    }
  });
});
