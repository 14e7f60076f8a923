// k8s.io/api core/v1 definitions: Pod (complete PodSpec and PodStatus), Node, Namespace, ConfigMap, Secret,
// Event, PersistentVolumeClaim. Field lists follow upstream (Kubernetes 1.34), strategic-merge tags
// (patchMergeKey / patchStrategy / listType) follow upstream's types.go; descriptions are ours.
import { CORE, META, asMessage, bool, bytes, inline, int32, int64, intOrString, keepZero, list, map, object, quantity, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

export const coreDefinitions: Definitions = {
  [CORE + 'Pod']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'PodSpec', 'Desired behaviour of the pod.'),
      status: ref(CORE + 'PodStatus', 'Most recently observed status of the pod. Read-only.'),
    },
    { description: 'A Pod is a group of containers scheduled onto one node.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [CORE + 'PodSpec']: object(
    {
      activeDeadlineSeconds: int64('Seconds the pod may run (from startTime) before it is failed.'),
      affinity: ref(CORE + 'Affinity', 'Node and pod affinity scheduling constraints.'),
      automountServiceAccountToken: bool(),
      containers: list(ref(CORE + 'Container'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'The containers of the pod; at least one. Cannot be updated.'),
      dnsConfig: ref(CORE + 'PodDNSConfig'),
      dnsPolicy: str('ClusterFirst (default), ClusterFirstWithHostNet, Default or None.'),
      enableServiceLinks: bool('Inject service environment variables. Defaults to true.'),
      ephemeralContainers: list(ref(CORE + 'EphemeralContainer'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
      hostAliases: list(ref(CORE + 'HostAlias'), { mergeKey: 'ip', patchStrategy: 'merge', listType: 'map', listMapKeys: ['ip'] }),
      hostIPC: bool(),
      hostNetwork: bool('Use the host\'s network namespace.'),
      hostPID: bool(),
      hostUsers: bool(),
      hostname: str('The pod\'s hostname; defaults to the pod name.'),
      hostnameOverride: str(),
      imagePullSecrets: list(ref(CORE + 'LocalObjectReference'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'Secrets in the same namespace used to pull the images.'),
      initContainers: list(ref(CORE + 'Container'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'Containers run in order, each to completion, before the app containers start.'),
      nodeName: str('The node the pod is bound to; set by the scheduler.'),
      nodeSelector: map(str(), 'Labels a node must have for the pod to be scheduled there.'),
      os: ref(CORE + 'PodOS'),
      overhead: map(quantity()),
      preemptionPolicy: str(),
      priority: int32('Priority value, resolved from priorityClassName by admission.'),
      priorityClassName: str(),
      readinessGates: list(ref(CORE + 'PodReadinessGate'), { listType: 'atomic' }),
      resourceClaims: list(ref(CORE + 'PodResourceClaim'), { mergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
      resources: ref(CORE + 'ResourceRequirements'),
      restartPolicy: str('Always, OnFailure or Never. Defaults to Always; Jobs need Never or OnFailure.'),
      runtimeClassName: str(),
      schedulerName: str('Scheduler that places this pod; defaults to default-scheduler.'),
      schedulingGates: list(ref(CORE + 'PodSchedulingGate'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'Gates that keep the pod unscheduled while present.'),
      securityContext: ref(CORE + 'PodSecurityContext', 'Pod-level security attributes and common container settings.'),
      serviceAccount: str('Deprecated alias of serviceAccountName.'),
      serviceAccountName: str('Name of the ServiceAccount the pod runs as.'),
      setHostnameAsFQDN: bool(),
      shareProcessNamespace: bool('Share one process namespace between all containers.'),
      subdomain: str('Subdomain making the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.'),
      terminationGracePeriodSeconds: int64('Seconds between SIGTERM and SIGKILL on deletion. Defaults to 30.'),
      tolerations: list(ref(CORE + 'Toleration'), { listType: 'atomic' }, 'Taints this pod tolerates.'),
      topologySpreadConstraints: list(ref(CORE + 'TopologySpreadConstraint'), { mergeKey: 'topologyKey', patchStrategy: 'merge', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }, 'How pods spread across topology domains.'),
      volumes: list(ref(CORE + 'Volume'), { mergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }, 'Volumes the containers of this pod can mount.'),
    },
    {
      required: ['containers'],
      description: 'Description of a pod: its containers, volumes and scheduling.',
      proto: {
        volumes: 1, initContainers: 20, containers: 2, ephemeralContainers: 34, restartPolicy: 3,
        terminationGracePeriodSeconds: keepZero(4), activeDeadlineSeconds: keepZero(5), dnsPolicy: 6, nodeSelector: 7,
        serviceAccountName: 8, serviceAccount: 9, automountServiceAccountToken: keepZero(21), nodeName: 10,
        hostNetwork: 11, hostPID: 12, hostIPC: 13, shareProcessNamespace: keepZero(27), securityContext: 14,
        imagePullSecrets: 15, hostname: 16, subdomain: 17, affinity: 18, schedulerName: 19, tolerations: 22,
        hostAliases: 23, priorityClassName: 24, priority: keepZero(25), dnsConfig: 26, readinessGates: 28,
        runtimeClassName: keepZero(29), enableServiceLinks: keepZero(30), preemptionPolicy: keepZero(31),
        overhead: 32, topologySpreadConstraints: 33, setHostnameAsFQDN: keepZero(35), os: 36, hostUsers: keepZero(37),
        schedulingGates: 38, resourceClaims: 39, resources: 40, hostnameOverride: keepZero(41),
      },
    },
  ),
  [CORE + 'Affinity']: object(
    {
      nodeAffinity: ref(CORE + 'NodeAffinity'),
      podAffinity: ref(CORE + 'PodAffinity'),
      podAntiAffinity: ref(CORE + 'PodAntiAffinity'),
    },
    { proto: { nodeAffinity: 1, podAffinity: 2, podAntiAffinity: 3 } },
  ),
  [CORE + 'NodeAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PreferredSchedulingTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: ref(CORE + 'NodeSelector'),
    },
    { proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 } },
  ),
  [CORE + 'PreferredSchedulingTerm']: object(
    {
      preference: ref(CORE + 'NodeSelectorTerm'),
      weight: int32(),
    },
    { required: ['preference', 'weight'], proto: { weight: keepZero(1), preference: 2 } },
  ),
  [CORE + 'NodeSelectorTerm']: object(
    {
      matchExpressions: list(ref(CORE + 'NodeSelectorRequirement'), { listType: 'atomic' }),
      matchFields: list(ref(CORE + 'NodeSelectorRequirement'), { listType: 'atomic' }),
    },
    { proto: { matchExpressions: 1, matchFields: 2 } },
  ),
  [CORE + 'NodeSelectorRequirement']: object(
    {
      key: str(),
      operator: str(),
      values: list(str(), { listType: 'atomic' }),
    },
    { required: ['key', 'operator'], proto: { key: keepZero(1), operator: keepZero(2), values: 3 } },
  ),
  [CORE + 'NodeSelector']: object(
    {
      nodeSelectorTerms: list(ref(CORE + 'NodeSelectorTerm'), { listType: 'atomic' }),
    },
    { required: ['nodeSelectorTerms'], proto: { nodeSelectorTerms: 1 } },
  ),
  [CORE + 'PodAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'WeightedPodAffinityTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PodAffinityTerm'), { listType: 'atomic' }),
    },
    { proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 } },
  ),
  [CORE + 'WeightedPodAffinityTerm']: object(
    {
      podAffinityTerm: ref(CORE + 'PodAffinityTerm'),
      weight: int32(),
    },
    { required: ['podAffinityTerm', 'weight'], proto: { weight: keepZero(1), podAffinityTerm: 2 } },
  ),
  [CORE + 'PodAffinityTerm']: object(
    {
      labelSelector: ref(META + 'LabelSelector'),
      matchLabelKeys: list(str(), { listType: 'atomic' }),
      mismatchLabelKeys: list(str(), { listType: 'atomic' }),
      namespaceSelector: ref(META + 'LabelSelector'),
      namespaces: list(str(), { listType: 'atomic' }),
      topologyKey: str(),
    },
    {
      required: ['topologyKey'],
      proto: {
        labelSelector: 1, namespaces: 2, topologyKey: keepZero(3), namespaceSelector: 4, matchLabelKeys: 5,
        mismatchLabelKeys: 6,
      },
    },
  ),
  [CORE + 'PodAntiAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'WeightedPodAffinityTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PodAffinityTerm'), { listType: 'atomic' }),
    },
    { proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 } },
  ),
  [CORE + 'Container']: object(
    {
      args: list(str(), { listType: 'atomic' }, 'Arguments to the entrypoint; replace the image\'s CMD.'),
      command: list(str(), { listType: 'atomic' }, 'Entrypoint array, not run in a shell; replaces the image\'s ENTRYPOINT.'),
      env: list(ref(CORE + 'EnvVar'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'Environment variables to set in the container.'),
      envFrom: list(ref(CORE + 'EnvFromSource'), { listType: 'atomic' }, 'Sources (ConfigMaps, Secrets) to populate environment variables from.'),
      image: str('Image reference, e.g. busybox:1.36 or registry.example.com/team/app:tag.'),
      imagePullPolicy: str('Always, Never or IfNotPresent. Defaults to Always for :latest, else IfNotPresent.'),
      lifecycle: ref(CORE + 'Lifecycle', 'Actions run by the node agent after start and before stop.'),
      livenessProbe: ref(CORE + 'Probe', 'Periodic probe of liveness; the container is restarted if it fails.'),
      name: str('Container name, a DNS label unique within the pod. Cannot be updated.'),
      ports: list(ref(CORE + 'ContainerPort'), { mergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }, 'Ports the container exposes (informational).'),
      readinessProbe: ref(CORE + 'Probe', 'Periodic probe of readiness; the pod is not Ready while it fails.'),
      resizePolicy: list(ref(CORE + 'ContainerResizePolicy'), { listType: 'atomic' }),
      resources: ref(CORE + 'ResourceRequirements', 'Compute resources required (requests) and allowed (limits).'),
      restartPolicy: str('Only Always, for init containers that run as sidecars.'),
      restartPolicyRules: list(ref(CORE + 'ContainerRestartRule'), { listType: 'atomic' }),
      securityContext: ref(CORE + 'SecurityContext', 'Security options the container runs with.'),
      startupProbe: ref(CORE + 'Probe', 'Probe that must succeed before liveness and readiness probes start.'),
      stdin: bool('Allocate a buffer for stdin; reads get EOF otherwise.'),
      stdinOnce: bool('Close stdin after the first attach session ends.'),
      terminationMessagePath: str('File whose contents become the termination message. Defaults to /dev/termination-log.'),
      terminationMessagePolicy: str('File (default) or FallbackToLogsOnError.'),
      tty: bool('Allocate a TTY for the container (needs stdin).'),
      volumeDevices: list(ref(CORE + 'VolumeDevice'), { mergeKey: 'devicePath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['devicePath'] }),
      volumeMounts: list(ref(CORE + 'VolumeMount'), { mergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['mountPath'] }, 'Pod volumes to mount into the container filesystem.'),
      workingDir: str('Working directory; defaults to the image\'s.'),
    },
    {
      required: ['name'],
      description: 'A single application container that runs within a pod.',
      proto: {
        name: keepZero(1), image: 2, command: 3, args: 4, workingDir: 5, ports: 6, envFrom: 19, env: 7, resources: 8,
        resizePolicy: 23, restartPolicy: keepZero(24), restartPolicyRules: 25, volumeMounts: 9, volumeDevices: 21,
        livenessProbe: 10, readinessProbe: 11, startupProbe: 22, lifecycle: 12, terminationMessagePath: 13,
        terminationMessagePolicy: 20, imagePullPolicy: 14, securityContext: 15, stdin: 16, stdinOnce: 17, tty: 18,
      },
    },
  ),
  [CORE + 'EnvVar']: object(
    {
      name: str('Name of the variable.'),
      value: str('Literal value; $(VAR) references to earlier variables are expanded.'),
      valueFrom: ref(CORE + 'EnvVarSource', 'Source of the value (ConfigMap or Secret key, pod field, resource); not with value.'),
    },
    {
      required: ['name'],
      description: 'An environment variable: a literal value or a reference.',
      proto: {
        name: keepZero(1), value: 2, valueFrom: 3,
      },
    },
  ),
  [CORE + 'EnvVarSource']: object(
    {
      configMapKeyRef: ref(CORE + 'ConfigMapKeySelector'),
      fieldRef: ref(CORE + 'ObjectFieldSelector'),
      fileKeyRef: ref(CORE + 'FileKeySelector'),
      resourceFieldRef: ref(CORE + 'ResourceFieldSelector'),
      secretKeyRef: ref(CORE + 'SecretKeySelector'),
    },
    { proto: { fieldRef: 1, resourceFieldRef: 2, configMapKeyRef: 3, secretKeyRef: 4, fileKeyRef: 5 } },
  ),
  [CORE + 'ConfigMapKeySelector']: object(
    {
      key: str(),
      name: str(),
      optional: bool(),
    },
    { required: ['key'], proto: { ...inline(1, { name: 1 }), key: keepZero(2), optional: keepZero(3) } },
  ),
  [CORE + 'ObjectFieldSelector']: object(
    {
      apiVersion: str(),
      fieldPath: str(),
    },
    { required: ['fieldPath'], proto: { apiVersion: 1, fieldPath: keepZero(2) } },
  ),
  [CORE + 'FileKeySelector']: object(
    {
      key: str(),
      optional: bool(),
      path: str(),
      volumeName: str(),
    },
    { required: ['key', 'path', 'volumeName'], proto: { volumeName: keepZero(1), path: keepZero(2), key: keepZero(3), optional: keepZero(4) } },
  ),
  [CORE + 'ResourceFieldSelector']: object(
    {
      containerName: str(),
      divisor: quantity(),
      resource: str(),
    },
    { required: ['resource'], proto: { containerName: 1, resource: keepZero(2), divisor: 3 } },
  ),
  [CORE + 'SecretKeySelector']: object(
    {
      key: str(),
      name: str(),
      optional: bool(),
    },
    { required: ['key'], proto: { ...inline(1, { name: 1 }), key: keepZero(2), optional: keepZero(3) } },
  ),
  [CORE + 'EnvFromSource']: object(
    {
      configMapRef: ref(CORE + 'ConfigMapEnvSource'),
      prefix: str(),
      secretRef: ref(CORE + 'SecretEnvSource'),
    },
    { proto: { prefix: 1, configMapRef: 2, secretRef: 3 } },
  ),
  [CORE + 'ConfigMapEnvSource']: object(
    {
      name: str(),
      optional: bool(),
    },
    { proto: { ...inline(1, { name: 1 }), optional: keepZero(2) } },
  ),
  [CORE + 'SecretEnvSource']: object(
    {
      name: str(),
      optional: bool(),
    },
    { proto: { ...inline(1, { name: 1 }), optional: keepZero(2) } },
  ),
  [CORE + 'Lifecycle']: object(
    {
      postStart: ref(CORE + 'LifecycleHandler', 'Run right after the container is created; failure restarts it.'),
      preStop: ref(CORE + 'LifecycleHandler', 'Run before the container is terminated.'),
      stopSignal: str(),
    },
    { description: 'Actions run in response to container lifecycle events.', proto: { postStart: 1, preStop: 2, stopSignal: keepZero(3) } },
  ),
  [CORE + 'LifecycleHandler']: object(
    {
      exec: ref(CORE + 'ExecAction'),
      httpGet: ref(CORE + 'HTTPGetAction'),
      sleep: ref(CORE + 'SleepAction'),
      tcpSocket: ref(CORE + 'TCPSocketAction'),
    },
    { proto: { exec: 1, httpGet: 2, tcpSocket: 3, sleep: 4 } },
  ),
  [CORE + 'ExecAction']: object(
    {
      command: list(str(), { listType: 'atomic' }, 'Command line, not run in a shell; exit status 0 is success.'),
    },
    { description: 'A command run in the container.', proto: { command: 1 } },
  ),
  [CORE + 'HTTPGetAction']: object(
    {
      host: str(),
      httpHeaders: list(ref(CORE + 'HTTPHeader'), { listType: 'atomic' }, 'Extra request headers; repeated headers are allowed.'),
      path: str('Path to request.'),
      port: intOrString('Port number (1-65535) or named port of the container.'),
      scheme: str('HTTP (default) or HTTPS.'),
    },
    { required: ['port'], description: 'An HTTP GET request.', proto: { path: 1, port: 2, host: 3, scheme: 4, httpHeaders: 5 } },
  ),
  [CORE + 'HTTPHeader']: object(
    {
      name: str(),
      value: str(),
    },
    { required: ['name', 'value'], proto: { name: keepZero(1), value: keepZero(2) } },
  ),
  [CORE + 'SleepAction']: object(
    {
      seconds: int64(),
    },
    { required: ['seconds'], proto: { seconds: keepZero(1) } },
  ),
  [CORE + 'TCPSocketAction']: object(
    {
      host: str(),
      port: intOrString('Port number (1-65535) or named port of the container.'),
    },
    { required: ['port'], description: 'A TCP connection attempt.', proto: { port: 1, host: 2 } },
  ),
  [CORE + 'Probe']: object(
    {
      exec: ref(CORE + 'ExecAction', 'Run a command; exit code 0 is healthy.'),
      failureThreshold: int32('Consecutive failures to be considered unhealthy. Defaults to 3.'),
      grpc: ref(CORE + 'GRPCAction', 'gRPC health check.'),
      httpGet: ref(CORE + 'HTTPGetAction', 'HTTP GET; a status in [200,400) is healthy.'),
      initialDelaySeconds: int32('Seconds after start before the first probe.'),
      periodSeconds: int32('Seconds between probes. Defaults to 10, minimum 1.'),
      successThreshold: int32('Consecutive successes to be considered healthy. Defaults to 1; must be 1 for liveness and startup.'),
      tcpSocket: ref(CORE + 'TCPSocketAction', 'TCP connect; an open port is healthy.'),
      terminationGracePeriodSeconds: int64(),
      timeoutSeconds: int32('Seconds before a probe times out. Defaults to 1, minimum 1.'),
    },
    {
      description: 'A health check and how often to run it.',
      proto: {
        ...inline(1, { exec: 1, httpGet: 2, tcpSocket: 3, grpc: 4 }), initialDelaySeconds: 2, timeoutSeconds: 3,
        periodSeconds: 4, successThreshold: 5, failureThreshold: 6, terminationGracePeriodSeconds: keepZero(7),
      },
    },
  ),
  [CORE + 'GRPCAction']: object(
    {
      port: int32(),
      service: str(),
    },
    { required: ['port'], proto: { port: keepZero(1), service: keepZero(2) } },
  ),
  [CORE + 'ContainerPort']: object(
    {
      containerPort: int32(),
      hostIP: str(),
      hostPort: int32(),
      name: str(),
      protocol: str(),
    },
    { required: ['containerPort'], proto: { name: 1, hostPort: 2, containerPort: keepZero(3), protocol: 4, hostIP: 5 } },
  ),
  [CORE + 'ContainerResizePolicy']: object(
    {
      resourceName: str(),
      restartPolicy: str(),
    },
    { required: ['resourceName', 'restartPolicy'], proto: { resourceName: keepZero(1), restartPolicy: keepZero(2) } },
  ),
  [CORE + 'ResourceRequirements']: object(
    {
      claims: list(ref(CORE + 'ResourceClaim'), { listType: 'map', listMapKeys: ['name'] }),
      limits: map(quantity(), 'Maximum resources allowed, e.g. cpu: 500m, memory: 64Mi.'),
      requests: map(quantity(), 'Minimum resources reserved for scheduling; default to limits when absent.'),
    },
    { description: 'Compute resource requests and limits.', proto: { limits: 1, requests: 2, claims: 3 } },
  ),
  [CORE + 'ResourceClaim']: object(
    {
      name: str(),
      request: str(),
    },
    { required: ['name'], proto: { name: keepZero(1), request: 2 } },
  ),
  [CORE + 'ContainerRestartRule']: object(
    {
      action: str(),
      exitCodes: ref(CORE + 'ContainerRestartRuleOnExitCodes'),
    },
    { required: ['action'], proto: { action: 1, exitCodes: 2 } },
  ),
  [CORE + 'ContainerRestartRuleOnExitCodes']: object(
    {
      operator: str(),
      values: list(int32(), { listType: 'set' }),
    },
    { required: ['operator'], proto: { operator: 1, values: 2 } },
  ),
  [CORE + 'SecurityContext']: object(
    {
      allowPrivilegeEscalation: bool(),
      appArmorProfile: ref(CORE + 'AppArmorProfile'),
      capabilities: ref(CORE + 'Capabilities'),
      privileged: bool(),
      procMount: str(),
      readOnlyRootFilesystem: bool(),
      runAsGroup: int64(),
      runAsNonRoot: bool(),
      runAsUser: int64(),
      seLinuxOptions: ref(CORE + 'SELinuxOptions'),
      seccompProfile: ref(CORE + 'SeccompProfile'),
      windowsOptions: ref(CORE + 'WindowsSecurityContextOptions'),
    },
    {
      proto: {
        capabilities: 1, privileged: keepZero(2), seLinuxOptions: 3, windowsOptions: 10, runAsUser: keepZero(4),
        runAsGroup: keepZero(8), runAsNonRoot: keepZero(5), readOnlyRootFilesystem: keepZero(6),
        allowPrivilegeEscalation: keepZero(7), procMount: keepZero(9), seccompProfile: 11, appArmorProfile: 12,
      },
    },
  ),
  [CORE + 'AppArmorProfile']: object(
    {
      localhostProfile: str(),
      type: str(),
    },
    { required: ['type'], proto: { type: keepZero(1), localhostProfile: keepZero(2) } },
  ),
  [CORE + 'Capabilities']: object(
    {
      add: list(str(), { listType: 'atomic' }),
      drop: list(str(), { listType: 'atomic' }),
    },
    { proto: { add: 1, drop: 2 } },
  ),
  [CORE + 'SELinuxOptions']: object(
    {
      level: str(),
      role: str(),
      type: str(),
      user: str(),
    },
    { proto: { user: 1, role: 2, type: 3, level: 4 } },
  ),
  [CORE + 'SeccompProfile']: object(
    {
      localhostProfile: str(),
      type: str(),
    },
    { required: ['type'], proto: { type: keepZero(1), localhostProfile: keepZero(2) } },
  ),
  [CORE + 'WindowsSecurityContextOptions']: object(
    {
      gmsaCredentialSpec: str(),
      gmsaCredentialSpecName: str(),
      hostProcess: bool(),
      runAsUserName: str(),
    },
    { proto: { gmsaCredentialSpecName: keepZero(1), gmsaCredentialSpec: keepZero(2), runAsUserName: keepZero(3), hostProcess: keepZero(4) } },
  ),
  [CORE + 'VolumeDevice']: object(
    {
      devicePath: str(),
      name: str(),
    },
    { required: ['devicePath', 'name'], proto: { name: keepZero(1), devicePath: keepZero(2) } },
  ),
  [CORE + 'VolumeMount']: object(
    {
      mountPath: str('Path within the container; must not contain \':\'.'),
      mountPropagation: str(),
      name: str('Name of a volume of the pod.'),
      readOnly: bool('Mount read-only. Defaults to false.'),
      recursiveReadOnly: str(),
      subPath: str('Path within the volume to mount instead of its root.'),
      subPathExpr: str(),
    },
    {
      required: ['mountPath', 'name'],
      description: 'Mounting of a volume within a container.',
      proto: {
        name: keepZero(1), readOnly: 2, recursiveReadOnly: keepZero(7), mountPath: keepZero(3), subPath: 4,
        mountPropagation: keepZero(5), subPathExpr: 6,
      },
    },
  ),
  [CORE + 'PodDNSConfig']: object(
    {
      nameservers: list(str(), { listType: 'atomic' }),
      options: list(ref(CORE + 'PodDNSConfigOption'), { listType: 'atomic' }),
      searches: list(str(), { listType: 'atomic' }),
    },
    { proto: { nameservers: 1, searches: 2, options: 3 } },
  ),
  [CORE + 'PodDNSConfigOption']: object(
    {
      name: str(),
      value: str(),
    },
    { proto: { name: 1, value: keepZero(2) } },
  ),
  [CORE + 'EphemeralContainer']: object(
    {
      args: list(str(), { listType: 'atomic' }),
      command: list(str(), { listType: 'atomic' }),
      env: list(ref(CORE + 'EnvVar'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
      envFrom: list(ref(CORE + 'EnvFromSource'), { listType: 'atomic' }),
      image: str(),
      imagePullPolicy: str(),
      lifecycle: ref(CORE + 'Lifecycle'),
      livenessProbe: ref(CORE + 'Probe'),
      name: str(),
      ports: list(ref(CORE + 'ContainerPort'), { mergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
      readinessProbe: ref(CORE + 'Probe'),
      resizePolicy: list(ref(CORE + 'ContainerResizePolicy'), { listType: 'atomic' }),
      resources: ref(CORE + 'ResourceRequirements'),
      restartPolicy: str(),
      restartPolicyRules: list(ref(CORE + 'ContainerRestartRule'), { listType: 'atomic' }),
      securityContext: ref(CORE + 'SecurityContext'),
      startupProbe: ref(CORE + 'Probe'),
      stdin: bool(),
      stdinOnce: bool(),
      targetContainerName: str(),
      terminationMessagePath: str(),
      terminationMessagePolicy: str(),
      tty: bool(),
      volumeDevices: list(ref(CORE + 'VolumeDevice'), { mergeKey: 'devicePath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['devicePath'] }),
      volumeMounts: list(ref(CORE + 'VolumeMount'), { mergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['mountPath'] }),
      workingDir: str(),
    },
    {
      required: ['name'],
      proto: {
        ...inline(1, {
          name: keepZero(1), image: 2, command: 3, args: 4, workingDir: 5, ports: 6, envFrom: 19, env: 7,
          resources: 8, resizePolicy: 23, restartPolicy: keepZero(24), restartPolicyRules: 25, volumeMounts: 9,
          volumeDevices: 21, livenessProbe: 10, readinessProbe: 11, startupProbe: 22, lifecycle: 12,
          terminationMessagePath: 13, terminationMessagePolicy: 20, imagePullPolicy: 14, securityContext: 15,
          stdin: 16, stdinOnce: 17, tty: 18,
        }),
        targetContainerName: 2,
      },
    },
  ),
  [CORE + 'HostAlias']: object(
    {
      hostnames: list(str(), { listType: 'atomic' }),
      ip: str(),
    },
    { required: ['ip'], proto: { ip: keepZero(1), hostnames: 2 } },
  ),
  [CORE + 'LocalObjectReference']: object(
    {
      name: str(),
    },
    { proto: { name: 1 } },
  ),
  [CORE + 'PodOS']: object(
    {
      name: str(),
    },
    { required: ['name'], proto: { name: keepZero(1) } },
  ),
  [CORE + 'PodReadinessGate']: object(
    {
      conditionType: str(),
    },
    { required: ['conditionType'], proto: { conditionType: keepZero(1) } },
  ),
  [CORE + 'PodResourceClaim']: object(
    {
      name: str(),
      resourceClaimName: str(),
      resourceClaimTemplateName: str(),
    },
    { required: ['name'], proto: { name: keepZero(1), resourceClaimName: keepZero(3), resourceClaimTemplateName: keepZero(4) } },
  ),
  [CORE + 'PodSchedulingGate']: object(
    {
      name: str(),
    },
    { required: ['name'], proto: { name: keepZero(1) } },
  ),
  [CORE + 'PodSecurityContext']: object(
    {
      appArmorProfile: ref(CORE + 'AppArmorProfile'),
      fsGroup: int64(),
      fsGroupChangePolicy: str(),
      runAsGroup: int64(),
      runAsNonRoot: bool(),
      runAsUser: int64(),
      seLinuxChangePolicy: str(),
      seLinuxOptions: ref(CORE + 'SELinuxOptions'),
      seccompProfile: ref(CORE + 'SeccompProfile'),
      supplementalGroups: list(int64(), { listType: 'atomic' }),
      supplementalGroupsPolicy: str(),
      sysctls: list(ref(CORE + 'Sysctl'), { listType: 'atomic' }),
      windowsOptions: ref(CORE + 'WindowsSecurityContextOptions'),
    },
    {
      proto: {
        seLinuxOptions: 1, windowsOptions: 8, runAsUser: keepZero(2), runAsGroup: keepZero(6),
        runAsNonRoot: keepZero(3), supplementalGroups: 4, supplementalGroupsPolicy: keepZero(12),
        fsGroup: keepZero(5), sysctls: 7, fsGroupChangePolicy: keepZero(9), seccompProfile: 10, appArmorProfile: 11,
        seLinuxChangePolicy: keepZero(13),
      },
    },
  ),
  [CORE + 'Sysctl']: object(
    {
      name: str(),
      value: str(),
    },
    { required: ['name', 'value'], proto: { name: keepZero(1), value: keepZero(2) } },
  ),
  [CORE + 'Toleration']: object(
    {
      effect: str(),
      key: str(),
      operator: str(),
      tolerationSeconds: int64(),
      value: str(),
    },
    { proto: { key: 1, operator: 2, value: 3, effect: 4, tolerationSeconds: keepZero(5) } },
  ),
  [CORE + 'TopologySpreadConstraint']: object(
    {
      labelSelector: ref(META + 'LabelSelector'),
      matchLabelKeys: list(str(), { listType: 'atomic' }),
      maxSkew: int32(),
      minDomains: int32(),
      nodeAffinityPolicy: str(),
      nodeTaintsPolicy: str(),
      topologyKey: str(),
      whenUnsatisfiable: str(),
    },
    {
      required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
      proto: {
        maxSkew: keepZero(1), topologyKey: keepZero(2), whenUnsatisfiable: keepZero(3), labelSelector: 4,
        minDomains: keepZero(5), nodeAffinityPolicy: keepZero(6), nodeTaintsPolicy: keepZero(7), matchLabelKeys: 8,
      },
    },
  ),
  [CORE + 'Volume']: object(
    {
      awsElasticBlockStore: ref(CORE + 'AWSElasticBlockStoreVolumeSource'),
      azureDisk: ref(CORE + 'AzureDiskVolumeSource'),
      azureFile: ref(CORE + 'AzureFileVolumeSource'),
      cephfs: ref(CORE + 'CephFSVolumeSource'),
      cinder: ref(CORE + 'CinderVolumeSource'),
      configMap: ref(CORE + 'ConfigMapVolumeSource', 'A ConfigMap projected as files.'),
      csi: ref(CORE + 'CSIVolumeSource', 'Storage provided by a CSI driver.'),
      downwardAPI: ref(CORE + 'DownwardAPIVolumeSource', 'Pod fields projected as files.'),
      emptyDir: ref(CORE + 'EmptyDirVolumeSource', 'A temporary directory that lives as long as the pod.'),
      ephemeral: ref(CORE + 'EphemeralVolumeSource'),
      fc: ref(CORE + 'FCVolumeSource'),
      flexVolume: ref(CORE + 'FlexVolumeSource'),
      flocker: ref(CORE + 'FlockerVolumeSource'),
      gcePersistentDisk: ref(CORE + 'GCEPersistentDiskVolumeSource'),
      gitRepo: ref(CORE + 'GitRepoVolumeSource'),
      glusterfs: ref(CORE + 'GlusterfsVolumeSource'),
      hostPath: ref(CORE + 'HostPathVolumeSource', 'A file or directory of the node, mounted into the pod.'),
      image: ref(CORE + 'ImageVolumeSource'),
      iscsi: ref(CORE + 'ISCSIVolumeSource'),
      name: str('Volume name, a DNS label unique within the pod.'),
      nfs: ref(CORE + 'NFSVolumeSource', 'An NFS export.'),
      persistentVolumeClaim: ref(CORE + 'PersistentVolumeClaimVolumeSource', 'A PersistentVolumeClaim in the same namespace.'),
      photonPersistentDisk: ref(CORE + 'PhotonPersistentDiskVolumeSource'),
      portworxVolume: ref(CORE + 'PortworxVolumeSource'),
      projected: ref(CORE + 'ProjectedVolumeSource', 'Several sources (secrets, configMaps, downward API, tokens) in one directory.'),
      quobyte: ref(CORE + 'QuobyteVolumeSource'),
      rbd: ref(CORE + 'RBDVolumeSource'),
      scaleIO: ref(CORE + 'ScaleIOVolumeSource'),
      secret: ref(CORE + 'SecretVolumeSource', 'A Secret projected as files.'),
      storageos: ref(CORE + 'StorageOSVolumeSource'),
      vsphereVolume: ref(CORE + 'VsphereVirtualDiskVolumeSource'),
    },
    {
      required: ['name'],
      description: 'A named volume in a pod; exactly one source.',
      proto: {
        name: keepZero(1),
        ...inline(2, {
          hostPath: 1, emptyDir: 2, gcePersistentDisk: 3, awsElasticBlockStore: 4, gitRepo: 5, secret: 6, nfs: 7,
          iscsi: 8, glusterfs: 9, persistentVolumeClaim: 10, rbd: 11, flexVolume: 12, cinder: 13, cephfs: 14,
          flocker: 15, downwardAPI: 16, fc: 17, azureFile: 18, configMap: 19, vsphereVolume: 20, quobyte: 21,
          azureDisk: 22, photonPersistentDisk: 23, portworxVolume: 24, scaleIO: 25, projected: 26, storageos: 27,
          csi: 28, ephemeral: 29, image: 30,
        }),
      },
    },
  ),
  [CORE + 'AWSElasticBlockStoreVolumeSource']: object(
    {
      fsType: str(),
      partition: int32(),
      readOnly: bool(),
      volumeID: str(),
    },
    { required: ['volumeID'], proto: { volumeID: keepZero(1), fsType: 2, partition: 3, readOnly: 4 } },
  ),
  [CORE + 'AzureDiskVolumeSource']: object(
    {
      cachingMode: str(),
      diskName: str(),
      diskURI: str(),
      fsType: str(),
      kind: str(),
      readOnly: bool(),
    },
    {
      required: ['diskName', 'diskURI'],
      proto: {
        diskName: keepZero(1), diskURI: keepZero(2), cachingMode: keepZero(3), fsType: keepZero(4),
        readOnly: keepZero(5), kind: keepZero(6),
      },
    },
  ),
  [CORE + 'AzureFileVolumeSource']: object(
    {
      readOnly: bool(),
      secretName: str(),
      shareName: str(),
    },
    { required: ['secretName', 'shareName'], proto: { secretName: keepZero(1), shareName: keepZero(2), readOnly: 3 } },
  ),
  [CORE + 'CephFSVolumeSource']: object(
    {
      monitors: list(str(), { listType: 'atomic' }),
      path: str(),
      readOnly: bool(),
      secretFile: str(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      user: str(),
    },
    { required: ['monitors'], proto: { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: 5, readOnly: 6 } },
  ),
  [CORE + 'CinderVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      volumeID: str(),
    },
    { required: ['volumeID'], proto: { volumeID: keepZero(1), fsType: 2, readOnly: 3, secretRef: 4 } },
  ),
  [CORE + 'ConfigMapVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
    {
      description: 'A ConfigMap projected as files, one per key.',
      proto: {
        ...inline(1, { name: 1 }), items: 2, defaultMode: keepZero(3), optional: keepZero(4),
      },
    },
  ),
  [CORE + 'KeyToPath']: object(
    {
      key: str(),
      mode: int32(),
      path: str(),
    },
    { required: ['key', 'path'], proto: { key: keepZero(1), path: keepZero(2), mode: keepZero(3) } },
  ),
  [CORE + 'CSIVolumeSource']: object(
    {
      driver: str(),
      fsType: str(),
      nodePublishSecretRef: ref(CORE + 'LocalObjectReference'),
      readOnly: bool(),
      volumeAttributes: map(str()),
    },
    {
      required: ['driver'],
      proto: {
        driver: keepZero(1), readOnly: keepZero(2), fsType: keepZero(3), volumeAttributes: 4, nodePublishSecretRef: 5,
      },
    },
  ),
  [CORE + 'DownwardAPIVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'DownwardAPIVolumeFile'), { listType: 'atomic' }),
    },
    { proto: { items: 1, defaultMode: keepZero(2) } },
  ),
  [CORE + 'DownwardAPIVolumeFile']: object(
    {
      fieldRef: ref(CORE + 'ObjectFieldSelector'),
      mode: int32(),
      path: str(),
      resourceFieldRef: ref(CORE + 'ResourceFieldSelector'),
    },
    { required: ['path'], proto: { path: keepZero(1), fieldRef: 2, resourceFieldRef: 3, mode: keepZero(4) } },
  ),
  [CORE + 'EmptyDirVolumeSource']: object(
    {
      medium: str('"" (node storage) or Memory (tmpfs).'),
      sizeLimit: quantity('Maximum size of the directory.'),
    },
    { description: 'A temporary directory sharing the pod lifetime.', proto: { medium: 1, sizeLimit: 2 } },
  ),
  [CORE + 'EphemeralVolumeSource']: object(
    {
      volumeClaimTemplate: ref(CORE + 'PersistentVolumeClaimTemplate'),
    },
    { proto: { volumeClaimTemplate: 1 } },
  ),
  [CORE + 'PersistentVolumeClaimTemplate']: object(
    {
      metadata: ref(META + 'ObjectMeta'),
      spec: ref(CORE + 'PersistentVolumeClaimSpec'),
    },
    { required: ['spec'], proto: { metadata: 1, spec: 2 } },
  ),
  [CORE + 'PersistentVolumeClaimSpec']: object(
    {
      accessModes: list(str(), { listType: 'atomic' }),
      dataSource: ref(CORE + 'TypedLocalObjectReference'),
      dataSourceRef: ref(CORE + 'TypedObjectReference'),
      resources: ref(CORE + 'VolumeResourceRequirements'),
      selector: ref(META + 'LabelSelector'),
      storageClassName: str(),
      volumeAttributesClassName: str(),
      volumeMode: str(),
      volumeName: str(),
    },
    {
      proto: {
        accessModes: 1, resources: 2, volumeName: 3, selector: 4, storageClassName: keepZero(5),
        volumeMode: keepZero(6), dataSource: 7, dataSourceRef: 8, volumeAttributesClassName: keepZero(9),
      },
    },
  ),
  [CORE + 'TypedLocalObjectReference']: object(
    {
      apiGroup: str(),
      kind: str(),
      name: str(),
    },
    { required: ['kind', 'name'], proto: { apiGroup: keepZero(1), kind: keepZero(2), name: keepZero(3) } },
  ),
  [CORE + 'TypedObjectReference']: object(
    {
      apiGroup: str(),
      kind: str(),
      name: str(),
      namespace: str(),
    },
    { required: ['kind', 'name'], proto: { apiGroup: keepZero(1), kind: keepZero(2), name: keepZero(3), namespace: keepZero(4) } },
  ),
  [CORE + 'VolumeResourceRequirements']: object(
    {
      limits: map(quantity()),
      requests: map(quantity()),
    },
    { proto: { limits: 1, requests: 2 } },
  ),
  [CORE + 'FCVolumeSource']: object(
    {
      fsType: str(),
      lun: int32(),
      readOnly: bool(),
      targetWWNs: list(str(), { listType: 'atomic' }),
      wwids: list(str(), { listType: 'atomic' }),
    },
    { proto: { targetWWNs: 1, lun: keepZero(2), fsType: 3, readOnly: 4, wwids: 5 } },
  ),
  [CORE + 'FlexVolumeSource']: object(
    {
      driver: str(),
      fsType: str(),
      options: map(str()),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
    },
    { required: ['driver'], proto: { driver: keepZero(1), fsType: 2, secretRef: 3, readOnly: 4, options: 5 } },
  ),
  [CORE + 'FlockerVolumeSource']: object(
    {
      datasetName: str(),
      datasetUUID: str(),
    },
    { proto: { datasetName: 1, datasetUUID: 2 } },
  ),
  [CORE + 'GCEPersistentDiskVolumeSource']: object(
    {
      fsType: str(),
      partition: int32(),
      pdName: str(),
      readOnly: bool(),
    },
    { required: ['pdName'], proto: { pdName: keepZero(1), fsType: 2, partition: 3, readOnly: 4 } },
  ),
  [CORE + 'GitRepoVolumeSource']: object(
    {
      directory: str(),
      repository: str(),
      revision: str(),
    },
    { required: ['repository'], proto: { repository: keepZero(1), revision: 2, directory: 3 } },
  ),
  [CORE + 'GlusterfsVolumeSource']: object(
    {
      endpoints: str(),
      path: str(),
      readOnly: bool(),
    },
    { required: ['endpoints', 'path'], proto: { endpoints: keepZero(1), path: keepZero(2), readOnly: 3 } },
  ),
  [CORE + 'HostPathVolumeSource']: object(
    {
      path: str('Path on the host.'),
      type: str('Expected type: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.'),
    },
    { required: ['path'], description: 'A file or directory on the host.', proto: { path: keepZero(1), type: keepZero(2) } },
  ),
  [CORE + 'ImageVolumeSource']: object(
    {
      pullPolicy: str(),
      reference: str(),
    },
    { proto: { reference: 1, pullPolicy: 2 } },
  ),
  [CORE + 'ISCSIVolumeSource']: object(
    {
      chapAuthDiscovery: bool(),
      chapAuthSession: bool(),
      fsType: str(),
      initiatorName: str(),
      iqn: str(),
      iscsiInterface: str(),
      lun: int32(),
      portals: list(str(), { listType: 'atomic' }),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      targetPortal: str(),
    },
    {
      required: ['iqn', 'lun', 'targetPortal'],
      proto: {
        targetPortal: keepZero(1), iqn: keepZero(2), lun: keepZero(3), iscsiInterface: 4, fsType: 5, readOnly: 6,
        portals: 7, chapAuthDiscovery: 8, chapAuthSession: 11, secretRef: 10, initiatorName: keepZero(12),
      },
    },
  ),
  [CORE + 'NFSVolumeSource']: object(
    {
      path: str(),
      readOnly: bool(),
      server: str(),
    },
    { required: ['path', 'server'], proto: { server: keepZero(1), path: keepZero(2), readOnly: 3 } },
  ),
  [CORE + 'PersistentVolumeClaimVolumeSource']: object(
    {
      claimName: str(),
      readOnly: bool(),
    },
    { required: ['claimName'], proto: { claimName: keepZero(1), readOnly: 2 } },
  ),
  [CORE + 'PhotonPersistentDiskVolumeSource']: object(
    {
      fsType: str(),
      pdID: str(),
    },
    { required: ['pdID'], proto: { pdID: keepZero(1), fsType: 2 } },
  ),
  [CORE + 'PortworxVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      volumeID: str(),
    },
    { required: ['volumeID'], proto: { volumeID: keepZero(1), fsType: 2, readOnly: 3 } },
  ),
  [CORE + 'ProjectedVolumeSource']: object(
    {
      defaultMode: int32(),
      sources: list(ref(CORE + 'VolumeProjection'), { listType: 'atomic' }),
    },
    { proto: { sources: 1, defaultMode: keepZero(2) } },
  ),
  [CORE + 'VolumeProjection']: object(
    {
      clusterTrustBundle: ref(CORE + 'ClusterTrustBundleProjection'),
      configMap: ref(CORE + 'ConfigMapProjection'),
      downwardAPI: ref(CORE + 'DownwardAPIProjection'),
      podCertificate: ref(CORE + 'PodCertificateProjection'),
      secret: ref(CORE + 'SecretProjection'),
      serviceAccountToken: ref(CORE + 'ServiceAccountTokenProjection'),
    },
    { proto: { secret: 1, downwardAPI: 2, configMap: 3, serviceAccountToken: 4, clusterTrustBundle: 5, podCertificate: 6 } },
  ),
  [CORE + 'ClusterTrustBundleProjection']: object(
    {
      labelSelector: ref(META + 'LabelSelector'),
      name: str(),
      optional: bool(),
      path: str(),
      signerName: str(),
    },
    { required: ['path'], proto: { name: keepZero(1), signerName: keepZero(2), labelSelector: 3, path: keepZero(4), optional: keepZero(5) } },
  ),
  [CORE + 'ConfigMapProjection']: object(
    {
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
    { proto: { ...inline(1, { name: 1 }), items: 2, optional: keepZero(4) } },
  ),
  [CORE + 'DownwardAPIProjection']: object(
    {
      items: list(ref(CORE + 'DownwardAPIVolumeFile'), { listType: 'atomic' }),
    },
    { proto: { items: 1 } },
  ),
  [CORE + 'PodCertificateProjection']: object(
    {
      certificateChainPath: str(),
      credentialBundlePath: str(),
      keyPath: str(),
      keyType: str(),
      maxExpirationSeconds: int32(),
      signerName: str(),
    },
    {
      required: ['keyType', 'signerName'],
      proto: {
        signerName: 1, keyType: 2, maxExpirationSeconds: keepZero(3), credentialBundlePath: 4, keyPath: 5,
        certificateChainPath: 6,
      },
    },
  ),
  [CORE + 'SecretProjection']: object(
    {
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
    { proto: { ...inline(1, { name: 1 }), items: 2, optional: keepZero(4) } },
  ),
  [CORE + 'ServiceAccountTokenProjection']: object(
    {
      audience: str(),
      expirationSeconds: int64(),
      path: str(),
    },
    { required: ['path'], proto: { audience: 1, expirationSeconds: keepZero(2), path: keepZero(3) } },
  ),
  [CORE + 'QuobyteVolumeSource']: object(
    {
      group: str(),
      readOnly: bool(),
      registry: str(),
      tenant: str(),
      user: str(),
      volume: str(),
    },
    { required: ['registry', 'volume'], proto: { registry: keepZero(1), volume: keepZero(2), readOnly: 3, user: 4, group: 5, tenant: 6 } },
  ),
  [CORE + 'RBDVolumeSource']: object(
    {
      fsType: str(),
      image: str(),
      keyring: str(),
      monitors: list(str(), { listType: 'atomic' }),
      pool: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      user: str(),
    },
    {
      required: ['image', 'monitors'],
      proto: {
        monitors: 1, image: keepZero(2), fsType: 3, pool: 4, user: 5, keyring: 6, secretRef: 7, readOnly: 8,
      },
    },
  ),
  [CORE + 'ScaleIOVolumeSource']: object(
    {
      fsType: str(),
      gateway: str(),
      protectionDomain: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      sslEnabled: bool(),
      storageMode: str(),
      storagePool: str(),
      system: str(),
      volumeName: str(),
    },
    {
      required: ['gateway', 'secretRef', 'system'],
      proto: {
        gateway: keepZero(1), system: keepZero(2), secretRef: 3, sslEnabled: 4, protectionDomain: 5, storagePool: 6,
        storageMode: 7, volumeName: 8, fsType: 9, readOnly: 10,
      },
    },
  ),
  [CORE + 'SecretVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      optional: bool(),
      secretName: str('Name of the Secret in the pod namespace.'),
    },
    { description: 'A Secret projected as files, one per key.', proto: { secretName: 1, items: 2, defaultMode: keepZero(3), optional: keepZero(4) } },
  ),
  [CORE + 'StorageOSVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      volumeName: str(),
      volumeNamespace: str(),
    },
    { proto: { volumeName: 1, volumeNamespace: 2, fsType: 3, readOnly: 4, secretRef: 5 } },
  ),
  [CORE + 'VsphereVirtualDiskVolumeSource']: object(
    {
      fsType: str(),
      storagePolicyID: str(),
      storagePolicyName: str(),
      volumePath: str(),
    },
    { required: ['volumePath'], proto: { volumePath: keepZero(1), fsType: 2, storagePolicyName: 3, storagePolicyID: 4 } },
  ),
  [CORE + 'PodStatus']: object(
    {
      conditions: list(ref(CORE + 'PodCondition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }, 'Current service state: PodScheduled, Initialized, ContainersReady, Ready...'),
      containerStatuses: list(ref(CORE + 'ContainerStatus'), { listType: 'atomic' }, 'Status of each container.'),
      ephemeralContainerStatuses: list(ref(CORE + 'ContainerStatus'), { listType: 'atomic' }),
      extendedResourceClaimStatus: ref(CORE + 'PodExtendedResourceClaimStatus'),
      hostIP: str('IP address of the node the pod runs on.'),
      hostIPs: list(ref(CORE + 'HostIP'), { mergeKey: 'ip', patchStrategy: 'merge', listType: 'atomic' }),
      initContainerStatuses: list(ref(CORE + 'ContainerStatus'), { listType: 'atomic' }, 'Status of each init container.'),
      message: str('Human-readable detail about the pod state.'),
      nominatedNodeName: str(),
      observedGeneration: int64(),
      phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
      podIP: str('IP address allocated to the pod.'),
      podIPs: list(ref(CORE + 'PodIP'), { mergeKey: 'ip', patchStrategy: 'merge', listType: 'map', listMapKeys: ['ip'] }),
      qosClass: str(),
      reason: str('Brief CamelCase reason for the pod state, e.g. Evicted.'),
      resize: str(),
      resourceClaimStatuses: list(ref(CORE + 'PodResourceClaimStatus'), { mergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
      startTime: time('When the node agent acknowledged the pod.'),
    },
    {
      description: 'Observed state of a pod.',
      proto: {
        observedGeneration: 17, phase: 1, conditions: 2, message: 3, reason: 4, nominatedNodeName: 11, hostIP: 5,
        hostIPs: 16, podIP: 6, podIPs: 12, startTime: 7, initContainerStatuses: 10, containerStatuses: 8, qosClass: 9,
        ephemeralContainerStatuses: 13, resize: 14, resourceClaimStatuses: 15, extendedResourceClaimStatus: 18,
      },
    },
  ),
  [CORE + 'PodCondition']: object(
    {
      lastProbeTime: time(),
      lastTransitionTime: time(),
      message: str(),
      observedGeneration: int64(),
      reason: str(),
      status: str(),
      type: str(),
    },
    {
      required: ['status', 'type'],
      proto: {
        type: keepZero(1), observedGeneration: 7, status: keepZero(2), lastProbeTime: 3, lastTransitionTime: 4,
        reason: 5, message: 6,
      },
    },
  ),
  [CORE + 'ContainerStatus']: object(
    {
      allocatedResources: map(quantity()),
      allocatedResourcesStatus: list(ref(CORE + 'ResourceStatus'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
      containerID: str(),
      image: str(),
      imageID: str(),
      lastState: ref(CORE + 'ContainerState'),
      name: str(),
      ready: bool(),
      resources: ref(CORE + 'ResourceRequirements'),
      restartCount: int32(),
      started: bool(),
      state: ref(CORE + 'ContainerState'),
      stopSignal: str(),
      user: ref(CORE + 'ContainerUser'),
      volumeMounts: list(ref(CORE + 'VolumeMountStatus'), { mergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['mountPath'] }),
    },
    {
      required: ['image', 'imageID', 'name', 'ready', 'restartCount'],
      description: 'Observed state of one container.',
      proto: {
        name: keepZero(1), state: 2, lastState: 3, ready: keepZero(4), restartCount: keepZero(5), image: keepZero(6),
        imageID: keepZero(7), containerID: 8, started: keepZero(9), allocatedResources: 10, resources: 11,
        volumeMounts: 12, user: 13, allocatedResourcesStatus: 14, stopSignal: keepZero(15),
      },
    },
  ),
  [CORE + 'ResourceStatus']: object(
    {
      name: str(),
      resources: list(ref(CORE + 'ResourceHealth'), { listType: 'map', listMapKeys: ['resourceID'] }),
    },
    { required: ['name'], proto: { name: keepZero(1), resources: 2 } },
  ),
  [CORE + 'ResourceHealth']: object(
    {
      health: str(),
      resourceID: str(),
    },
    { required: ['resourceID'], proto: { resourceID: keepZero(1), health: 2 } },
  ),
  [CORE + 'ContainerState']: object(
    {
      running: ref(CORE + 'ContainerStateRunning'),
      terminated: ref(CORE + 'ContainerStateTerminated'),
      waiting: ref(CORE + 'ContainerStateWaiting'),
    },
    { description: 'Waiting, running or terminated; at most one is set.', proto: { waiting: 1, running: 2, terminated: 3 } },
  ),
  [CORE + 'ContainerStateRunning']: object(
    {
      startedAt: time(),
    },
    { proto: { startedAt: 1 } },
  ),
  [CORE + 'ContainerStateTerminated']: object(
    {
      containerID: str(),
      exitCode: int32(),
      finishedAt: time(),
      message: str(),
      reason: str(),
      signal: int32(),
      startedAt: time(),
    },
    { required: ['exitCode'], proto: { exitCode: keepZero(1), signal: 2, reason: 3, message: 4, startedAt: 5, finishedAt: 6, containerID: 7 } },
  ),
  [CORE + 'ContainerStateWaiting']: object(
    {
      message: str(),
      reason: str(),
    },
    { proto: { reason: 1, message: 2 } },
  ),
  [CORE + 'ContainerUser']: object(
    {
      linux: ref(CORE + 'LinuxContainerUser'),
    },
    { proto: { linux: 1 } },
  ),
  [CORE + 'LinuxContainerUser']: object(
    {
      gid: int64(),
      supplementalGroups: list(int64(), { listType: 'atomic' }),
      uid: int64(),
    },
    { required: ['gid', 'uid'], proto: { uid: keepZero(1), gid: keepZero(2), supplementalGroups: 3 } },
  ),
  [CORE + 'VolumeMountStatus']: object(
    {
      mountPath: str(),
      name: str(),
      readOnly: bool(),
      recursiveReadOnly: str(),
    },
    { required: ['mountPath', 'name'], proto: { name: keepZero(1), mountPath: keepZero(2), readOnly: 3, recursiveReadOnly: keepZero(4) } },
  ),
  [CORE + 'PodExtendedResourceClaimStatus']: object(
    {
      requestMappings: list(ref(CORE + 'ContainerExtendedResourceRequest'), { listType: 'atomic' }),
      resourceClaimName: str(),
    },
    { required: ['requestMappings', 'resourceClaimName'], proto: { requestMappings: 1, resourceClaimName: keepZero(2) } },
  ),
  [CORE + 'ContainerExtendedResourceRequest']: object(
    {
      containerName: str(),
      requestName: str(),
      resourceName: str(),
    },
    {
      required: ['containerName', 'requestName', 'resourceName'],
      proto: {
        containerName: keepZero(1), resourceName: keepZero(2), requestName: keepZero(3),
      },
    },
  ),
  [CORE + 'HostIP']: object(
    {
      ip: str(),
    },
    { required: ['ip'], proto: { ip: keepZero(1) } },
  ),
  [CORE + 'PodIP']: object(
    {
      ip: str(),
    },
    { required: ['ip'], proto: { ip: keepZero(1) } },
  ),
  [CORE + 'PodResourceClaimStatus']: object(
    {
      name: str(),
      resourceClaimName: str(),
    },
    { required: ['name'], proto: { name: keepZero(1), resourceClaimName: keepZero(2) } },
  ),
  [CORE + 'PodTemplateSpec']: object(
    {
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'PodSpec', 'Specification of the desired behaviour of the pod.'),
    },
    { description: 'The pod a controller creates: metadata and spec.', proto: { metadata: 1, spec: 2 } },
  ),
  [CORE + 'Node']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'NodeSpec', 'Desired behaviour of the node.'),
      status: ref(CORE + 'NodeStatus', 'Most recently observed status of the node.'),
    },
    { description: 'A worker machine that runs pods.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [CORE + 'NodeSpec']: object(
    {
      configSource: ref(CORE + 'NodeConfigSource'),
      externalID: str(),
      podCIDR: str(),
      podCIDRs: list(str(), { patchStrategy: 'merge', listType: 'set' }),
      providerID: str(),
      taints: list(ref(CORE + 'Taint'), { listType: 'atomic' }),
      unschedulable: bool(),
    },
    { proto: { podCIDR: 1, podCIDRs: 7, providerID: 3, unschedulable: 4, taints: 5, configSource: 6, externalID: 2 } },
  ),
  [CORE + 'NodeConfigSource']: object(
    {
      configMap: ref(CORE + 'ConfigMapNodeConfigSource'),
    },
    { proto: { configMap: 2 } },
  ),
  [CORE + 'ConfigMapNodeConfigSource']: object(
    {
      kubeletConfigKey: str(),
      name: str(),
      namespace: str(),
      resourceVersion: str(),
      uid: str(),
    },
    {
      required: ['kubeletConfigKey', 'name', 'namespace'],
      proto: {
        namespace: keepZero(1), name: keepZero(2), uid: 3, resourceVersion: 4, kubeletConfigKey: keepZero(5),
      },
    },
  ),
  [CORE + 'Taint']: object(
    {
      effect: str(),
      key: str(),
      timeAdded: time(),
      value: str(),
    },
    { required: ['effect', 'key'], proto: { key: keepZero(1), value: 2, effect: keepZero(3), timeAdded: 4 } },
  ),
  [CORE + 'NodeStatus']: object(
    {
      addresses: list(ref(CORE + 'NodeAddress'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }),
      allocatable: map(quantity()),
      capacity: map(quantity()),
      conditions: list(ref(CORE + 'NodeCondition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }),
      config: ref(CORE + 'NodeConfigStatus'),
      daemonEndpoints: ref(CORE + 'NodeDaemonEndpoints'),
      features: ref(CORE + 'NodeFeatures'),
      images: list(ref(CORE + 'ContainerImage'), { listType: 'atomic' }),
      nodeInfo: ref(CORE + 'NodeSystemInfo'),
      phase: str(),
      runtimeHandlers: list(ref(CORE + 'NodeRuntimeHandler'), { listType: 'atomic' }),
      volumesAttached: list(ref(CORE + 'AttachedVolume'), { listType: 'atomic' }),
      volumesInUse: list(str(), { listType: 'atomic' }),
    },
    {
      proto: {
        capacity: 1, allocatable: 2, phase: 3, conditions: 4, addresses: 5, daemonEndpoints: 6, nodeInfo: 7,
        images: 8, volumesInUse: 9, volumesAttached: 10, config: 11, runtimeHandlers: 12, features: 13,
      },
    },
  ),
  [CORE + 'NodeAddress']: object(
    {
      address: str(),
      type: str(),
    },
    { required: ['address', 'type'], proto: { type: keepZero(1), address: keepZero(2) } },
  ),
  [CORE + 'NodeCondition']: object(
    {
      lastHeartbeatTime: time(),
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    {
      required: ['status', 'type'],
      proto: {
        type: keepZero(1), status: keepZero(2), lastHeartbeatTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
      },
    },
  ),
  [CORE + 'NodeConfigStatus']: object(
    {
      active: ref(CORE + 'NodeConfigSource'),
      assigned: ref(CORE + 'NodeConfigSource'),
      error: str(),
      lastKnownGood: ref(CORE + 'NodeConfigSource'),
    },
    { proto: { assigned: 1, active: 2, lastKnownGood: 3, error: 4 } },
  ),
  [CORE + 'NodeDaemonEndpoints']: object(
    {
      kubeletEndpoint: ref(CORE + 'DaemonEndpoint'),
    },
    { proto: { kubeletEndpoint: 1 } },
  ),
  [CORE + 'DaemonEndpoint']: object(
    {
      Port: int32(),
    },
    { required: ['Port'], proto: { Port: keepZero(1) } },
  ),
  [CORE + 'NodeFeatures']: object(
    {
      supplementalGroupsPolicy: bool(),
    },
    { proto: { supplementalGroupsPolicy: keepZero(1) } },
  ),
  [CORE + 'ContainerImage']: object(
    {
      names: list(str(), { listType: 'atomic' }),
      sizeBytes: int64(),
    },
    { proto: { names: 1, sizeBytes: 2 } },
  ),
  [CORE + 'NodeSystemInfo']: object(
    {
      architecture: str(),
      bootID: str(),
      containerRuntimeVersion: str(),
      kernelVersion: str(),
      kubeProxyVersion: str(),
      kubeletVersion: str(),
      machineID: str(),
      operatingSystem: str(),
      osImage: str(),
      swap: ref(CORE + 'NodeSwapStatus'),
      systemUUID: str(),
    },
    {
      required: ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion', 'machineID', 'operatingSystem', 'osImage', 'systemUUID'],
      proto: {
        machineID: keepZero(1), systemUUID: keepZero(2), bootID: keepZero(3), kernelVersion: keepZero(4),
        osImage: keepZero(5), containerRuntimeVersion: keepZero(6), kubeletVersion: keepZero(7),
        kubeProxyVersion: keepZero(8), operatingSystem: keepZero(9), architecture: keepZero(10), swap: 11,
      },
    },
  ),
  [CORE + 'NodeSwapStatus']: object(
    {
      capacity: int64(),
    },
    { proto: { capacity: keepZero(1) } },
  ),
  [CORE + 'NodeRuntimeHandler']: object(
    {
      features: ref(CORE + 'NodeRuntimeHandlerFeatures'),
      name: str(),
    },
    { proto: { name: keepZero(1), features: 2 } },
  ),
  [CORE + 'NodeRuntimeHandlerFeatures']: object(
    {
      recursiveReadOnlyMounts: bool(),
      userNamespaces: bool(),
    },
    { proto: { recursiveReadOnlyMounts: keepZero(1), userNamespaces: keepZero(2) } },
  ),
  [CORE + 'AttachedVolume']: object(
    {
      devicePath: str(),
      name: str(),
    },
    { required: ['devicePath', 'name'], proto: { name: keepZero(1), devicePath: keepZero(2) } },
  ),
  [CORE + 'Namespace']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'NamespaceSpec', 'Desired behaviour of the namespace.'),
      status: ref(CORE + 'NamespaceStatus', 'Observed status of the namespace.'),
    },
    { description: 'A scope for names of namespaced objects.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [CORE + 'NamespaceSpec']: object(
    {
      finalizers: list(str(), { listType: 'atomic' }),
    },
    { proto: { finalizers: 1 } },
  ),
  [CORE + 'NamespaceStatus']: object(
    {
      conditions: list(ref(CORE + 'NamespaceCondition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }),
      phase: str(),
    },
    { proto: { phase: 1, conditions: 2 } },
  ),
  [CORE + 'NamespaceCondition']: object(
    {
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    { required: ['status', 'type'], proto: { type: keepZero(1), status: keepZero(2), lastTransitionTime: 4, reason: 5, message: 6 } },
  ),
  [CORE + 'ConfigMap']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      binaryData: map(bytes(), 'Base64-encoded binary values by key.'),
      data: map(str(), 'UTF-8 values by key.'),
      immutable: bool('When true, data cannot be changed.'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
    },
    { description: 'Non-confidential key/value configuration data.', proto: { metadata: 1, data: 2, binaryData: 3, immutable: keepZero(4) } },
  ),
  [CORE + 'Secret']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      data: map(bytes(), 'Base64-encoded values by key.'),
      immutable: bool('When true, data cannot be changed.'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      stringData: map(str(), 'Write-only plain-text values merged into data.'),
      type: str('Opaque (default), kubernetes.io/dockerconfigjson, kubernetes.io/tls...'),
    },
    {
      description: 'Confidential data such as passwords, tokens and registry credentials.',
      proto: {
        metadata: 1, data: 2, type: 3, stringData: 4, immutable: keepZero(5),
      },
    },
  ),
  [CORE + 'Event']: object(
    {
      action: str(),
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      count: int32('Number of times this event occurred.'),
      eventTime: time(),
      firstTimestamp: time(),
      involvedObject: ref(CORE + 'ObjectReference', 'The object this event is about.'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      lastTimestamp: time(),
      message: str('Human-readable description.'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      reason: str('Short machine-readable reason, e.g. SuccessfulCreate.'),
      related: ref(CORE + 'ObjectReference'),
      reportingComponent: str(),
      reportingInstance: str(),
      series: ref(CORE + 'EventSeries'),
      source: ref(CORE + 'EventSource'),
      type: str('Normal or Warning.'),
    },
    {
      required: ['involvedObject', 'metadata'],
      description: 'A report of an event somewhere in the cluster.',
      proto: {
        metadata: 1, involvedObject: 2, reason: 3, message: 4, source: 5, firstTimestamp: 6, lastTimestamp: 7,
        count: 8, type: 9, eventTime: asMessage(10, 'MicroTime'), series: 11, action: 12, related: 13,
        reportingComponent: keepZero(14), reportingInstance: keepZero(15),
      },
    },
  ),
  [CORE + 'ObjectReference']: object(
    {
      apiVersion: str(),
      fieldPath: str(),
      kind: str(),
      name: str(),
      namespace: str(),
      resourceVersion: str(),
      uid: str(),
    },
    { proto: { kind: 1, namespace: 2, name: 3, uid: 4, apiVersion: 5, resourceVersion: 6, fieldPath: 7 } },
  ),
  [CORE + 'EventSeries']: object(
    {
      count: int32(),
      lastObservedTime: time(),
    },
    { proto: { count: 1, lastObservedTime: asMessage(2, 'MicroTime') } },
  ),
  [CORE + 'EventSource']: object(
    {
      component: str(),
      host: str(),
    },
    { proto: { component: 1, host: 2 } },
  ),
  [CORE + 'PersistentVolumeClaim']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'PersistentVolumeClaimSpec', 'The storage requested.'),
      status: ref(CORE + 'PersistentVolumeClaimStatus', 'The current state of the claim.'),
    },
    { description: 'A user\'s request for storage.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [CORE + 'PersistentVolumeClaimStatus']: object(
    {
      accessModes: list(str(), { listType: 'atomic' }),
      allocatedResourceStatuses: map(str()),
      allocatedResources: map(quantity()),
      capacity: map(quantity()),
      conditions: list(ref(CORE + 'PersistentVolumeClaimCondition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }),
      currentVolumeAttributesClassName: str(),
      modifyVolumeStatus: ref(CORE + 'ModifyVolumeStatus'),
      phase: str(),
    },
    {
      proto: {
        phase: 1, accessModes: 2, capacity: 3, conditions: 4, allocatedResources: 5, allocatedResourceStatuses: 7,
        currentVolumeAttributesClassName: keepZero(8), modifyVolumeStatus: 9,
      },
    },
  ),
  [CORE + 'PersistentVolumeClaimCondition']: object(
    {
      lastProbeTime: time(),
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    {
      required: ['status', 'type'],
      proto: {
        type: keepZero(1), status: keepZero(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
      },
    },
  ),
  [CORE + 'ModifyVolumeStatus']: object(
    {
      status: str(),
      targetVolumeAttributesClassName: str(),
    },
    { required: ['status'], proto: { targetVolumeAttributesClassName: 1, status: keepZero(2) } },
  ),
};
