import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostView } from './host-view.js';

function layout() {
  const root = mkdtempSync(join(tmpdir(), 'hostview-'));
  const upper = join(root, 'upper');
  const vol = join(root, 'vol');
  for (const d of [`${upper}/var/log/app/sub`, `${upper}/tmp`, vol]) mkdirSync(d, { recursive: true });
  writeFileSync(`${upper}/var/log/app/a.log`, 'a\n');
  writeFileSync(`${upper}/var/log/app/b.txt`, 'b\n');
  writeFileSync(`${upper}/var/log/app/sub/c.log`, 'c\n');
  writeFileSync(`${vol}/v.log`, 'v\n');
  symlinkSync(`${upper}/var/log/app/a.log`, `${upper}/var/log/app/link.log`);
  const view = new HostView({
    rootfsDir: upper,
    mounts: [
      { destination: '/var/log/app/vol', source: vol },
      { destination: '/scratch', source: undefined }, // a tmpfs: not on the host
    ],
  });
  return { upper, vol, view };
}

describe('HostView', () => {
  it('maps container paths to the innermost mount or the writable layer', () => {
    const { view, upper, vol } = layout();
    expect(view.hostPath('/var/log/app/a.log')).toBe(`${upper}/var/log/app/a.log`);
    expect(view.hostPath('/var/log/app/vol/v.log')).toBe(`${vol}/v.log`);
    expect(view.hostPath('/var/log/app/vol')).toBe(vol);
    expect(view.hostPath('/scratch/x.log')).toBeUndefined();
    expect(new HostView({ mounts: [] }).hostPath('/a')).toBeUndefined();
  });

  it('matches wildcards per segment, through mounts, regular files only, with inode keys', async () => {
    const { view } = layout();
    const files = await view.glob('/var/log/app/*.log');
    expect(files.map((f) => f.path)).toEqual(['/var/log/app/a.log']);
    expect(files[0].key).toMatch(/^\d+:\d+$/);
    expect((await view.glob('/var/log/app/*/*.log')).map((f) => f.path)).toEqual(['/var/log/app/sub/c.log', '/var/log/app/vol/v.log']);
    expect((await view.glob('/var/log/**/*.log')).map((f) => f.path)).toEqual(['/var/log/app/a.log', '/var/log/app/sub/c.log', '/var/log/app/vol/v.log']);
    expect((await view.glob('/var/log/app/a.log')).map((f) => f.sizeBytes)).toEqual([2]);
    expect(await view.glob('/nowhere/*.log')).toEqual([]);
  });

  it('says which patterns the host can see', () => {
    const { view } = layout();
    expect(view.covers('/var/log/app/*.log')).toBe(true);
    expect(view.covers('/scratch/*.log')).toBe(false);
    expect(view.covers('/*/x.log')).toBe(false); // /scratch is under /
    expect(new HostView({ mounts: [] }).covers('/var/log/*.log')).toBe(false);
  });
});
