// The contract of ImageService: image status and list, pulls (bad references, missing
// images, private images with credentials that are never echoed), imagePullPolicy.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../container-runtime.js';
import { ImageManager } from '../../image-manager.js';
import { DockerKeyring } from '../../keyring.js';
import { reasonOf, type ContractContext, type ContractHarness } from './context.js';

export function describeImageServiceContract(ctx: ContractContext): void {
  describe('images', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    it('reports a present image, lists it, and reports an absent one as undefined', async () => {
      const st = await rt.imageStatus(h.busybox);
      expect(st?.id).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(st!.sizeBytes).toBeGreaterThan(0);
      const all = await rt.listImages();
      expect(all.some((i) => i.id === st!.id && i.names.length > 0 && i.sizeBytes > 0)).toBe(true);
      expect(await rt.imageStatus(await h.missingImage())).toBeUndefined();
    });

    it('rejects a bad reference with InvalidImageName', async () => {
      expect((await reasonOf(rt.imageStatus('Not A/Valid::Ref'))).reason).toBe('InvalidImageName');
      expect((await reasonOf(rt.pullImage('bad ref'))).reason).toBe('InvalidImageName');
    });

    it('fails a pull no registry can serve with ErrImagePull', async () => {
      expect((await reasonOf(rt.pullImage(await h.missingImage()))).reason).toBe('ErrImagePull');
    });

    it('applies imagePullPolicy: present + Never runs, absent + Never is ErrImageNeverPull', async () => {
      const images = new ImageManager({ runtime: rt, clock: { now: () => h.now() } });
      const ok = await images.ensureImage({ podUID: `${h.runId}-img`, image: h.busybox, pullPolicy: 'Never' });
      expect(ok.pulled).toBe(false);
      const err = await reasonOf(images.ensureImage({ podUID: `${h.runId}-img`, image: await h.missingImage(), pullPolicy: 'Never' }));
      expect(err.reason).toBe('ErrImageNeverPull');
    });

    it('pulls a private image only with its credentials, never echoing them', async () => {
      const { ref, auth } = await h.privateImage();
      const anonymous = await reasonOf(rt.pullImage(ref));
      expect(anonymous.reason).toBe('ErrImagePull');
      const wrongPassword = 'wrong-' + h.runId;
      const denied = await reasonOf(rt.pullImage(ref, { ...auth, password: wrongPassword }));
      expect(denied.reason).toBe('ErrImagePull');
      expect(denied.message).not.toContain(wrongPassword);
      expect(denied.message).not.toContain(auth.password!);

      // Through a pull secret, as a pod would.
      const keyring = DockerKeyring.fromSecrets([
        {
          metadata: { name: 'regcred' },
          type: 'kubernetes.io/dockerconfigjson',
          data: {
            '.dockerconfigjson': Buffer.from(
              JSON.stringify({ auths: { [auth.serverAddress!]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } } }),
            ).toString('base64'),
          },
        },
      ]);
      const images = new ImageManager({ runtime: rt, clock: { now: () => h.now() } });
      const pulled = await images.ensureImage({ podUID: `${h.runId}-priv`, image: ref, pullPolicy: 'Always', keyring });
      expect(pulled.pulled).toBe(true);
      expect(pulled.image.repoTags).toContain(ref);
      expect(pulled.image.repoDigests.some((d) => /@sha256:[a-f0-9]{64}$/.test(d))).toBe(true);
      expect((await rt.imageStatus(ref))?.id).toBe(pulled.image.id);
      const again = await images.ensureImage({ podUID: `${h.runId}-priv`, image: ref, pullPolicy: 'IfNotPresent' });
      expect(again.pulled).toBe(false);
    });
  });
}
