// k8s.io/api core/v1 Service and Endpoints, and discovery.k8s.io/v1 EndpointSlice. Field lists,
// strategic-merge tags and protobuf numbers follow upstream (Kubernetes 1.34); descriptions are ours.
import { CORE, META, bool, int32, intOrString, keepZero, list, map, object, ref, str } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of discovery.k8s.io/v1. */
export const DISCOVERY = 'io.k8s.api.discovery.v1.';

const atomicStrings = (description: string) => list(str(), { listType: 'atomic' }, description);

export const serviceDefinitions: Definitions = {
  [CORE + 'Service']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "v1".'),
      kind: str('The REST resource this object represents, "Service".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(CORE + 'ServiceSpec', 'The behaviour of the service.'),
      status: ref(CORE + 'ServiceStatus', 'Most recently observed status of the service.'),
    },
    { description: 'A named abstraction of software service: the ports it listens on and the selector of the pods that answer.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [CORE + 'ServiceSpec']: object(
    {
      allocateLoadBalancerNodePorts: bool('Whether NodePorts are allocated for a LoadBalancer service (default true).'),
      clusterIP: str('The virtual IP of the service: allocated, given, or "None" for a headless service. Immutable once set.'),
      clusterIPs: atomicStrings('The virtual IPs of the service, one per IP family; clusterIPs[0] equals clusterIP.'),
      externalIPs: atomicStrings('IPs for which nodes also accept traffic for this service.'),
      externalName: str('The DNS name a service of type ExternalName aliases (a CNAME).'),
      externalTrafficPolicy: str('How traffic from external sources is routed: Cluster or Local.'),
      healthCheckNodePort: int32('The health-check node port of a LoadBalancer service with externalTrafficPolicy Local.'),
      internalTrafficPolicy: str('How traffic from the cluster is routed: Cluster or Local.'),
      ipFamilies: atomicStrings('IP families (IPv4, IPv6) of the service, in the order of clusterIPs.'),
      ipFamilyPolicy: str('SingleStack, PreferDualStack or RequireDualStack.'),
      loadBalancerClass: str('The load balancer implementation this service belongs to.'),
      loadBalancerIP: str('Deprecated: the load balancer IP asked for.'),
      loadBalancerSourceRanges: atomicStrings('Client CIDRs a load balancer admits.'),
      ports: list(ref(CORE + 'ServicePort'), { mergeKey: 'port', patchStrategy: 'merge', listType: 'map', listMapKeys: ['port', 'protocol'] }, 'The ports the service exposes.'),
      publishNotReadyAddresses: bool('Publish the addresses of pods that are not ready (for peer discovery of stateful sets).'),
      selector: map(str(), 'Pods whose labels match become the endpoints of the service; without one, Endpoints are written by hand.'),
      sessionAffinity: str('None, or ClientIP to send a client to the same endpoint.'),
      sessionAffinityConfig: ref(CORE + 'SessionAffinityConfig', 'Settings of the session affinity.'),
      trafficDistribution: str('A preference for how traffic is spread over endpoints (PreferClose).'),
      type: str('ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
    },
    {
      proto: {
        ports: 1, selector: 2, clusterIP: 3, type: 4, externalIPs: 5, sessionAffinity: 7, loadBalancerIP: 8, loadBalancerSourceRanges: 9,
        externalName: 10, externalTrafficPolicy: 11, healthCheckNodePort: 12, publishNotReadyAddresses: 13, sessionAffinityConfig: 14,
        ipFamilyPolicy: 17, clusterIPs: 18, ipFamilies: 19, allocateLoadBalancerNodePorts: keepZero(20), loadBalancerClass: keepZero(21),
        internalTrafficPolicy: keepZero(22), trafficDistribution: keepZero(23),
      },
    },
  ),
  [CORE + 'ServicePort']: object(
    {
      appProtocol: str('The application protocol of the port (a hint for implementations).'),
      name: str('The DNS_LABEL name of the port; required when the service has more than one port.'),
      nodePort: int32('The port on each node for a NodePort or LoadBalancer service: allocated or given.'),
      port: int32('The port the service exposes.'),
      protocol: str('TCP (default), UDP or SCTP.'),
      targetPort: intOrString('The port (number, or the name of a container port) on the pods; defaults to port.'),
    },
    { required: ['port'], proto: { name: 1, protocol: 2, port: keepZero(3), targetPort: 4, nodePort: 5, appProtocol: keepZero(6) } },
  ),
  [CORE + 'SessionAffinityConfig']: object({ clientIP: ref(CORE + 'ClientIPConfig', 'Settings of ClientIP session affinity.') }, { proto: { clientIP: 1 } }),
  [CORE + 'ClientIPConfig']: object(
    { timeoutSeconds: int32('Seconds a ClientIP session sticks (default 10800, at most 86400).') },
    { proto: { timeoutSeconds: keepZero(1) } },
  ),
  [CORE + 'ServiceStatus']: object(
    {
      conditions: list(ref(META + 'Condition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }, 'Current state of the service.'),
      loadBalancer: ref(CORE + 'LoadBalancerStatus', 'The load balancer, if any.'),
    },
    { proto: { loadBalancer: 1, conditions: 2 } },
  ),
  [CORE + 'LoadBalancerStatus']: object(
    { ingress: list(ref(CORE + 'LoadBalancerIngress'), { listType: 'atomic' }, 'Ingress points of the load balancer.') },
    { proto: { ingress: 1 } },
  ),
  [CORE + 'LoadBalancerIngress']: object(
    {
      hostname: str('DNS name of the ingress point.'),
      ip: str('IP of the ingress point.'),
      ipMode: str('VIP or Proxy.'),
      ports: list(ref(CORE + 'PortStatus'), { listType: 'atomic' }, 'Status of the service ports.'),
    },
    { proto: { ip: 1, hostname: 2, ipMode: keepZero(3), ports: 4 } },
  ),
  [CORE + 'PortStatus']: object(
    { error: str('Why the port failed, CamelCase.'), port: int32('The port number.'), protocol: str('TCP, UDP or SCTP.') },
    { required: ['port', 'protocol'], proto: { port: keepZero(1), protocol: keepZero(2), error: keepZero(3) } },
  ),
  [CORE + 'Endpoints']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "v1".'),
      kind: str('The REST resource this object represents, "Endpoints".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      subsets: list(ref(CORE + 'EndpointSubset'), { listType: 'atomic' }, 'Sets of addresses with the same ports.'),
    },
    { description: 'The endpoints of a service: the addresses and ports of the pods behind it.', proto: { metadata: 1, subsets: 2 } },
  ),
  [CORE + 'EndpointSubset']: object(
    {
      addresses: list(ref(CORE + 'EndpointAddress'), { listType: 'atomic' }, 'Ready addresses.'),
      notReadyAddresses: list(ref(CORE + 'EndpointAddress'), { listType: 'atomic' }, 'Addresses not ready (or not yet ready).'),
      ports: list(ref(CORE + 'EndpointPort'), { listType: 'atomic' }, 'Ports of the addresses.'),
    },
    { proto: { addresses: 1, notReadyAddresses: 2, ports: 3 } },
  ),
  [CORE + 'EndpointAddress']: object(
    {
      hostname: str('The hostname of the endpoint.'),
      ip: str('The IP of the endpoint.'),
      nodeName: str('The node hosting the endpoint.'),
      targetRef: ref(CORE + 'ObjectReference', 'The object (usually a pod) providing the endpoint.'),
    },
    { required: ['ip'], proto: { ip: keepZero(1), targetRef: 2, hostname: 3, nodeName: keepZero(4) } },
  ),
  [CORE + 'EndpointPort']: object(
    {
      appProtocol: str('The application protocol of the port.'),
      name: str('The name of the port; must match the service port\'s name.'),
      port: int32('The port number.'),
      protocol: str('TCP, UDP or SCTP.'),
    },
    { required: ['port'], proto: { name: 1, port: keepZero(2), protocol: 3, appProtocol: keepZero(4) } },
  ),
  [DISCOVERY + 'EndpointSlice']: object(
    {
      addressType: str('IPv4, IPv6 or FQDN: the type of every address in the slice. Immutable.'),
      apiVersion: str('The versioned schema of this representation of an object, "discovery.k8s.io/v1".'),
      endpoints: list(ref(DISCOVERY + 'Endpoint'), { listType: 'atomic' }, 'At most 1000 endpoints.'),
      kind: str('The REST resource this object represents, "EndpointSlice".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      ports: list(ref(DISCOVERY + 'EndpointPort'), { listType: 'atomic' }, 'The ports every endpoint of the slice exposes.'),
    },
    {
      required: ['addressType', 'endpoints'],
      description: 'A subset of the endpoints of a service.',
      proto: { metadata: 1, endpoints: 2, ports: 3, addressType: keepZero(4) },
    },
  ),
  [DISCOVERY + 'Endpoint']: object(
    {
      addresses: list(str(), { listType: 'set' }, 'The addresses of the endpoint (1 to 100), of the slice\'s addressType.'),
      conditions: ref(DISCOVERY + 'EndpointConditions', 'The state of the endpoint.'),
      deprecatedTopology: map(str(), 'Deprecated topology labels.'),
      hints: ref(DISCOVERY + 'EndpointHints', 'Hints for topology-aware routing.'),
      hostname: str('The hostname of the endpoint.'),
      nodeName: str('The node hosting the endpoint.'),
      targetRef: ref(CORE + 'ObjectReference', 'The object (usually a pod) providing the endpoint.'),
      zone: str('The zone of the endpoint.'),
    },
    {
      required: ['addresses'],
      proto: { addresses: 1, conditions: 2, hostname: keepZero(3), targetRef: 4, deprecatedTopology: 5, nodeName: keepZero(6), zone: keepZero(7), hints: 8 },
    },
  ),
  [DISCOVERY + 'EndpointConditions']: object(
    {
      ready: bool('The endpoint is ready to receive traffic (serving and not terminating).'),
      serving: bool('The endpoint is ready, regardless of terminating.'),
      terminating: bool('The endpoint is terminating.'),
    },
    { proto: { ready: keepZero(1), serving: keepZero(2), terminating: keepZero(3) } },
  ),
  [DISCOVERY + 'EndpointHints']: object(
    {
      forNodes: list(ref(DISCOVERY + 'ForNode'), { listType: 'atomic' }, 'Nodes that should consume the endpoint.'),
      forZones: list(ref(DISCOVERY + 'ForZone'), { listType: 'atomic' }, 'Zones that should consume the endpoint.'),
    },
    { proto: { forZones: 1, forNodes: 2 } },
  ),
  [DISCOVERY + 'ForZone']: object({ name: str('The zone.') }, { required: ['name'], proto: { name: keepZero(1) } }),
  [DISCOVERY + 'ForNode']: object({ name: str('The node.') }, { required: ['name'], proto: { name: keepZero(1) } }),
  [DISCOVERY + 'EndpointPort']: object(
    {
      appProtocol: str('The application protocol of the port.'),
      name: str('The name of the port (the service port\'s).'),
      port: int32('The port number; unset means all ports.'),
      protocol: str('TCP, UDP or SCTP.'),
    },
    { proto: { name: keepZero(1), protocol: keepZero(2), port: keepZero(3), appProtocol: keepZero(4) } },
  ),
};
