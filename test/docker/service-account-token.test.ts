// Issue 14's test of the API from inside pods: a pod lists the Jobs of its namespace through the
// API's pod address (https://<bridge gateway>:<port>) with its projected token and ca.crt, may do
// nothing more, and its token is refused once the pod is deleted. Python 3 (with TLS) comes from
// the jobyard/workqueue image (scripts/setup.sh --with-examples builds it).
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import type { JobyardServer } from '../support/jobyard-server.js';
import { apply, docker, getPod, kubectl, phaseIs, startAgentServer, waitFor, waitPod } from './agent-harness.js';

const IMAGE = 'jobyard/workqueue:latest';
const NS = 'sa-e2e';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

let server: JobyardServer;
let podApi: string;

/** GET or POST with a bearer token, trusting only the cluster CA; the status and the parsed body. */
function call(url: string, token: string, ca: string, method = 'GET', body?: string): Promise<{ status: number; body: { message?: string; items?: { metadata: { name: string } }[] } }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The pod's program: list Jobs, try to create a pod and to list another namespace's Jobs, print each answer as one JSON line.
const PROGRAM = `
import json, ssl, sys, time, urllib.request, urllib.error
d = '${SA_DIR}/'
token = open(d + 'token').read(); ns = open(d + 'namespace').read()
ctx = ssl.create_default_context(cafile=d + 'ca.crt')
def call(path, data=None):
    req = urllib.request.Request(sys.argv[1] + path, data=data, headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
    try:
        r = urllib.request.urlopen(req, context=ctx); return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
s, b = call('/apis/batch/v1/namespaces/' + ns + '/jobs')
print(json.dumps({'what': 'list', 'status': s, 'names': [j['metadata']['name'] for j in b.get('items', [])]}), flush=True)
s, b = call('/api/v1/namespaces/' + ns + '/pods', json.dumps({'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'escape'}, 'spec': {'containers': [{'name': 'c', 'image': 'busybox'}]}}).encode())
print(json.dumps({'what': 'create', 'status': s, 'message': b.get('message')}), flush=True)
s, b = call('/apis/batch/v1/namespaces/default/jobs')
print(json.dumps({'what': 'other', 'status': s, 'message': b.get('message')}), flush=True)
time.sleep(3600)
`;

beforeAll(async () => {
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    throw new Error(`image ${IMAGE} is missing: run scripts/setup.sh --with-examples (it has python3 with TLS)`);
  }
  server = await startAgentServer();
  const m = /pods reach the API at (https:\/\/\S+)/.exec(server.logs());
  if (!m) throw new Error(`the server names no pod address:\n${server.logs()}`);
  podApi = m[1]!;
  await kubectl(server, ['create', 'namespace', NS]);
  await kubectl(server, ['-n', NS, 'create', 'job', 'listed', '--image=busybox:1.36', '--', 'true']);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('the API from inside a pod, with its projected service-account token', () => {
  it('lists the Jobs of its namespace, is refused everything else, and its token dies with the pod', async () => {
    await apply(server, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'lister', namespace: NS },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        // The default account mounts no token (jobyard's default): the pod asks for it.
        automountServiceAccountToken: true,
        containers: [{ name: 'c', image: IMAGE, imagePullPolicy: 'Never', command: ['python3', '-c', PROGRAM, podApi] }],
      },
    });
    const pod: Pod = await waitPod(server, NS, 'lister', 'running', phaseIs('Running'), 90_000);
    // The admission plugin gave it the default account and the kube-api-access volume.
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.containers[0]!.volumeMounts).toEqual([{ name: expect.stringMatching(/^kube-api-access-/), readOnly: true, mountPath: SA_DIR }]);

    const lines = await waitFor('the pod printed three answers', async () => {
      const out = (await server.kubectl(['-n', NS, 'logs', 'lister'])).stdout.trim().split('\n').filter(Boolean);
      return out.length >= 3 ? out.map((l) => JSON.parse(l) as { what: string; status: number; names?: string[]; message?: string }) : undefined;
    });
    expect(lines[0]).toEqual({ what: 'list', status: 200, names: ['listed'] });
    expect(lines[1]).toEqual({ what: 'create', status: 403, message: `pods is forbidden: User "system:serviceaccount:${NS}:default" cannot create resource "pods" in API group "" in the namespace "${NS}"` });
    expect(lines[2]).toEqual({ what: 'other', status: 403, message: `jobs.batch is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "jobs" in API group "batch" in the namespace "default"` });

    // The volume's files: the token, the cluster CA (kube-root-ca.crt) and the namespace.
    const token = (await kubectl(server, ['-n', NS, 'exec', 'lister', '--', 'cat', `${SA_DIR}/token`])).trim();
    const ca = await kubectl(server, ['-n', NS, 'exec', 'lister', '--', 'cat', `${SA_DIR}/ca.crt`]);
    expect(await kubectl(server, ['-n', NS, 'exec', 'lister', '--', 'cat', `${SA_DIR}/namespace`])).toBe(NS);
    expect(ca).toBe(JSON.parse(await kubectl(server, ['-n', NS, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json'])).data['ca.crt']);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; 'kubernetes.io': { pod: { name: string; uid: string } } };
    expect(claims.sub).toBe(`system:serviceaccount:${NS}:default`);
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'lister', uid: pod.metadata.uid });

    const jobs = `${podApi}/apis/batch/v1/namespaces/${NS}/jobs`;
    expect((await call(jobs, token, ca)).status).toBe(200);
    await kubectl(server, ['-n', NS, 'delete', 'pod', 'lister', '--wait=true']);
    await waitFor('the pod gone', async () => (await server.kubectl(['-n', NS, 'get', 'pod', 'lister'])).code !== 0);
    const after = await call(jobs, token, ca);
    expect(after).toEqual({ status: 401, body: expect.objectContaining({ reason: 'Unauthorized', code: 401 }) });

    // The token is in no log and no event.
    expect(server.logs()).not.toContain(token);
    expect(server.logs()).not.toContain(token.split('.')[2]!);
    expect(await kubectl(server, ['get', 'events', '-A', '-o', 'json'])).not.toContain(token.split('.')[2]!);
    await expect(getPod(server, NS, 'lister')).rejects.toThrow(/NotFound|not found/);
  }, 180_000);
});
