// Pulling a container's image (upstream's kuberuntime_image.go and images.EnsureImageExists):
// the pull policy, the pod's imagePullSecrets as a keyring, the Pulling/Pulled events and the
// image waiting reasons (ErrImagePull, ImagePullBackOff, ...).
import type { Container, Pod, Secret } from '../../api/index.js';
import { isNotFound } from '../../machinery/index.js';
import { formatGoDuration } from '../../machinery/go-duration.js';
import { BACKOFF_INITIAL_MS } from '../restart-backoff.js';
import { applyDefaultImageTag, defaultPullPolicy, DockerKeyring, isRuntimeError } from '../runtime/index.js';
import { type PodRuntimeState, recordStartFailure, type RuntimeManagerContext, wakeAtLatest } from './context.js';

/** The key of an image's pull back-off and last pull error: `<pod uid>_<image>`. */
export function imageBackoffKey(st: PodRuntimeState, c: Container): string {
  return `${st.uid}_${c.image ?? ''}`;
}

/**
 * Makes the container's image present as its pull policy says. Returns the image reference
 * to create the container from, or undefined when it failed (the waiting reason is recorded
 * and a wake-up asked for when the back-off ends).
 */
export async function pullImage(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container): Promise<string | undefined> {
  const rec = ctx.recorder;
  const fail = (reason: string, message: string) => recordStartFailure(ctx, st, pod, c.name, reason, message);
  const image = c.image ?? '';
  const pullPolicy = c.imagePullPolicy ?? defaultPullPolicy(image);
  const keyring = await pullKeyring(ctx, pod);
  const backoffKey = imageBackoffKey(st, c);
  try {
    // "Pulling" once ensureImage decided to pull and is not in its back-off (one image inspect, not two).
    const onPulling = () => rec.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const res = await ctx.images.ensureImage({ podUID: st.uid, image, pullPolicy, keyring, onPulling });
    const imageRef = applyDefaultImageTag(image);
    if (res.pulled) {
      const took = formatGoDuration(res.pullDurationMs ?? 0);
      rec.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${res.image.sizeBytes} bytes.`);
    } else {
      rec.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    }
    return imageRef;
  } catch (err) {
    if (!isRuntimeError(err)) throw err;
    switch (err.reason) {
      case 'ImagePullBackOff': {
        rec.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        const last = ctx.lastPullError.get(backoffKey);
        fail('ImagePullBackOff', last ? `${err.message}: ErrImagePull: ${last}` : err.message);
        break;
      }
      case 'ErrImagePull':
        rec.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`);
        ctx.lastPullError.set(backoffKey, err.message);
        fail('ErrImagePull', err.message);
        break;
      case 'ErrImageNeverPull':
        rec.event(pod, 'Warning', 'ErrImageNeverPull', err.message);
        fail('ErrImageNeverPull', err.message);
        break;
      case 'InvalidImageName':
        rec.event(pod, 'Warning', 'InspectFailed', err.message);
        fail('InvalidImageName', err.message);
        break;
      default:
        rec.event(pod, 'Warning', 'InspectFailed', err.message);
        fail(err.reason, err.message);
    }
    wakeAtLatest(st, ctx.scheduler.now().getTime() + Math.max(1_000, ctx.images.backoff.get(backoffKey) || BACKOFF_INITIAL_MS));
    return undefined;
  }
}

/** The pod's imagePullSecrets as a keyring; missing secrets are an event, not an error (as upstream). */
async function pullKeyring(ctx: RuntimeManagerContext, pod: Pod): Promise<DockerKeyring | undefined> {
  const refs = pod.spec.imagePullSecrets ?? [];
  if (refs.length === 0) return undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const secrets: Secret[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    if (!ref.name) continue;
    try {
      secrets.push(await ctx.client.secrets.namespace(ns).get(ref.name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.push(ref.name);
    }
  }
  if (missing.length) {
    ctx.recorder.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
  }
  try {
    return DockerKeyring.fromSecrets(secrets);
  } catch {
    return undefined;
  }
}

