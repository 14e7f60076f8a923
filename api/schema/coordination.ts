// k8s.io/api coordination.k8s.io/v1 definitions: Lease, which node agents renew as their heartbeat.
// Field list and protobuf numbers follow upstream (Kubernetes 1.34); descriptions are ours.
import { META, asMessage, int32, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of coordination.k8s.io/v1. */
export const COORDINATION = 'io.k8s.api.coordination.v1.';

export const coordinationDefinitions: Definitions = {
  [COORDINATION + 'Lease']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "coordination.k8s.io/v1".'),
      kind: str('The REST resource this object represents, "Lease".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(COORDINATION + 'LeaseSpec', 'The holder and its renewals.'),
    },
    { description: 'A lease held by one holder at a time; a node agent renews kube-node-lease/<node> as its heartbeat.', proto: { metadata: 1, spec: 2 } },
  ),
  [COORDINATION + 'LeaseSpec']: object(
    {
      acquireTime: time('When the current holder acquired the lease (MicroTime).'),
      holderIdentity: str('Who holds the lease.'),
      leaseDurationSeconds: int32('Seconds candidates wait after the last renewal before taking the lease over.'),
      leaseTransitions: int32('How many times the lease changed holders.'),
      preferredHolder: str('The holder the lease should go to next (coordinated leader election).'),
      renewTime: time('When the holder last renewed the lease (MicroTime).'),
      strategy: str('How the holder is chosen (coordinated leader election).'),
    },
    {
      proto: {
        holderIdentity: 1, leaseDurationSeconds: 2, acquireTime: asMessage(3, 'MicroTime'), renewTime: asMessage(4, 'MicroTime'), leaseTransitions: 5,
        strategy: 6, preferredHolder: 7,
      },
    },
  ),
};
