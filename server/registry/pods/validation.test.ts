import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { pods } from './index.js';
import type { PodObject } from './types.js';

function newPod(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return {
    metadata: { name: 'p', ...meta },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox:1.36', ...container }],
      ...spec,
    },
  };
}
const messages = (input: unknown) => create(pods, input).messages;
const probe = (extra: Record<string, unknown>) => ({ exec: { command: ['true'] }, ...extra });

describe('pod validation: containers', () => {
  it('accepts the base pod', () => {
    expect(messages(newPod())).toEqual([]);
  });

  it('requires at least one container', () => {
    expect(messages(newPod({ containers: [] }))).toEqual(['spec.containers: Required value']);
  });

  it('requires container names to be unique DNS labels, across init and regular containers', () => {
    expect(
      messages(
        newPod({
          initContainers: [{ name: 'c', image: 'busybox:1.36' }],
          containers: [
            { name: 'c', image: 'busybox:1.36' },
            { name: 'c', image: 'busybox:1.36' },
            { name: 'Web_1', image: 'busybox:1.36' },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[1].name: Duplicate value: "c"',
      `spec.containers[2].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'spec.initContainers[0].name: Duplicate value: "c"',
    ]);
  });

  it('requires an image', () => {
    expect(messages(newPod({}, { image: '' }))).toEqual(['spec.containers[0].image: Required value']);
  });

  it('rejects leading or trailing whitespace in a pod image', () => {
    expect(messages(newPod({}, { image: ' busybox' }))).toEqual(['spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace']);
  });

  it('checks imagePullPolicy values', () => {
    expect(messages(newPod({}, { imagePullPolicy: 'Sometimes' }))).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ]);
  });

  it('forbids restartPolicy on regular containers and allows only Always on init containers', () => {
    expect(
      messages(
        newPod(
          { initContainers: [{ name: 'i', image: 'busybox:1.36', restartPolicy: 'Never' }] },
          { restartPolicy: 'Always' },
        ),
      ),
    ).toEqual([
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });
});

describe('pod validation: ports', () => {
  it.each<[Record<string, unknown>, string[]]>([
    [{ containerPort: 80 }, []],
    [{ containerPort: 0 }, ['spec.containers[0].ports[0].containerPort: Required value']],
    [{ containerPort: 70000 }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [{ containerPort: 80, hostPort: 70000 }, ['spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [{ containerPort: 80, protocol: 'ICMP' }, ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    [
      { containerPort: 80, name: 'HTTP' },
      [
        'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    ],
  ])('port %j', (port, expected) => {
    expect(messages(newPod({}, { ports: [port] }))).toEqual(expected);
  });

  it('rejects duplicate port names and host port conflicts', () => {
    expect(
      messages(
        newPod({
          containers: [
            { name: 'a', image: 'x:1', ports: [{ name: 'web', containerPort: 80, hostPort: 8080 }, { name: 'web', containerPort: 81 }] },
            { name: 'b', image: 'x:1', ports: [{ containerPort: 80, hostPort: 8080 }] },
          ],
        }),
      ),
    ).toEqual(['spec.containers[0].ports[1].name: Duplicate value: "web"', 'spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"']);
  });
});

describe('pod validation: env', () => {
  it('accepts names with any printable ASCII but "=" (relaxed rule)', () => {
    expect(messages(newPod({}, { env: [{ name: '1st.VAR-x y', value: 'v' }] }))).toEqual([]);
  });

  it('rejects empty names and "="', () => {
    expect(messages(newPod({}, { env: [{ name: '' }, { name: 'A=B' }] }))).toEqual([
      'spec.containers[0].env[0].name: Required value',
      `spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]);
  });

  it('makes valueFrom exclusive with value and with itself', () => {
    expect(
      messages(
        newPod({}, {
          env: [
            { name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } },
            { name: 'C', valueFrom: {} },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not have more than one field specified at a time',
      'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    ]);
  });

  it('checks field paths and key selectors', () => {
    expect(
      messages(
        newPod({}, {
          env: [
            { name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } },
            { name: 'B', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'C', valueFrom: { secretKeyRef: { name: 's', key: '' } } },
            { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.hostname": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      'spec.containers[0].env[2].valueFrom.secretKeyRef.key: Required value',
      'spec.containers[0].env[3].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    ]);
  });

  it('defaults fieldRef apiVersion to v1', () => {
    const out = create(pods, newPod({}, { env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }));
    expect(out.obj.spec.containers[0].env?.[0].valueFrom?.fieldRef?.apiVersion).toBe('v1');
  });

  it('requires one of configMapRef or secretRef in envFrom', () => {
    expect(messages(newPod({}, { envFrom: [{ prefix: 'X_' }] }))).toEqual([
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });
});

describe('pod validation: volumes and mounts', () => {
  it('requires mounts to name a declared volume', () => {
    expect(messages(newPod({ volumes: [{ name: 'data', emptyDir: {} }] }, { volumeMounts: [{ name: 'other', mountPath: '/x' }] }))).toEqual([
      'spec.containers[0].volumeMounts[0].name: Not found: "other"',
    ]);
  });

  it('requires unique mount paths and relative sub paths', () => {
    expect(
      messages(
        newPod({ volumes: [{ name: 'data' }] }, {
          volumeMounts: [
            { name: 'data', mountPath: '/x' },
            { name: 'data', mountPath: '/x', subPath: '../up' },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/x": must be unique',
      `spec.containers[0].volumeMounts[1].subPath: Invalid value: "../up": must not contain '..'`,
    ]);
  });

  it('rejects duplicate volume names and a mount of the rejected volume', () => {
    expect(messages(newPod({ volumes: [{ name: 'd', emptyDir: {} }, { name: 'd', emptyDir: {} }] }))).toEqual(['spec.volumes[1].name: Duplicate value: "d"']);
  });

  it('allows only one source per volume', () => {
    expect(messages(newPod({ volumes: [{ name: 'd', emptyDir: {}, hostPath: { path: '/tmp' } }] }))).toEqual([
      'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type',
    ]);
  });

  it('validates each source', () => {
    expect(
      messages(
        newPod({
          volumes: [
            { name: 'a', hostPath: { path: '/data', type: 'Folder' } },
            { name: 'b', configMap: { items: [{ key: 'k', path: '/abs' }] } },
            { name: 'c', secret: { secretName: 's', defaultMode: 512 } },
            { name: 'e', persistentVolumeClaim: {} },
            { name: 'f', nfs: { server: 'nas', path: 'share' } },
          ],
        }),
      ),
    ).toEqual([
      'spec.volumes[0].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      'spec.volumes[1].configMap.name: Required value',
      'spec.volumes[1].configMap.items[0].path: Invalid value: "/abs": must be a relative path',
      'spec.volumes[2].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[3].persistentVolumeClaim.claimName: Required value',
      'spec.volumes[4].nfs.path: Invalid value: "share": must be an absolute path',
    ]);
  });

  it('ephemeral: a volumeClaimTemplate with a valid claim spec, labels and annotations only, and a valid claim name <pod>-<volume>', () => {
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
    expect(messages(newPod({ volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 'b' } }, spec } } }] }))).toEqual([]);
    expect(
      messages(
        newPod({
          volumes: [
            { name: 'a', ephemeral: {} },
            { name: 'b', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteSometimes'] } } } },
            { name: 'c', ephemeral: { volumeClaimTemplate: { metadata: { name: 'mine', labels: { 'bad key!': 'x' } }, spec } } },
          ],
        }),
      ),
    ).toEqual([
      'spec.volumes[0].ephemeral.volumeClaimTemplate: Required value',
      'spec.volumes[1].ephemeral.volumeClaimTemplate.spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.volumes[1].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value',
      expect.stringMatching(/^spec\.volumes\[2\]\.ephemeral\.volumeClaimTemplate\.metadata\.labels: Invalid value: "bad key!": name part must consist of/),
      'spec.volumes[2].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set for an ephemeral volume',
    ]);
    const longName = 'a'.repeat(253);
    expect(messages(newPod({ volumes: [{ name: 'v', ephemeral: { volumeClaimTemplate: { spec } } }] }, {}, { name: longName }))).toEqual([
      `spec.volumes[0].name: Invalid value: "v": PVC name "${longName}-v": must be no more than 253 characters`,
    ]);
  });
});

describe('pod validation: resources', () => {
  it('accepts requests below limits in millicores and binary units', () => {
    expect(messages(newPod({}, { resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } } }))).toEqual([]);
  });

  it('requires requests <= limits', () => {
    expect(messages(newPod({}, { resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } } }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });

  it('rejects bad names, bad and negative quantities', () => {
    expect(messages(newPod({}, { resources: { limits: { cpus: '1', memory: 'lots' }, requests: { cpu: '-1' } } }))).toEqual([
      'spec.containers[0].resources.limits[cpus]: Invalid value: "cpus": must be a standard resource for containers',
      `spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      // A bare pod's requests default to its limits, so the bad limits show up twice.
      'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers',
      `spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]);
  });

  it('defaults a bare pod’s requests to its limits', () => {
    const out = create(pods, newPod({}, { resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { memory: '32Mi' } } }));
    expect(out.obj.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '500m', memory: '32Mi' } });
  });

  it('requires whole units and a limit for extended resources', () => {
    expect(messages(newPod({}, { resources: { requests: { 'example.com/gpu': '500m' } } }))).toEqual([
      'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer',
    ]);
    expect(messages(newPod({}, { resources: { requests: { 'example.com/gpu': '1' } } }))).toEqual([
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
  });
});

describe('pod validation: probes and lifecycle', () => {
  it('accepts the wizard’s three probe kinds (docs/product.md#health-checks)', () => {
    expect(
      messages(
        newPod({}, {
          ports: [{ name: 'http', containerPort: 8080 }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, initialDelaySeconds: 3 },
          readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15 },
          startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, initialDelaySeconds: 5 },
        }),
      ),
    ).toEqual([]);
  });

  it('requires successThreshold 1 for liveness and startup probes', () => {
    expect(messages(newPod({}, { livenessProbe: probe({ successThreshold: 2 }), startupProbe: probe({ successThreshold: 3 }), readinessProbe: probe({ successThreshold: 2 }) }))).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1',
    ]);
  });

  it('rejects negative periods, timeouts and thresholds (0 is defaulted)', () => {
    expect(messages(newPod({}, { readinessProbe: probe({ periodSeconds: -1, timeoutSeconds: -2, failureThreshold: -3, initialDelaySeconds: -4 }) }))).toEqual([
      'spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -4: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -2: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.failureThreshold: Invalid value: -3: must be greater than or equal to 0',
    ]);
    expect(create(pods, newPod({}, { readinessProbe: probe({ periodSeconds: 0 }) })).obj.spec.containers[0].readinessProbe?.periodSeconds).toBe(10);
  });

  it('requires exactly one handler', () => {
    expect(messages(newPod({}, { livenessProbe: {} }))).toEqual(['spec.containers[0].livenessProbe: Required value: must specify a handler type']);
    expect(messages(newPod({}, { livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }))).toEqual([
      'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('checks handler details', () => {
    expect(
      messages(
        newPod({}, {
          livenessProbe: { exec: { command: [] } },
          readinessProbe: { httpGet: { port: 0, scheme: 'FTP', httpHeaders: [{ name: 'Bad Header', value: 'x' }] } },
          startupProbe: { tcpSocket: { port: 'not_a_name' } },
        }),
      ),
    ).toEqual([
      'spec.containers[0].livenessProbe.exec.command: Required value',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      `spec.containers[0].readinessProbe.httpGet.httpHeaders: Invalid value: "Bad Header": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
      'spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "not_a_name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('validates postStart and preStop handlers, and sleep against the grace period', () => {
    expect(
      messages(
        newPod({ terminationGracePeriodSeconds: 10 }, { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hi'] } }, preStop: { sleep: { seconds: 20 } } } }),
      ),
    ).toEqual(['spec.containers[0].lifecycle.preStop.sleep: Invalid value: 20: must be non-negative and less than terminationGracePeriodSeconds (10)']);
    expect(messages(newPod({}, { lifecycle: { preStop: {} } }))).toEqual(['spec.containers[0].lifecycle.preStop: Required value: must specify a handler type']);
  });

  it('forbids probes and lifecycle on plain init containers, allows them on sidecars', () => {
    expect(
      messages(
        newPod({
          initContainers: [
            { name: 'init', image: 'x:1', livenessProbe: probe({}), lifecycle: { postStart: { exec: { command: ['true'] } } } },
            { name: 'side', image: 'x:1', restartPolicy: 'Always', livenessProbe: probe({}), readinessProbe: probe({}) },
          ],
        }),
      ),
    ).toEqual([
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });
});

describe('pod validation: pod-level fields', () => {
  it.each<[Record<string, unknown>, string[]]>([
    [{ restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [{ activeDeadlineSeconds: 0 }, ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    [{ activeDeadlineSeconds: 30 }, []],
    [{ dnsPolicy: 'Google' }, ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']],
    [{ dnsPolicy: 'None' }, ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']],
    [
      { hostname: 'My_Host' },
      [
        `spec.hostname: Invalid value: "My_Host": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [{ nodeSelector: { 'disk type': 'ssd' } }, ['spec.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')']],
    [{ tolerations: [{ operator: 'Equal', value: 'x' }] }, ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
    [{ tolerations: [{ key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }] }, ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"]],
    [{ nodeName: 'n1', schedulingGates: [{ name: 'example.com/wait' }] }, ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared']],
    [
      { priorityClassName: 'High_Priority' },
      [
        `spec.priorityClassName: Invalid value: "High_Priority": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [{ preemptionPolicy: 'Sometimes' }, ['spec.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"']],
    [{ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' }, []],
  ])('spec %j', (spec, expected) => {
    expect(messages(newPod(spec))).toEqual(expected);
  });

  it('requires hostPort == containerPort under hostNetwork (host ports defaulted)', () => {
    const out = create(pods, newPod({ hostNetwork: true }, { ports: [{ containerPort: 8080 }] }));
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.containers[0].ports?.[0].hostPort).toBe(8080);
    expect(messages(newPod({ hostNetwork: true }, { ports: [{ containerPort: 8080, hostPort: 9090 }] }))).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 8080: must match `hostPort` when `hostNetwork` is true',
    ]);
  });
});

describe('pod validation: metadata', () => {
  it('requires a namespace and a valid name', () => {
    const out = create(pods, newPod({}, {}, { name: 'a/b' }));
    expect(out.errors.map((e) => e.field)).toEqual(['metadata.name']);
  });

  it('checks owner references and allows only one controller', () => {
    const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', name, uid: `u-${name}`, controller: true });
    expect(messages(newPod({}, {}, { ownerReferences: [ref('a'), ref('b'), { apiVersion: '', kind: '', name: '', uid: '' }] }))).toEqual([
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"batch/v1","kind":"Job","name":"a","uid":"u-a","controller":true},{"apiVersion":"batch/v1","kind":"Job","name":"b","uid":"u-b","controller":true},{"apiVersion":"","kind":"","name":"","uid":""}]: Only one reference can have Controller set to true. Found "true" in references for Job/a and Job/b',
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });
});

describe('pod update rules', () => {
  const stored = (): PodObject => {
    const p = create(pods, newPod({ activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists' }] })).obj;
    p.metadata.resourceVersion = '3';
    p.spec.nodeName = 'node-1';
    p.status = { phase: 'Running' };
    return p;
  };
  const forbidden =
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

  it('allows a new image, a lower activeDeadlineSeconds and an added toleration', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.containers[0].image = 'busybox:1.37';
    next.spec.activeDeadlineSeconds = 50;
    next.spec.tolerations = [...next.spec.tolerations!, { key: 'b', operator: 'Exists' }];
    const out = update(pods, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual({ phase: 'Running' });
    expect(out.obj.metadata.generation).toBe(2);
  });

  it('forbids any other spec change, naming what changed', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.containers[0].env = [{ name: 'A', value: '1' }];
    const out = update(pods, next, old);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ field: 'spec', type: 'FieldValueForbidden' });
    expect(out.errors[0].detail).toBe(`${forbidden}\n  changed: spec.containers[0].env`);
  });

  it('forbids raising activeDeadlineSeconds or unsetting it', () => {
    const old = stored();
    const up = structuredClone(old);
    up.spec.activeDeadlineSeconds = 200;
    expect(update(pods, up, old).messages).toEqual(['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
    const unset = structuredClone(old);
    delete unset.spec.activeDeadlineSeconds;
    expect(update(pods, unset, old).messages).toEqual(['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
  });

  it('forbids adding or removing containers', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.containers.push({ name: 'd', image: 'x:1' });
    expect(update(pods, next, old).messages).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });

  it('forbids changing an existing toleration but its tolerationSeconds', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.tolerations = [{ key: 'z', operator: 'Exists' }];
    expect(update(pods, next, old).messages).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });

  it('allows a negative grace period to become 1', () => {
    const old = stored();
    old.spec.terminationGracePeriodSeconds = -1;
    const next = structuredClone(old);
    next.spec.terminationGracePeriodSeconds = 1;
    expect(update(pods, next, old).errors).toEqual([]);
    const two = structuredClone(old);
    two.spec.terminationGracePeriodSeconds = 2;
    expect(update(pods, two, old).errors.map((e) => e.field)).toEqual(['spec']);
  });

  it('allows removing scheduling gates but not adding them', () => {
    const old = create(pods, newPod({ schedulingGates: [{ name: 'example.com/a' }] })).obj;
    const removed = structuredClone(old);
    removed.spec.schedulingGates = [];
    expect(update(pods, removed, old).errors).toEqual([]);
    const added = structuredClone(old);
    added.spec.schedulingGates = [{ name: 'example.com/a' }, { name: 'example.com/b' }];
    expect(update(pods, added, old).messages).toEqual(["spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'"]);
  });

  it('keeps metadata.name and uid immutable', () => {
    const old = stored();
    const next = structuredClone(old);
    next.metadata.uid = 'other';
    expect(update(pods, next, old).messages).toEqual([`metadata.uid: Invalid value: "other": field is immutable`]);
  });
});
