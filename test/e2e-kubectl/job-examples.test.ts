// The three Job tasks of the Kubernetes documentation, run on the real server with kubectl 1.32,
// the Docker node agent, kube-proxy (iptables) and the cluster DNS, adapted only in their images
// (busybox for bash:latest, jobyard/workqueue:latest for RabbitMQ, Redis and the workers):
// - "Job with Pod-to-Pod Communication": an Indexed Job whose pods ping each other by
//   example-job-N.headless-svc (pod records from the headless Service's endpoints);
// - "Coarse Parallel Processing Using a Work Queue": one item per pod (`worker.py --one`, in place
//   of amqp-consume -c 1), completions = the item count, the queue reached by its Service's name;
// - "Fine Parallel Processing Using a Work Queue": workers that drain the `redis` Service's queue
//   and exit, the Job (no completions) succeeding by the work-queue rule.
// Each task runs in a namespace of its own (the documentation's manifests name none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

// Built on this machine and in no registry (the local mirror holds only busybox): its pods say
// imagePullPolicy IfNotPresent, where :latest would mean Always and a pull that cannot succeed.
const WORKQUEUE = 'jobyard/workqueue:latest';
// Each item "takes" this long in worker.py: short, so the two work-queue tasks stay near 30 s.
const WORK_SECONDS = '0.5';

let server: JobyardServer;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The names of the pods of a Job (upstream's batch.kubernetes.io/job-name label). */
async function jobPods(ns: string, job: string): Promise<string[]> {
  const out = await ok(['get', 'pods', '-n', ns, '-l', `batch.kubernetes.io/job-name=${job}`, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(' ').filter(Boolean).sort();
}

/** Waits for a Job's Complete condition; on a timeout, the Job and its pods' logs say why. */
async function waitComplete(ns: string, job: string, timeoutSeconds: number): Promise<void> {
  const r = await server.kubectl(['wait', '-n', ns, '--for=condition=Complete', `job/${job}`, `--timeout=${timeoutSeconds}s`]);
  if (r.code === 0) return;
  const describe = await server.kubectl(['describe', 'job', '-n', ns, job]);
  const logs = await Promise.all((await jobPods(ns, job)).map(async (p) => `--- ${p}\n${(await server.kubectl(['logs', '-n', ns, p, '--tail=20'])).stdout}`));
  throw new Error(`job ${ns}/${job} not Complete: ${r.stderr}\n${describe.stdout}\n${logs.join('\n')}`);
}

/** Runs the queue's redis-cli in the queue's pod (as the documentation's `kubectl exec`). */
async function redisCli(ns: string, pod: string, ...args: string[]): Promise<string> {
  return (await ok(['exec', '-n', ns, pod, '--', 'redis-cli', ...args])).trim();
}

/** A pod run to its end (kubectl run --restart=Never), as the documentation's temporary pods; its log. */
async function runToEnd(ns: string, name: string, image: string, command: string[]): Promise<string> {
  await ok(['run', name, '-n', ns, '--restart=Never', `--image=${image}`, '--image-pull-policy=IfNotPresent', '--command', '--', ...command]);
  const phase = await waitFor(
    `pod ${ns}/${name} to end`,
    async () => {
      const p = (await ok(['get', 'pod', '-n', ns, name, '-o', 'jsonpath={.status.phase}'])).trim();
      return p === 'Succeeded' || p === 'Failed' ? p : undefined;
    },
    60_000,
    250,
  );
  const log = await ok(['logs', '-n', ns, name]);
  if (phase !== 'Succeeded') throw new Error(`pod ${ns}/${name} ${phase}: ${log}`);
  return log;
}

/** The queue pod answers PING (redis-server listens a moment after its container starts). */
async function waitQueueUp(ns: string, pod: string): Promise<void> {
  await ok(['wait', '-n', ns, '--for=condition=Ready', `pod/${pod}`, '--timeout=60s']);
  await waitFor(`redis-server in ${ns}/${pod} to answer`, async () => (await redisCli(ns, pod, 'ping')) === 'PONG', 30_000, 250);
}

/** Every "Working on ITEM" line in the logs of a Job's pods, sorted. */
async function itemsWorkedOn(ns: string, job: string): Promise<{ items: string[]; logs: Map<string, string> }> {
  const logs = new Map<string, string>();
  for (const pod of await jobPods(ns, job)) logs.set(pod, await ok(['logs', '-n', ns, pod]));
  const items = [...logs.values()].flatMap((l) => [...l.matchAll(/^Working on (\S+)$/gm)].map((m) => m[1]!)).sort();
  return { items, logs };
}

beforeAll(async () => {
  // kube-proxy carries the kube-dns Service (10.96.0.10:53) to the DNS server on any port of the
  // bridge gateway: port 0, so this test does not need port 53 free. Without the DNS server the pods
  // get the host's resolvers and every name below fails: say so here rather than in three timeouts.
  server = await JobyardServer.start({ args: ['--proxy-mode', 'iptables', '--cluster-dns', '--cluster-dns-port', '0'] });
  await waitFor('the kube-dns Service (cluster DNS started)', async () => !server.logs().includes('cluster DNS not started') && (await server.kubectl(['get', 'service', '-n', 'kube-system', 'kube-dns'])).code === 0, 15_000, 250).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${server.logs()}`);
  });
  // kube-proxy is one per machine: while another jobyard server's holds the machine's lock, this
  // one waits, and 10.96.0.10 still leads to the other server's DNS. Wait for ours to be in charge.
  await waitFor('kube-proxy to hold the machine and write its rules', async () => server.logs().includes('kube-proxy (iptables) started'), 100_000, 250).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${server.logs()}`);
  });
}, 170_000);

