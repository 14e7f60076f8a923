import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../machinery/index.js';
import { FakeRuntime } from './testing/index.js';
import { Backoff, defaultPullPolicy, ImageManager } from './image-manager.js';
import { DockerKeyring } from './keyring.js';
import { RuntimeError } from './runtime-error.js';

function setup() {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const runtime = new FakeRuntime({ clock });
  const images = new ImageManager({ runtime, clock });
  return { clock, runtime, images };
}

async function reasonOf(p: Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RuntimeError) return { reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected a RuntimeError');
}

describe('defaultPullPolicy', () => {
  it('is Always for latest or no tag and IfNotPresent otherwise', () => {
    expect(defaultPullPolicy('busybox')).toBe('Always');
    expect(defaultPullPolicy('busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('busybox:1.36')).toBe('IfNotPresent');
    expect(defaultPullPolicy('busybox@sha256:' + 'a'.repeat(64))).toBe('IfNotPresent');
  });
});

describe('ImageManager.ensureImage', () => {
  it('uses a present image under IfNotPresent without pulling', async () => {
    const { runtime, images } = setup();
    runtime.addImage('busybox:1.36');
    const r = await images.ensureImage({ podUID: 'u1', image: 'busybox:1.36', pullPolicy: 'IfNotPresent' });
    expect(r.pulled).toBe(false);
    expect(r.image.repoTags).toEqual(['busybox:1.36']);
    expect(runtime.calls.filter((c) => c.op === 'pullImage')).toEqual([]);
  });

  it('pulls a present image again under Always', async () => {
    const { runtime, images } = setup();
    runtime.addImage('busybox:latest');
    runtime.addRegistryImage('busybox:latest');
    const r = await images.ensureImage({ podUID: 'u1', image: 'busybox', pullPolicy: 'Always' });
    expect(r.pulled).toBe(true);
    expect(runtime.calls.filter((c) => c.op === 'pullImage').map((c) => c.target)).toEqual(['busybox:latest']);
  });

  it('fails ErrImageNeverPull with the kubelet message when the image is absent under Never', async () => {
    const { images } = setup();
    expect(await reasonOf(images.ensureImage({ podUID: 'u1', image: 'app:1', pullPolicy: 'Never' }))).toEqual({
      reason: 'ErrImageNeverPull',
      message: 'Container image "app:1" is not present with pull policy of Never',
    });
  });

  it('fails InvalidImageName for a bad reference', async () => {
    const { images } = setup();
    expect(await reasonOf(images.ensureImage({ podUID: 'u1', image: 'bad name' }))).toEqual({
      reason: 'InvalidImageName',
      message: 'Failed to apply default image tag "bad name": couldn\'t parse image reference "bad name": invalid reference format',
    });
  });

  it('backs off after a failed pull: ErrImagePull, then ImagePullBackOff until the delay passes, doubling', async () => {
    const { clock, runtime, images } = setup();
    const req = { podUID: 'u1', image: 'registry.example.com/app:1', pullPolicy: 'IfNotPresent' as const };
    expect((await reasonOf(images.ensureImage(req))).reason).toBe('ErrImagePull');
    expect(await reasonOf(images.ensureImage(req))).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/app:1"' });
    clock.step(10_000);
    expect((await reasonOf(images.ensureImage(req))).reason).toBe('ErrImagePull');
    clock.step(10_000);
    expect((await reasonOf(images.ensureImage(req))).reason).toBe('ImagePullBackOff');
    clock.step(10_000);
    runtime.addRegistryImage('registry.example.com/app:1');
    const ok = await images.ensureImage(req);
    expect(ok.pulled).toBe(true);
    // Another pod has its own back-off.
    expect(images.backoff.get('u2_registry.example.com/app:1')).toBe(0);
  });

  it('pulls a private image with the credentials of the matching pull secret', async () => {
    const { runtime, images } = setup();
    runtime.addRegistryImage('127.0.0.1:5000/team/app:1', { auth: { username: 'alice', password: 's3cret' } });
    const wrong = new DockerKeyring();
    wrong.add({ '127.0.0.1:5000': { username: 'alice', password: 'nope' } });
    const denied = await reasonOf(images.ensureImage({ podUID: 'u1', image: '127.0.0.1:5000/team/app:1', keyring: wrong }));
    expect(denied.reason).toBe('ErrImagePull');
    expect(denied.message).not.toContain('nope');

    const right = new DockerKeyring();
    right.add({ 'other.example.com': { username: 'x', password: 'y' }, '127.0.0.1:5000': { username: 'alice', password: 's3cret' } });
    const ok = await images.ensureImage({ podUID: 'u2', image: '127.0.0.1:5000/team/app:1', keyring: right });
    expect(ok.image.repoTags).toEqual(['127.0.0.1:5000/team/app:1']);
  });
});

describe('Backoff', () => {
  it('caps at max and forgets after 2×max of quiet', () => {
    const b = new Backoff(10, 40);
    const t = (ms: number) => new Date(ms);
    b.next('k', t(0));
    b.next('k', t(1));
    b.next('k', t(2));
    b.next('k', t(3));
    expect(b.get('k')).toBe(40);
    expect(b.isInBackOffSinceUpdate('k', t(42))).toBe(true);
    expect(b.isInBackOffSinceUpdate('k', t(43))).toBe(false);
    b.next('k', t(3 + 81));
    expect(b.get('k')).toBe(10);
  });
});
