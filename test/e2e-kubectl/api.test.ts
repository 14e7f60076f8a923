// The API server's Kubernetes surface, with the installed kubectl against a real `jobyard server`.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer, kubectlVersion } from '../support/jobyard-server.js';

let server: JobyardServer;

beforeAll(async () => {
  console.log(`kubectl ${await kubectlVersion()}`);
  // No controllers or agent: these checks are about the API alone, so nothing else writes.
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
});

afterAll(async () => {
  await server?.stop();
});

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${counter++}`;

function jobManifest(name: string, extra: { spec?: Record<string, unknown>; podSpec?: Record<string, unknown>; container?: Record<string, unknown> } = {}): string {
  return YAML.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completions: 2,
      parallelism: 2,
      ...extra.spec,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello'], ...extra.container }],
          ...extra.podSpec,
        },
      },
    },
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function getJson<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as T;
}

describe('kubectl against jobyard', () => {
  it('applies a Job manifest and reads it back with upstream defaults filled in', async () => {
    const name = unique('defaults');
    expect(await ok(['apply', '-f', '-'], jobManifest(name))).toContain(`job.batch/${name} created`);
    const job = await getJson(['get', 'job', name]);
    const uid = job.metadata.uid;
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.completionMode).toBe('NonIndexed');
    expect(job.spec.suspend).toBe(false);
    expect(job.spec.manualSelector).toBe(false);
    expect(job.spec.podReplacementPolicy).toBe('TerminatingOrFailed');
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(job.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'job-name': name,
    });
    expect(job.metadata.labels).toEqual(job.spec.template.metadata.labels);
    expect(job.metadata.generation).toBe(1);
    const pod = job.spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.dnsPolicy).toBe('ClusterFirst');
    expect(pod.schedulerName).toBe('default-scheduler');
    expect(pod.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(pod.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    // A second apply with a change is a strategic merge patch computed by kubectl.
    expect(await ok(['apply', '-f', '-'], jobManifest(name, { spec: { backoffLimit: 3 } }))).toContain('configured');
    const patched = await getJson(['get', 'job', name]);
    expect(patched.spec.backoffLimit).toBe(3);
    expect(patched.metadata.uid).toBe(uid);
    expect(patched.metadata.generation).toBe(2);
  });

  it('defaults imagePullPolicy from the tag', async () => {
    const name = unique('pull');
    await ok(['apply', '-f', '-'], jobManifest(name, { container: { image: 'busybox' } }));
    expect((await getJson(['get', 'job', name])).spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('prints jobs as a table with upstream columns, and as JSON and YAML', async () => {
    const name = unique('table');
    await ok(['apply', '-f', '-'], jobManifest(name));
    const table = await ok(['get', 'job', name]);
    const [header, row] = table.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(row.split(/\s+/).slice(0, 3)).toEqual([name, 'Running', '0/2']);
    const wide = await ok(['get', 'job', name, '-o', 'wide']);
    expect(wide.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const asYaml = YAML.parse(await ok(['get', 'job', name, '-o', 'yaml']));
    expect(asYaml.kind).toBe('Job');
    expect(asYaml.metadata.name).toBe(name);
    const list = await getJson(['get', 'jobs']);
    expect(list.kind).toBe('List');
    expect(list.items.map((j: any) => j.metadata.name)).toContain(name);
  });

  it('describes a job', async () => {
    const name = unique('describe');
    await ok(['apply', '-f', '-'], jobManifest(name));
    const out = await ok(['describe', 'job', name]);
    expect(out).toMatch(new RegExp(`^Name:\\s+${name}$`, 'm'));
    expect(out).toMatch(/^Parallelism:\s+2$/m);
    expect(out).toMatch(/^Completions:\s+2$/m);
    expect(out).toMatch(/^Completion Mode:\s+NonIndexed$/m);
    expect(out).toMatch(/^Pods Statuses:\s+0 Active .* 0 Succeeded \/ 0 Failed$/m);
    expect(out).toMatch(/Image:\s+busybox:1.36/);
  });

  it('watches jobs with get -w and sees a change', async () => {
    const name = unique('watch');
    await ok(['apply', '-f', '-'], jobManifest(name));
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'get', 'jobs', name, '-w', '-o', 'custom-columns=NAME:.metadata.name,LIMIT:.spec.backoffLimit', '--no-headers']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => out.includes(name));
      await ok(['patch', 'job', name, '--type', 'merge', '-p', '{"spec":{"backoffLimit":1}}']);
      await waitFor(() => /\s1\s*$/m.test(out));
      expect(out.trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
        [name, '6'],
        [name, '1'],
      ]);
    } finally {
      child.kill();
    }
  });

  it('creates configmaps and secrets from literals', async () => {
    const cm = unique('cm');
    const secret = unique('secret');
    expect(await ok(['create', 'configmap', cm, '--from-literal=mode=fast', '--from-literal=level=3'])).toContain(`configmap/${cm} created`);
    expect((await getJson(['get', 'configmap', cm])).data).toEqual({ mode: 'fast', level: '3' });
    expect(await ok(['create', 'secret', 'generic', secret, '--from-literal=password=s3cr3t'])).toContain(`secret/${secret} created`);
    const s = await getJson(['get', 'secret', secret]);
    expect(s.type).toBe('Opaque');
    expect(Buffer.from(s.data.password, 'base64').toString()).toBe('s3cr3t');
    const table = await ok(['get', 'configmap', cm]);
    expect(table.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'DATA', 'AGE']);
  });

  // kubectl's typed clients post these bodies as application/vnd.kubernetes.protobuf.
  it('creates a namespace and objects in it', async () => {
    const ns = unique('ns');
    expect(await ok(['create', 'namespace', ns])).toContain(`namespace/${ns} created`);
    const created = await getJson(['get', 'namespace', ns]);
    expect(created.metadata.name).toBe(ns);
    expect(created.status.phase).toBe('Active');
    expect(await ok(['create', 'configmap', 'inside', '-n', ns, '--from-literal=a=b'])).toContain('configmap/inside created');
    expect((await getJson(['get', 'configmap', 'inside', '-n', ns])).metadata.namespace).toBe(ns);
  });

  it('creates a docker-registry secret', async () => {
    const name = unique('regcred');
    const args = ['create', 'secret', 'docker-registry', name, '--docker-server=registry.example.com', '--docker-username=jo', '--docker-password=hunter2', '--docker-email=jo@example.com'];
    expect(await ok(args)).toContain(`secret/${name} created`);
    const s = await getJson(['get', 'secret', name]);
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString());
    expect(config.auths['registry.example.com']).toEqual({
      username: 'jo',
      password: 'hunter2',
      email: 'jo@example.com',
      auth: Buffer.from('jo:hunter2').toString('base64'),
    });
  });

  it('creates a job from an image and a command', async () => {
    const name = unique('hello');
    expect(await ok(['create', 'job', name, '--image=busybox:1.36', '--', 'sh', '-c', 'echo hi'])).toContain(`job.batch/${name} created`);
    const job = await getJson(['get', 'job', name]);
    const pod = job.spec.template.spec;
    expect(pod.containers).toEqual([expect.objectContaining({ name, image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'] })]);
    expect(pod.restartPolicy).toBe('Never');
    // The server's defaults, as for a Job sent as JSON.
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.completionMode).toBe('NonIndexed');
    expect(job.spec.template.metadata.labels['batch.kubernetes.io/job-name']).toBe(name);
  });

  it('labels, annotates and patches with each patch type', async () => {
    const name = unique('patch');
    await ok(['apply', '-f', '-'], jobManifest(name));
    await ok(['label', 'job', name, 'tier=batch']);
    await ok(['annotate', 'job', name, 'owner=team-a']);
    await ok(['patch', 'job', name, '--type', 'merge', '-p', '{"spec":{"activeDeadlineSeconds":600}}']);
    await ok(['patch', 'job', name, '--type', 'strategic', '-p', '{"metadata":{"labels":{"stage":"two"}}}']);
    await ok(['patch', 'job', name, '--type', 'json', '-p', '[{"op":"replace","path":"/spec/parallelism","value":1}]']);
    const job = await getJson(['get', 'job', name]);
    expect(job.metadata.labels.tier).toBe('batch');
    expect(job.metadata.labels.stage).toBe('two');
    expect(job.metadata.annotations.owner).toBe('team-a');
    expect(job.spec.activeDeadlineSeconds).toBe(600);
    expect(job.spec.parallelism).toBe(1);
    await ok(['label', 'job', name, 'tier-']);
    expect((await getJson(['get', 'job', name])).metadata.labels.tier).toBeUndefined();
    const bad = await server.kubectl(['patch', 'job', name, '--type', 'json', '-p', '[{"op":"test","path":"/spec/parallelism","value":5}]']);
    expect(bad.code).not.toBe(0);
  });

  it('refuses a replace with a stale object as a Conflict', async () => {
    const name = unique('conflict');
    await ok(['apply', '-f', '-'], jobManifest(name));
    const stale = await ok(['get', 'job', name, '-o', 'yaml']);
    await ok(['label', 'job', name, 'touched=yes']);
    const r = await server.kubectl(['replace', '-f', '-'], stale);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on jobs.batch "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
    expect((await getJson(['get', 'job', name])).metadata.labels.touched).toBe('yes');
  });

  it('deletes, and kubectl wait --for=delete returns', async () => {
    const name = unique('delete');
    await ok(['apply', '-f', '-'], jobManifest(name));
    expect(await ok(['delete', 'job', name, '--wait=false'])).toContain(`job.batch "${name}" deleted`);
    const waited = await server.kubectl(['wait', '--for=delete', `job/${name}`, '--timeout=30s']);
    expect(waited.code).toBe(0);
    const gone = await server.kubectl(['get', 'job', name]);
    expect(gone.stderr).toContain(`Error from server (NotFound): jobs.batch "${name}" not found`);
  });

  describe('invalid manifests are refused with upstream messages and change nothing', () => {
    const cases: { title: string; name: string; manifest: (n: string) => string; expected: string }[] = [
      {
        title: 'restartPolicy Always',
        name: 'bad-restart',
        manifest: (n) => jobManifest(n, { podSpec: { restartPolicy: 'Always' } }),
        expected: 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      },
      {
        title: 'a name with capitals',
        name: 'Bad-Name',
        manifest: (n) => jobManifest(n),
        expected: `metadata.name: Invalid value: "Bad-Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
      {
        title: 'negative parallelism',
        name: 'bad-parallelism',
        manifest: (n) => jobManifest(n, { spec: { parallelism: -1 } }),
        expected: 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      },
      {
        title: 'an unknown field under Strict validation',
        name: 'bad-field',
        manifest: (n) => jobManifest(n, { spec: { parallelismm: 2 } }),
        expected: 'strict decoding error: unknown field "spec.parallelismm"',
      },
      {
        title: 'a malformed quantity',
        name: 'bad-quantity',
        manifest: (n) => jobManifest(n, { container: { resources: { limits: { memory: '64MB!' } } } }),
        expected: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      },
    ];
    for (const c of cases) {
      it(c.title, async () => {
        const before = await getJson(['get', 'jobs']);
        const r = await server.kubectl(['apply', '-f', '-'], c.manifest(c.name));
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(c.expected);
        expect(r.stderr).not.toMatch(/InternalError|500/);
        const after = await getJson(['get', 'jobs']);
        expect(after.items.map((j: any) => [j.metadata.name, j.metadata.resourceVersion])).toEqual(
          before.items.map((j: any) => [j.metadata.name, j.metadata.resourceVersion]),
        );
      });
    }

    it('an update changing an immutable field keeps the stored object', async () => {
      const name = unique('immutable');
      await ok(['apply', '-f', '-'], jobManifest(name));
      const before = await getJson(['get', 'job', name]);
      const r = await server.kubectl(['apply', '-f', '-'], jobManifest(name, { container: { image: 'busybox:latest' } }));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('field is immutable');
      const after = await getJson(['get', 'job', name]);
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after.spec.template.spec.containers[0].image).toBe('busybox:1.36');
    });
  });

  it('answers 401 to a request without the token, and without a valid one', async () => {
    const insecure = { rejectUnauthorized: false } as const;
    for (const headers of [{}, { Authorization: 'Bearer wrong' }]) {
      const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
        import('node:https').then(({ request }) => {
          const req = request(`${server.url}/api/v1/namespaces/default/pods`, { ...insecure, headers }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        }, reject);
      });
      expect(status.code).toBe(401);
      expect(JSON.parse(status.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    const r = await server.kubectl(['--token', 'wrong', 'get', 'pods']);
    expect(r.stderr).toContain('Unauthorized');
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 50));
  }
}
