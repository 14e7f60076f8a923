// CronJobs end to end with kubectl against a real `jobyard server` (controllers and the node
// agent on Docker): a schedule of every minute runs real Jobs; kubectl shows the CronJob's
// last schedule; a manual run from the CronJob; deleting the CronJob deletes its Jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

let server: JobyardServer;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

interface JobView {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  status?: { succeeded?: number };
}

async function jobsOf(cronJob: string): Promise<JobView[]> {
  const list = JSON.parse(await ok(['get', 'jobs', '-o', 'json'])) as { items: JobView[] };
  return list.items.filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === cronJob && o.controller));
}

beforeAll(async () => {
  server = await JobyardServer.start();
});

afterAll(async () => {
  await server?.stop();
});

describe('CronJobs', () => {
  it('runs a Job at the next minute from kubectl create cronjob, and kubectl shows when it last ran', async () => {
    expect(await ok(['create', 'cronjob', 'tick', '--image=busybox:latest', '--schedule=* * * * *', '--', 'sh', '-c', 'echo tick from $(hostname)'])).toBe('cronjob.batch/tick created\n');
    const cj = JSON.parse(await ok(['get', 'cronjob', 'tick', '-o', 'json']));
    expect(cj.spec).toMatchObject({ schedule: '* * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });

    // The first run is at the next minute boundary: at most a minute away.
    const [job] = await waitFor('the first Job of the CronJob', async () => {
      const jobs = await jobsOf('tick');
      return jobs.length > 0 ? jobs : undefined;
    }, 90_000, 1000);
    const scheduled = job!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '';
    expect(scheduled).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(job!.metadata.name).toBe(`tick-${Date.parse(scheduled) / 60_000}`);
    await ok(['wait', '--for=condition=complete', `job/${job!.metadata.name}`, '--timeout=120s']);
    expect(await ok(['logs', `job/${job!.metadata.name}`])).toMatch(/^tick from tick-\d+-\w+\n$/);

    const status = await waitFor('lastSuccessfulTime on the CronJob', async () => {
      const s = JSON.parse(await ok(['get', 'cronjob', 'tick', '-o', 'json'])).status as { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[] };
      return s.lastSuccessfulTime ? s : undefined;
    }, 60_000, 1000);
    expect(Date.parse(status.lastScheduleTime!)).toBeGreaterThanOrEqual(Date.parse(scheduled));
    const table = (await ok(['get', 'cronjob', 'tick'])).split('\n');
    expect(table[0]!.split(/\s{2,}/)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(table[1]).toMatch(/^tick\s+\* \* \* \* \*\s+<none>\s+False\s+\d\s+\d+s\s+\S+$/);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=CronJob,involvedObject.name=tick', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    expect(events.split('\n')).toEqual(expect.arrayContaining(['SuccessfulCreate', 'SawCompletedJob']));
  });

  it('runs a CronJob now with kubectl create job --from, and deleting the CronJob deletes its Jobs', async () => {
    await ok(['patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}']);
    expect(await ok(['create', 'job', 'tick-by-hand', '--from=cronjob/tick'])).toBe('job.batch/tick-by-hand created\n');
    await ok(['wait', '--for=condition=complete', 'job/tick-by-hand', '--timeout=120s']);
    expect((await jobsOf('tick')).map((j) => j.metadata.name)).toContain('tick-by-hand');
    expect(await ok(['delete', 'cronjob', 'tick'])).toBe('cronjob.batch "tick" deleted\n');
    await waitFor('the CronJob’s Jobs deleted with it', async () => ((await jobsOf('tick')).length === 0 ? true : undefined), 60_000, 1000);
  });
});
