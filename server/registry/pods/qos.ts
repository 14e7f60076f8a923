// qos.ComputePodQOS: Guaranteed, Burstable or BestEffort from the containers' cpu/memory.
import type { Container } from '../../../api/index.js';
import { quantityMilliValue } from '../../../machinery/index.js';
import type { PodObject } from './types.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
const QOS_RESOURCES = ['cpu', 'memory'];

function milli(q: unknown): bigint {
  try {
    return quantityMilliValue(String(q));
  } catch {
    return 0n;
  }
}

/** The pod's QoS class (status.qosClass), computed once at creation as upstream does. */
export function computePodQOS(pod: PodObject): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    for (const [name, q] of Object.entries(c.resources?.requests ?? {})) {
      if (!QOS_RESOURCES.includes(name)) continue;
      const v = milli(q);
      if (v > 0n) requests.set(name, (requests.get(name) ?? 0n) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(c.resources?.limits ?? {})) {
      if (!QOS_RESOURCES.includes(name)) continue;
      const v = milli(q);
      if (v > 0n) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0n) + v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
