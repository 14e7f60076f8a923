// k8s.io/api networking.k8s.io/v1 definitions: Ingress, served read-only and empty by jobyard (no
// ingress controller). The top-level fields and spec/status as upstream (Kubernetes 1.34); rules,
// backends and TLS are kept as sent (x-kubernetes-preserve-unknown-fields). Protobuf numbers
// follow upstream's generated.proto.
import { any, list, object, str } from './builders.js';
import { workloadKind } from './apps.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of networking.k8s.io/v1. */
export const NETWORKING = 'io.k8s.api.networking.v1.';

export const networkingDefinitions: Definitions = {
  [NETWORKING + 'Ingress']: workloadKind(
    NETWORKING,
    'Ingress',
    'networking.k8s.io/v1',
    'Rules that route external HTTP(S) traffic to Services. Served read-only by jobyard, which runs batch workloads and no ingress controller.',
  ),
  [NETWORKING + 'IngressSpec']: object(
    {
      defaultBackend: any('The backend for requests no rule matches.'),
      ingressClassName: str('The IngressClass that implements this Ingress.'),
      rules: list(any('A host rule: host and http paths to backends.'), { listType: 'atomic' }, 'Host rules; requests no rule matches go to defaultBackend.'),
      tls: list(any('Hosts and the Secret holding their certificate.'), { listType: 'atomic' }, 'TLS configuration.'),
    },
    { proto: { ingressClassName: 4, defaultBackend: 1, tls: 2, rules: 3 } },
  ),
  [NETWORKING + 'IngressStatus']: object(
    { loadBalancer: any('The load balancer\'s ingress points.') },
    { proto: { loadBalancer: 1 } },
  ),
};
