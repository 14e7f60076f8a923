// k8s.io/api core/v1 definitions: Pod (complete PodSpec and PodStatus), Node, Namespace, ConfigMap, Secret,
// Event, PersistentVolumeClaim. Field lists follow upstream (Kubernetes 1.34), strategic-merge tags
// (patchMergeKey / patchStrategy / listType) follow upstream's types.go; descriptions are ours.
import { CORE, META, bool, bytes, int32, int64, intOrString, list, map, object, quantity, ref, str, time } from './builders.js';
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
    { description: 'A Pod is a group of containers scheduled onto one node.' },
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
    { required: ['containers'], description: 'Description of a pod: its containers, volumes and scheduling.' },
  ),
  [CORE + 'Affinity']: object(
    {
      nodeAffinity: ref(CORE + 'NodeAffinity'),
      podAffinity: ref(CORE + 'PodAffinity'),
      podAntiAffinity: ref(CORE + 'PodAntiAffinity'),
    },
  ),
  [CORE + 'NodeAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PreferredSchedulingTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: ref(CORE + 'NodeSelector'),
    },
  ),
  [CORE + 'PreferredSchedulingTerm']: object(
    {
      preference: ref(CORE + 'NodeSelectorTerm'),
      weight: int32(),
    },
    { required: ['preference', 'weight'] },
  ),
  [CORE + 'NodeSelectorTerm']: object(
    {
      matchExpressions: list(ref(CORE + 'NodeSelectorRequirement'), { listType: 'atomic' }),
      matchFields: list(ref(CORE + 'NodeSelectorRequirement'), { listType: 'atomic' }),
    },
  ),
  [CORE + 'NodeSelectorRequirement']: object(
    {
      key: str(),
      operator: str(),
      values: list(str(), { listType: 'atomic' }),
    },
    { required: ['key', 'operator'] },
  ),
  [CORE + 'NodeSelector']: object(
    {
      nodeSelectorTerms: list(ref(CORE + 'NodeSelectorTerm'), { listType: 'atomic' }),
    },
    { required: ['nodeSelectorTerms'] },
  ),
  [CORE + 'PodAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'WeightedPodAffinityTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PodAffinityTerm'), { listType: 'atomic' }),
    },
  ),
  [CORE + 'WeightedPodAffinityTerm']: object(
    {
      podAffinityTerm: ref(CORE + 'PodAffinityTerm'),
      weight: int32(),
    },
    { required: ['podAffinityTerm', 'weight'] },
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
    { required: ['topologyKey'] },
  ),
  [CORE + 'PodAntiAffinity']: object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'WeightedPodAffinityTerm'), { listType: 'atomic' }),
      requiredDuringSchedulingIgnoredDuringExecution: list(ref(CORE + 'PodAffinityTerm'), { listType: 'atomic' }),
    },
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
    { required: ['name'], description: 'A single application container that runs within a pod.' },
  ),
  [CORE + 'EnvVar']: object(
    {
      name: str('Name of the variable.'),
      value: str('Literal value; $(VAR) references to earlier variables are expanded.'),
      valueFrom: ref(CORE + 'EnvVarSource', 'Source of the value (ConfigMap or Secret key, pod field, resource); not with value.'),
    },
    { required: ['name'], description: 'An environment variable: a literal value or a reference.' },
  ),
  [CORE + 'EnvVarSource']: object(
    {
      configMapKeyRef: ref(CORE + 'ConfigMapKeySelector'),
      fieldRef: ref(CORE + 'ObjectFieldSelector'),
      fileKeyRef: ref(CORE + 'FileKeySelector'),
      resourceFieldRef: ref(CORE + 'ResourceFieldSelector'),
      secretKeyRef: ref(CORE + 'SecretKeySelector'),
    },
  ),
  [CORE + 'ConfigMapKeySelector']: object(
    {
      key: str(),
      name: str(),
      optional: bool(),
    },
    { required: ['key'] },
  ),
  [CORE + 'ObjectFieldSelector']: object(
    {
      apiVersion: str(),
      fieldPath: str(),
    },
    { required: ['fieldPath'] },
  ),
  [CORE + 'FileKeySelector']: object(
    {
      key: str(),
      optional: bool(),
      path: str(),
      volumeName: str(),
    },
    { required: ['key', 'path', 'volumeName'] },
  ),
  [CORE + 'ResourceFieldSelector']: object(
    {
      containerName: str(),
      divisor: quantity(),
      resource: str(),
    },
    { required: ['resource'] },
  ),
  [CORE + 'SecretKeySelector']: object(
    {
      key: str(),
      name: str(),
      optional: bool(),
    },
    { required: ['key'] },
  ),
  [CORE + 'EnvFromSource']: object(
    {
      configMapRef: ref(CORE + 'ConfigMapEnvSource'),
      prefix: str(),
      secretRef: ref(CORE + 'SecretEnvSource'),
    },
  ),
  [CORE + 'ConfigMapEnvSource']: object(
    {
      name: str(),
      optional: bool(),
    },
  ),
  [CORE + 'SecretEnvSource']: object(
    {
      name: str(),
      optional: bool(),
    },
  ),
  [CORE + 'Lifecycle']: object(
    {
      postStart: ref(CORE + 'LifecycleHandler', 'Run right after the container is created; failure restarts it.'),
      preStop: ref(CORE + 'LifecycleHandler', 'Run before the container is terminated.'),
      stopSignal: str(),
    },
    { description: 'Actions run in response to container lifecycle events.' },
  ),
  [CORE + 'LifecycleHandler']: object(
    {
      exec: ref(CORE + 'ExecAction'),
      httpGet: ref(CORE + 'HTTPGetAction'),
      sleep: ref(CORE + 'SleepAction'),
      tcpSocket: ref(CORE + 'TCPSocketAction'),
    },
  ),
  [CORE + 'ExecAction']: object(
    {
      command: list(str(), { listType: 'atomic' }, 'Command line, not run in a shell; exit status 0 is success.'),
    },
    { description: 'A command run in the container.' },
  ),
  [CORE + 'HTTPGetAction']: object(
    {
      host: str(),
      httpHeaders: list(ref(CORE + 'HTTPHeader'), { listType: 'atomic' }, 'Extra request headers; repeated headers are allowed.'),
      path: str('Path to request.'),
      port: intOrString('Port number (1-65535) or named port of the container.'),
      scheme: str('HTTP (default) or HTTPS.'),
    },
    { required: ['port'], description: 'An HTTP GET request.' },
  ),
  [CORE + 'HTTPHeader']: object(
    {
      name: str(),
      value: str(),
    },
    { required: ['name', 'value'] },
  ),
  [CORE + 'SleepAction']: object(
    {
      seconds: int64(),
    },
    { required: ['seconds'] },
  ),
  [CORE + 'TCPSocketAction']: object(
    {
      host: str(),
      port: intOrString('Port number (1-65535) or named port of the container.'),
    },
    { required: ['port'], description: 'A TCP connection attempt.' },
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
    { description: 'A health check and how often to run it.' },
  ),
  [CORE + 'GRPCAction']: object(
    {
      port: int32(),
      service: str(),
    },
    { required: ['port'] },
  ),
  [CORE + 'ContainerPort']: object(
    {
      containerPort: int32(),
      hostIP: str(),
      hostPort: int32(),
      name: str(),
      protocol: str(),
    },
    { required: ['containerPort'] },
  ),
  [CORE + 'ContainerResizePolicy']: object(
    {
      resourceName: str(),
      restartPolicy: str(),
    },
    { required: ['resourceName', 'restartPolicy'] },
  ),
  [CORE + 'ResourceRequirements']: object(
    {
      claims: list(ref(CORE + 'ResourceClaim'), { listType: 'map', listMapKeys: ['name'] }),
      limits: map(quantity(), 'Maximum resources allowed, e.g. cpu: 500m, memory: 64Mi.'),
      requests: map(quantity(), 'Minimum resources reserved for scheduling; default to limits when absent.'),
    },
    { description: 'Compute resource requests and limits.' },
  ),
  [CORE + 'ResourceClaim']: object(
    {
      name: str(),
      request: str(),
    },
    { required: ['name'] },
  ),
  [CORE + 'ContainerRestartRule']: object(
    {
      action: str(),
      exitCodes: ref(CORE + 'ContainerRestartRuleOnExitCodes'),
    },
    { required: ['action'] },
  ),
  [CORE + 'ContainerRestartRuleOnExitCodes']: object(
    {
      operator: str(),
      values: list(int32(), { listType: 'set' }),
    },
    { required: ['operator'] },
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
  ),
  [CORE + 'AppArmorProfile']: object(
    {
      localhostProfile: str(),
      type: str(),
    },
    { required: ['type'] },
  ),
  [CORE + 'Capabilities']: object(
    {
      add: list(str(), { listType: 'atomic' }),
      drop: list(str(), { listType: 'atomic' }),
    },
  ),
  [CORE + 'SELinuxOptions']: object(
    {
      level: str(),
      role: str(),
      type: str(),
      user: str(),
    },
  ),
  [CORE + 'SeccompProfile']: object(
    {
      localhostProfile: str(),
      type: str(),
    },
    { required: ['type'] },
  ),
  [CORE + 'WindowsSecurityContextOptions']: object(
    {
      gmsaCredentialSpec: str(),
      gmsaCredentialSpecName: str(),
      hostProcess: bool(),
      runAsUserName: str(),
    },
  ),
  [CORE + 'VolumeDevice']: object(
    {
      devicePath: str(),
      name: str(),
    },
    { required: ['devicePath', 'name'] },
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
    { required: ['mountPath', 'name'], description: 'Mounting of a volume within a container.' },
  ),
  [CORE + 'PodDNSConfig']: object(
    {
      nameservers: list(str(), { listType: 'atomic' }),
      options: list(ref(CORE + 'PodDNSConfigOption'), { listType: 'atomic' }),
      searches: list(str(), { listType: 'atomic' }),
    },
  ),
  [CORE + 'PodDNSConfigOption']: object(
    {
      name: str(),
      value: str(),
    },
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
    { required: ['name'] },
  ),
  [CORE + 'HostAlias']: object(
    {
      hostnames: list(str(), { listType: 'atomic' }),
      ip: str(),
    },
    { required: ['ip'] },
  ),
  [CORE + 'LocalObjectReference']: object(
    {
      name: str(),
    },
  ),
  [CORE + 'PodOS']: object(
    {
      name: str(),
    },
    { required: ['name'] },
  ),
  [CORE + 'PodReadinessGate']: object(
    {
      conditionType: str(),
    },
    { required: ['conditionType'] },
  ),
  [CORE + 'PodResourceClaim']: object(
    {
      name: str(),
      resourceClaimName: str(),
      resourceClaimTemplateName: str(),
    },
    { required: ['name'] },
  ),
  [CORE + 'PodSchedulingGate']: object(
    {
      name: str(),
    },
    { required: ['name'] },
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
  ),
  [CORE + 'Sysctl']: object(
    {
      name: str(),
      value: str(),
    },
    { required: ['name', 'value'] },
  ),
  [CORE + 'Toleration']: object(
    {
      effect: str(),
      key: str(),
      operator: str(),
      tolerationSeconds: int64(),
      value: str(),
    },
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
    { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
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
    { required: ['name'], description: 'A named volume in a pod; exactly one source.' },
  ),
  [CORE + 'AWSElasticBlockStoreVolumeSource']: object(
    {
      fsType: str(),
      partition: int32(),
      readOnly: bool(),
      volumeID: str(),
    },
    { required: ['volumeID'] },
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
    { required: ['diskName', 'diskURI'] },
  ),
  [CORE + 'AzureFileVolumeSource']: object(
    {
      readOnly: bool(),
      secretName: str(),
      shareName: str(),
    },
    { required: ['secretName', 'shareName'] },
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
    { required: ['monitors'] },
  ),
  [CORE + 'CinderVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      volumeID: str(),
    },
    { required: ['volumeID'] },
  ),
  [CORE + 'ConfigMapVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
    { description: 'A ConfigMap projected as files, one per key.' },
  ),
  [CORE + 'KeyToPath']: object(
    {
      key: str(),
      mode: int32(),
      path: str(),
    },
    { required: ['key', 'path'] },
  ),
  [CORE + 'CSIVolumeSource']: object(
    {
      driver: str(),
      fsType: str(),
      nodePublishSecretRef: ref(CORE + 'LocalObjectReference'),
      readOnly: bool(),
      volumeAttributes: map(str()),
    },
    { required: ['driver'] },
  ),
  [CORE + 'DownwardAPIVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'DownwardAPIVolumeFile'), { listType: 'atomic' }),
    },
  ),
  [CORE + 'DownwardAPIVolumeFile']: object(
    {
      fieldRef: ref(CORE + 'ObjectFieldSelector'),
      mode: int32(),
      path: str(),
      resourceFieldRef: ref(CORE + 'ResourceFieldSelector'),
    },
    { required: ['path'] },
  ),
  [CORE + 'EmptyDirVolumeSource']: object(
    {
      medium: str('"" (node storage) or Memory (tmpfs).'),
      sizeLimit: quantity('Maximum size of the directory.'),
    },
    { description: 'A temporary directory sharing the pod lifetime.' },
  ),
  [CORE + 'EphemeralVolumeSource']: object(
    {
      volumeClaimTemplate: ref(CORE + 'PersistentVolumeClaimTemplate'),
    },
  ),
  [CORE + 'PersistentVolumeClaimTemplate']: object(
    {
      metadata: ref(META + 'ObjectMeta'),
      spec: ref(CORE + 'PersistentVolumeClaimSpec'),
    },
    { required: ['spec'] },
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
  ),
  [CORE + 'TypedLocalObjectReference']: object(
    {
      apiGroup: str(),
      kind: str(),
      name: str(),
    },
    { required: ['kind', 'name'] },
  ),
  [CORE + 'TypedObjectReference']: object(
    {
      apiGroup: str(),
      kind: str(),
      name: str(),
      namespace: str(),
    },
    { required: ['kind', 'name'] },
  ),
  [CORE + 'VolumeResourceRequirements']: object(
    {
      limits: map(quantity()),
      requests: map(quantity()),
    },
  ),
  [CORE + 'FCVolumeSource']: object(
    {
      fsType: str(),
      lun: int32(),
      readOnly: bool(),
      targetWWNs: list(str(), { listType: 'atomic' }),
      wwids: list(str(), { listType: 'atomic' }),
    },
  ),
  [CORE + 'FlexVolumeSource']: object(
    {
      driver: str(),
      fsType: str(),
      options: map(str()),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
    },
    { required: ['driver'] },
  ),
  [CORE + 'FlockerVolumeSource']: object(
    {
      datasetName: str(),
      datasetUUID: str(),
    },
  ),
  [CORE + 'GCEPersistentDiskVolumeSource']: object(
    {
      fsType: str(),
      partition: int32(),
      pdName: str(),
      readOnly: bool(),
    },
    { required: ['pdName'] },
  ),
  [CORE + 'GitRepoVolumeSource']: object(
    {
      directory: str(),
      repository: str(),
      revision: str(),
    },
    { required: ['repository'] },
  ),
  [CORE + 'GlusterfsVolumeSource']: object(
    {
      endpoints: str(),
      path: str(),
      readOnly: bool(),
    },
    { required: ['endpoints', 'path'] },
  ),
  [CORE + 'HostPathVolumeSource']: object(
    {
      path: str('Path on the host.'),
      type: str('Expected type: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.'),
    },
    { required: ['path'], description: 'A file or directory on the host.' },
  ),
  [CORE + 'ImageVolumeSource']: object(
    {
      pullPolicy: str(),
      reference: str(),
    },
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
    { required: ['iqn', 'lun', 'targetPortal'] },
  ),
  [CORE + 'NFSVolumeSource']: object(
    {
      path: str(),
      readOnly: bool(),
      server: str(),
    },
    { required: ['path', 'server'] },
  ),
  [CORE + 'PersistentVolumeClaimVolumeSource']: object(
    {
      claimName: str(),
      readOnly: bool(),
    },
    { required: ['claimName'] },
  ),
  [CORE + 'PhotonPersistentDiskVolumeSource']: object(
    {
      fsType: str(),
      pdID: str(),
    },
    { required: ['pdID'] },
  ),
  [CORE + 'PortworxVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      volumeID: str(),
    },
    { required: ['volumeID'] },
  ),
  [CORE + 'ProjectedVolumeSource']: object(
    {
      defaultMode: int32(),
      sources: list(ref(CORE + 'VolumeProjection'), { listType: 'atomic' }),
    },
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
  ),
  [CORE + 'ClusterTrustBundleProjection']: object(
    {
      labelSelector: ref(META + 'LabelSelector'),
      name: str(),
      optional: bool(),
      path: str(),
      signerName: str(),
    },
    { required: ['path'] },
  ),
  [CORE + 'ConfigMapProjection']: object(
    {
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
  ),
  [CORE + 'DownwardAPIProjection']: object(
    {
      items: list(ref(CORE + 'DownwardAPIVolumeFile'), { listType: 'atomic' }),
    },
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
    { required: ['keyType', 'signerName'] },
  ),
  [CORE + 'SecretProjection']: object(
    {
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      name: str(),
      optional: bool(),
    },
  ),
  [CORE + 'ServiceAccountTokenProjection']: object(
    {
      audience: str(),
      expirationSeconds: int64(),
      path: str(),
    },
    { required: ['path'] },
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
    { required: ['registry', 'volume'] },
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
    { required: ['image', 'monitors'] },
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
    { required: ['gateway', 'secretRef', 'system'] },
  ),
  [CORE + 'SecretVolumeSource']: object(
    {
      defaultMode: int32(),
      items: list(ref(CORE + 'KeyToPath'), { listType: 'atomic' }),
      optional: bool(),
      secretName: str('Name of the Secret in the pod namespace.'),
    },
    { description: 'A Secret projected as files, one per key.' },
  ),
  [CORE + 'StorageOSVolumeSource']: object(
    {
      fsType: str(),
      readOnly: bool(),
      secretRef: ref(CORE + 'LocalObjectReference'),
      volumeName: str(),
      volumeNamespace: str(),
    },
  ),
  [CORE + 'VsphereVirtualDiskVolumeSource']: object(
    {
      fsType: str(),
      storagePolicyID: str(),
      storagePolicyName: str(),
      volumePath: str(),
    },
    { required: ['volumePath'] },
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
    { description: 'Observed state of a pod.' },
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
    { required: ['status', 'type'] },
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
    { required: ['image', 'imageID', 'name', 'ready', 'restartCount'], description: 'Observed state of one container.' },
  ),
  [CORE + 'ResourceStatus']: object(
    {
      name: str(),
      resources: list(ref(CORE + 'ResourceHealth'), { listType: 'map', listMapKeys: ['resourceID'] }),
    },
    { required: ['name'] },
  ),
  [CORE + 'ResourceHealth']: object(
    {
      health: str(),
      resourceID: str(),
    },
    { required: ['resourceID'] },
  ),
  [CORE + 'ContainerState']: object(
    {
      running: ref(CORE + 'ContainerStateRunning'),
      terminated: ref(CORE + 'ContainerStateTerminated'),
      waiting: ref(CORE + 'ContainerStateWaiting'),
    },
    { description: 'Waiting, running or terminated; at most one is set.' },
  ),
  [CORE + 'ContainerStateRunning']: object(
    {
      startedAt: time(),
    },
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
    { required: ['exitCode'] },
  ),
  [CORE + 'ContainerStateWaiting']: object(
    {
      message: str(),
      reason: str(),
    },
  ),
  [CORE + 'ContainerUser']: object(
    {
      linux: ref(CORE + 'LinuxContainerUser'),
    },
  ),
  [CORE + 'LinuxContainerUser']: object(
    {
      gid: int64(),
      supplementalGroups: list(int64(), { listType: 'atomic' }),
      uid: int64(),
    },
    { required: ['gid', 'uid'] },
  ),
  [CORE + 'VolumeMountStatus']: object(
    {
      mountPath: str(),
      name: str(),
      readOnly: bool(),
      recursiveReadOnly: str(),
    },
    { required: ['mountPath', 'name'] },
  ),
  [CORE + 'PodExtendedResourceClaimStatus']: object(
    {
      requestMappings: list(ref(CORE + 'ContainerExtendedResourceRequest'), { listType: 'atomic' }),
      resourceClaimName: str(),
    },
    { required: ['requestMappings', 'resourceClaimName'] },
  ),
  [CORE + 'ContainerExtendedResourceRequest']: object(
    {
      containerName: str(),
      requestName: str(),
      resourceName: str(),
    },
    { required: ['containerName', 'requestName', 'resourceName'] },
  ),
  [CORE + 'HostIP']: object(
    {
      ip: str(),
    },
    { required: ['ip'] },
  ),
  [CORE + 'PodIP']: object(
    {
      ip: str(),
    },
    { required: ['ip'] },
  ),
  [CORE + 'PodResourceClaimStatus']: object(
    {
      name: str(),
      resourceClaimName: str(),
    },
    { required: ['name'] },
  ),
  [CORE + 'PodTemplateSpec']: object(
    {
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'PodSpec', 'Specification of the desired behaviour of the pod.'),
    },
    { description: 'The pod a controller creates: metadata and spec.' },
  ),
  [CORE + 'Node']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'NodeSpec', 'Desired behaviour of the node.'),
      status: ref(CORE + 'NodeStatus', 'Most recently observed status of the node.'),
    },
    { description: 'A worker machine that runs pods.' },
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
  ),
  [CORE + 'NodeConfigSource']: object(
    {
      configMap: ref(CORE + 'ConfigMapNodeConfigSource'),
    },
  ),
  [CORE + 'ConfigMapNodeConfigSource']: object(
    {
      kubeletConfigKey: str(),
      name: str(),
      namespace: str(),
      resourceVersion: str(),
      uid: str(),
    },
    { required: ['kubeletConfigKey', 'name', 'namespace'] },
  ),
  [CORE + 'Taint']: object(
    {
      effect: str(),
      key: str(),
      timeAdded: time(),
      value: str(),
    },
    { required: ['effect', 'key'] },
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
  ),
  [CORE + 'NodeAddress']: object(
    {
      address: str(),
      type: str(),
    },
    { required: ['address', 'type'] },
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
    { required: ['status', 'type'] },
  ),
  [CORE + 'NodeConfigStatus']: object(
    {
      active: ref(CORE + 'NodeConfigSource'),
      assigned: ref(CORE + 'NodeConfigSource'),
      error: str(),
      lastKnownGood: ref(CORE + 'NodeConfigSource'),
    },
  ),
  [CORE + 'NodeDaemonEndpoints']: object(
    {
      kubeletEndpoint: ref(CORE + 'DaemonEndpoint'),
    },
  ),
  [CORE + 'DaemonEndpoint']: object(
    {
      Port: int32(),
    },
    { required: ['Port'] },
  ),
  [CORE + 'NodeFeatures']: object(
    {
      supplementalGroupsPolicy: bool(),
    },
  ),
  [CORE + 'ContainerImage']: object(
    {
      names: list(str(), { listType: 'atomic' }),
      sizeBytes: int64(),
    },
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
    { required: ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion', 'machineID', 'operatingSystem', 'osImage', 'systemUUID'] },
  ),
  [CORE + 'NodeSwapStatus']: object(
    {
      capacity: int64(),
    },
  ),
  [CORE + 'NodeRuntimeHandler']: object(
    {
      features: ref(CORE + 'NodeRuntimeHandlerFeatures'),
      name: str(),
    },
  ),
  [CORE + 'NodeRuntimeHandlerFeatures']: object(
    {
      recursiveReadOnlyMounts: bool(),
      userNamespaces: bool(),
    },
  ),
  [CORE + 'AttachedVolume']: object(
    {
      devicePath: str(),
      name: str(),
    },
    { required: ['devicePath', 'name'] },
  ),
  [CORE + 'Namespace']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'NamespaceSpec', 'Desired behaviour of the namespace.'),
      status: ref(CORE + 'NamespaceStatus', 'Observed status of the namespace.'),
    },
    { description: 'A scope for names of namespaced objects.' },
  ),
  [CORE + 'NamespaceSpec']: object(
    {
      finalizers: list(str(), { listType: 'atomic' }),
    },
  ),
  [CORE + 'NamespaceStatus']: object(
    {
      conditions: list(ref(CORE + 'NamespaceCondition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }),
      phase: str(),
    },
  ),
  [CORE + 'NamespaceCondition']: object(
    {
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    { required: ['status', 'type'] },
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
    { description: 'Non-confidential key/value configuration data.' },
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
    { description: 'Confidential data such as passwords, tokens and registry credentials.' },
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
    { required: ['involvedObject', 'metadata'], description: 'A report of an event somewhere in the cluster.' },
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
  ),
  [CORE + 'EventSeries']: object(
    {
      count: int32(),
      lastObservedTime: time(),
    },
  ),
  [CORE + 'EventSource']: object(
    {
      component: str(),
      host: str(),
    },
  ),
  [CORE + 'PersistentVolumeClaim']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, e.g. "batch/v1".'),
      kind: str('The REST resource this object represents, in CamelCase, e.g. "Job".'),
      metadata: ref(META + 'ObjectMeta', 'Standard object\'s metadata: name, namespace, labels, annotations...'),
      spec: ref(CORE + 'PersistentVolumeClaimSpec', 'The storage requested.'),
      status: ref(CORE + 'PersistentVolumeClaimStatus', 'The current state of the claim.'),
    },
    { description: 'A user\'s request for storage.' },
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
    { required: ['status', 'type'] },
  ),
  [CORE + 'ModifyVolumeStatus']: object(
    {
      status: str(),
      targetVolumeAttributesClassName: str(),
    },
    { required: ['status'] },
  ),
};