afterAll(async () => {
  await server?.stop();
});

describe('the Kubernetes documentation\'s Job tasks on the real node', () => {
  it('Job with Pod-to-Pod Communication: the Indexed Job\'s pods reach each other by example-job-N.headless-svc and the Job completes', async () => {
    const ns = 'pod-to-pod';
    await ok(['create', 'namespace', ns]);
    // The documentation's manifest; busybox's sh and ping in place of bash:latest, and one line
    // more: each pod stays 10 s after its loop. A pod that has ended is in no EndpointSlice (as
    // upstream's ShouldPodBeInEndpoints), so its name goes at once; a peer that was still between
    // two tries (it sleeps 1 s) then never reaches it and loops for ever (seen here under load;
    // upstream's CoreDNS may answer from its cache for the record's 5 s TTL, jobyard's DNS caches nothing).
    const manifest = `apiVersion: v1
kind: Service
metadata:
  name: headless-svc
spec:
  clusterIP: None # clusterIP must be None to create a headless service
  selector:
    job-name: example-job # must match Job name
---
apiVersion: batch/v1
kind: Job
metadata:
  name: example-job
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      subdomain: headless-svc # has to match Service name
      restartPolicy: Never
      containers:
      - name: example-workload
        image: busybox:latest
        command:
        - sh
        - -c
        - |
          for i in 0 1 2
          do
            gotStatus="-1"
            wantStatus="0"
            while [ $gotStatus -ne $wantStatus ]
            do
              ping -c 1 example-job-\${i}.headless-svc > /dev/null 2>&1
              gotStatus=$?
              if [ $gotStatus -ne $wantStatus ]; then
                echo "Failed to ping pod example-job-\${i}.headless-svc, retrying in 1 second..."
                sleep 1
              fi
            done
            echo "Successfully pinged pod: example-job-\${i}.headless-svc"
          done
          sleep 10 # for peers still trying to reach this pod (see above)
`;
    await ok(['apply', '-n', ns, '-f', '-'], manifest);
    await waitComplete(ns, 'example-job', 90);

    const job = JSON.parse(await ok(['get', 'job', '-n', ns, 'example-job', '-o', 'json']));
    expect(job.status.succeeded).toBe(3);
    expect(job.status.failed ?? 0).toBe(0);
    expect(job.status.completedIndexes).toBe('0-2');
    const pods = await jobPods(ns, 'example-job');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      const log = await ok(['logs', '-n', ns, pod]);
      const pinged = [...log.matchAll(/^Successfully pinged pod: (\S+)$/gm)].map((m) => m[1]);
      expect(pinged, `${pod}:\n${log}`).toEqual(['example-job-0.headless-svc', 'example-job-1.headless-svc', 'example-job-2.headless-svc']);
    }
  }, 150_000);

  it('Coarse Parallel Processing Using a Work Queue: 8 items, completions 8, parallelism 2, each item processed once by one pod', async () => {
    const ns = 'wq-coarse';
    await ok(['create', 'namespace', ns]);
    // The queue: the documentation's Service (its StatefulSet as a Pod; Redis in place of RabbitMQ).
    const queue = `apiVersion: v1
kind: Service
metadata:
  labels:
    component: redis
  name: redis-service
spec:
  ports:
  - port: 6379
  selector:
    app.kubernetes.io/component: redis
---
apiVersion: v1
kind: Pod
metadata:
  name: redis
  labels:
    app.kubernetes.io/name: job-wq-1
    app.kubernetes.io/component: redis
spec:
  containers:
  - name: redis
    image: ${WORKQUEUE}
    imagePullPolicy: IfNotPresent
    command: ["redis-server", "--protected-mode", "no"]
    ports:
    - containerPort: 6379
`;
    await ok(['apply', '-n', ns, '-f', '-'], queue);
    await waitQueueUp(ns, 'redis');

    // Filling the queue from a temporary pod, through the Service's name, as the documentation does.
    const items = ['apple', 'banana', 'cherry', 'date', 'fig', 'grape', 'lemon', 'melon'];
    // (It waits for the Service to answer first: kube-proxy writes the new endpoint within its 1 s sync.)
    const pushed = await runToEnd(ns, 'temp', WORKQUEUE, ['sh', '-c', `until redis-cli -h redis-service ping; do sleep 0.2; done >/dev/null 2>&1; redis-cli -h redis-service rpush job1 ${items.join(' ')}`]);
    expect(pushed.trim()).toBe('8');

    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: job-wq-1
spec:
  completions: 8
  parallelism: 2
  template:
    metadata:
      name: job-wq-1
    spec:
      containers:
      - name: c
        image: ${WORKQUEUE}
        imagePullPolicy: IfNotPresent
        command: ["worker.py", "--one"]
        env:
        - name: REDIS_HOST
          value: redis-service
        - name: QUEUE
          value: job1
        - name: WORK_SECONDS
          value: "${WORK_SECONDS}"
      restartPolicy: OnFailure
`;
    await ok(['apply', '-n', ns, '-f', '-'], job);
    await waitComplete(ns, 'job-wq-1', 120);

    const status = JSON.parse(await ok(['get', 'job', '-n', ns, 'job-wq-1', '-o', 'jsonpath={.status}']));
    expect(status.succeeded).toBe(8);
    expect(await redisCli(ns, 'redis', 'llen', 'job1')).toBe('0');
    expect(await redisCli(ns, 'redis', 'llen', 'job1:processing')).toBe('0');
    const { items: worked, logs } = await itemsWorkedOn(ns, 'job-wq-1');
    expect(worked).toEqual([...items].sort());
    // One item per pod: the coarse example's unit of work.
    expect(logs.size).toBe(8);
    for (const [pod, log] of logs) expect(log.match(/^Working on /gm), `${pod}:\n${log}`).toHaveLength(1);
  }, 180_000);

  it('Fine Parallel Processing Using a Work Queue: 2 workers drain the redis Service\'s queue and the Job succeeds by the work-queue rule', async () => {
    const ns = 'wq-fine';
    await ok(['create', 'namespace', ns]);
    // redis-pod.yaml and redis-service.yaml of the documentation (Debian's redis-server).
    const redis = `apiVersion: v1
kind: Pod
metadata:
  name: redis-master
  labels:
    app: redis
spec:
  containers:
    - name: master
      image: ${WORKQUEUE}
      imagePullPolicy: IfNotPresent
      command: ["redis-server", "--protected-mode", "no"]
      env:
        - name: MASTER
          value: "true"
      ports:
        - containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  ports:
    - port: 6379
      targetPort: 6379
  selector:
    app: redis
`;
    await ok(['apply', '-n', ns, '-f', '-'], redis);
    await waitQueueUp(ns, 'redis-master');

    // The documentation's temporary pod: redis-cli -h redis, rpush job2 each item, lrange.
    const items = ['apple', 'banana', 'cherry', 'date', 'fig', 'grape', 'lemon', 'melon', 'orange'];
    const filled = await runToEnd(ns, 'temp', WORKQUEUE, ['sh', '-c', `until redis-cli -h redis ping; do sleep 0.2; done >/dev/null 2>&1; for i in ${items.join(' ')}; do redis-cli -h redis rpush job2 "$i" >/dev/null || exit 1; done; redis-cli -h redis lrange job2 0 -1`]);
    expect(filled.split('\n').filter(Boolean)).toEqual(items);

    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: job-wq-2
spec:
  parallelism: 2
  template:
    metadata:
      name: job-wq-2
    spec:
      containers:
      - name: c
        image: ${WORKQUEUE}
        imagePullPolicy: IfNotPresent
        command: ["worker.py"]
        env:
        - name: WORK_SECONDS
          value: "${WORK_SECONDS}"
      restartPolicy: OnFailure
`;
    await ok(['apply', '-n', ns, '-f', '-'], job);
    await waitComplete(ns, 'job-wq-2', 120);

    // The work-queue rule: no completions, so the Job is complete once a pod succeeded and all have ended.
    const status = JSON.parse(await ok(['get', 'job', '-n', ns, 'job-wq-2', '-o', 'jsonpath={.status}']));
    expect(status.succeeded).toBe(2);
    expect(status.active ?? 0).toBe(0);
    expect(await redisCli(ns, 'redis-master', 'llen', 'job2')).toBe('0');
    expect(await redisCli(ns, 'redis-master', 'llen', 'job2:processing')).toBe('0');
    const { items: worked, logs } = await itemsWorkedOn(ns, 'job-wq-2');
    expect(worked).toEqual([...items].sort());
    expect(logs.size).toBe(2);
    for (const [pod, log] of logs) expect(log, pod).toContain('Queue empty, exiting');
  }, 180_000);
});
