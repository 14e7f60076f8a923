import { describe, expect, it } from 'vitest';
import { judgeBind, realPathOf } from './host-path-guard.js';

const data = ['/root/.jobyard'];
const engine = ['/run/docker.sock', '/var/lib/docker'];

describe('judgeBind', () => {
  it('leaves unrelated paths alone', () => {
    expect(judgeBind('/srv/data', data, engine)).toEqual({ readOnly: false, masks: [] });
    expect(judgeBind('/root/.jobyard2', data, engine)).toEqual({ readOnly: false, masks: [] });
  });
  it('the data directory and what is inside it: refused (read-only would still show the token)', () => {
    expect(judgeBind('/root/.jobyard', data, engine).refused).toBe("/root/.jobyard is inside /root/.jobyard, jobyard's data directory (its token and keys): it is never mounted into a pod");
    expect(judgeBind('/root/.jobyard/pki', data, engine).refused).toContain('is inside /root/.jobyard');
  });
  it('a directory that contains it: read-only with the data directory hidden', () => {
    expect(judgeBind('/root', data, engine)).toEqual({ readOnly: true, masks: ['.jobyard'] });
    expect(judgeBind('/home/u', ['/home/u/.jobyard'], [])).toEqual({ readOnly: true, masks: ['.jobyard'] });
  });
  it("the engine's socket and state, or what contains them: refused", () => {
    expect(judgeBind('/run/docker.sock', data, engine).refused).toContain("/run/docker.sock, the container engine's socket or state");
    expect(judgeBind('/', data, engine).refused).toBeDefined();
    expect(judgeBind('/var/lib/docker/volumes', data, engine).refused).toBeDefined();
  });
});

describe('realPathOf', () => {
  const links: Record<string, string> = { '/srv/link': '/root/.jobyard', '/var/run': '/run' };
  const realpath = async (p: string) => {
    for (const [from, to] of Object.entries(links)) if (p === from || p.startsWith(`${from}/`)) return to + p.slice(from.length);
    if (p.startsWith('/missing')) throw new Error('ENOENT');
    return p;
  };
  it('follows symlinks, and resolves the existing part of a path that does not exist yet', async () => {
    expect(await realPathOf('/srv/link/', realpath)).toBe('/root/.jobyard');
    expect(await realPathOf('/var/run/docker.sock', realpath)).toBe('/run/docker.sock');
    expect(await realPathOf('/missing/a/b', realpath)).toBe('/missing/a/b');
  });
});
