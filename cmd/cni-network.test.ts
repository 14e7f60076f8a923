import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cniBridgeNetwork } from './cni-network.js';

describe('cniBridgeNetwork', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const confDir = (files: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'jobyard-cni-'));
    dirs.push(dir);
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
    return dir;
  };
  const bridge = (ipam: unknown, extra: Record<string, unknown> = {}) => ({ type: 'bridge', bridge: 'jobyard-cni0', isGateway: true, ipam, ...extra });

  it("reads scripts/containerd.sh's conflist: bridge jobyard-cni0, host-local 10.88.0.0/16, gateway its first address", () => {
    const dir = confDir({
      '10-jobyard.conflist': {
        cniVersion: '1.0.0',
        name: 'jobyard',
        plugins: [bridge({ type: 'host-local', ranges: [[{ subnet: '10.88.0.0/16' }]] }), { type: 'portmap', capabilities: { portMappings: true } }, { type: 'firewall' }],
      },
    });
    expect(cniBridgeNetwork(dir)).toEqual({ subnet: '10.88.0.0/16', gateway: '10.88.0.1', interface: 'jobyard-cni0' });
  });

  it('takes the first file in lexical order, as the runtime does, and a range\'s own gateway; skips IPv6 ranges', () => {
    const dir = confDir({
      '20-other.conflist': { plugins: [bridge({ ranges: [[{ subnet: '10.99.0.0/16' }]] }, { bridge: 'other0' })] },
      '10-first.conf': bridge({ type: 'host-local', ranges: [[{ subnet: 'fd00::/64' }], [{ subnet: '10.22.0.0/24', gateway: '10.22.0.254' }]] }, { bridge: undefined }),
      'README.txt': 'not a CNI file',
    });
    expect(cniBridgeNetwork(dir)).toEqual({ subnet: '10.22.0.0/24', gateway: '10.22.0.254', interface: 'cni0' });
  });

  it('has no gateway when the bridge is not one (isGateway false), and the old ipam.subnet form', () => {
    const dir = confDir({ '10-a.conf': bridge({ type: 'host-local', subnet: '10.5.0.0/16' }, { isGateway: false }) });
    expect(cniBridgeNetwork(dir)).toEqual({ subnet: '10.5.0.0/16', interface: 'jobyard-cni0' });
  });

  it('is empty without a directory, without a bridge plugin, or with a file that is not JSON', () => {
    expect(cniBridgeNetwork(join(tmpdir(), 'jobyard-no-such-cni-dir'))).toEqual({});
    expect(cniBridgeNetwork(confDir({ '10-ptp.conflist': { plugins: [{ type: 'ptp', ipam: { type: 'host-local', subnet: '10.1.0.0/16' } }] } }))).toEqual({});
    expect(cniBridgeNetwork(confDir({ '10-bad.conflist': '{ not json' }))).toEqual({});
  });
});
