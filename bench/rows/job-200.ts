// 200 completions at parallelism 10 of `busybox true` on a real `jobyard server` (with its node
// agent on the Docker engine), POST → Complete seen by a watch; the same Job again on the same
// server with the first one's finished pods still there (--runs N: N Jobs in a row, each
// reported, with any pod left unfinished named). Reference in the same run: 200 × `docker run
// --rm busybox:1.36 true` at concurrency 10, after each of the first two Jobs. Then the Job
// once more on a fresh server with `--job-sync-batch-period 0`: upstream's Job controller waits
// 1 s (syncJobBatchPeriod) after a pod event before it syncs, so a finished pod's replacement
// comes on average half a second later; without it the figure is the node's own speed.
import { removeAgentContainers } from '../../test/support/jobyard-server.js';
import { dockerRunMany } from '../lib/docker.js';
import { jobManifest, podSummary, runJob } from '../lib/jobs.js';
import { type BenchRow, type Check, type Figure, ratioFigure } from '../lib/row.js';
import { BenchServer } from '../lib/server.js';

export const IMAGE = 'busybox:1.36';
const GOAL_RATIO = 1.05;

export const job200: BenchRow = {
  id: 'job-200',
  title: 'Job of busybox true, POST → Complete, vs docker run --rm',
  docker: true,
  async run(ctx) {
    const completions = ctx.size('job-completions', 200, 4);
    const parallelism = ctx.size('job-parallelism', 10, 2);
    const jobRuns = Math.max(2, ctx.runs);
    const timeoutMs = ctx.smoke ? 180_000 : 900_000;
    const server = await BenchServer.start({ build: ctx.build, args: ctx.serverArgs });
    const checks: Check[] = [];
    const runs: { seconds: number; complete: boolean; succeeded: number; stuck: string[] }[] = [];
    const dockerRuns: { seconds: number; failures: number }[] = [];
    try {
      const cs = server.clientset();
      for (let i = 1; i <= jobRuns; i++) {
        ctx.log(`job-200: jobyard run ${i}/${jobRuns}: ${completions} completions at parallelism ${parallelism}`);
        const name = `job-${completions}-${i}`;
        const r = await runJob(cs, 'default', jobManifest(name, { completions, parallelism, image: IMAGE }), timeoutMs);
        const pods = await podSummary(cs, 'default', name);
        const complete = !r.timedOut && r.job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') === true;
        runs.push({ seconds: r.seconds, complete, succeeded: r.job.status?.succeeded ?? 0, stuck: pods.stuck });
        checks.push(
          { name: `run ${i}: Complete`, ok: complete, detail: r.timedOut ? `timed out after ${timeoutMs / 1000} s; unfinished pods: ${pods.stuck.slice(0, 10).join('; ')}` : undefined },
          { name: `run ${i}: succeeded == completions`, ok: r.job.status?.succeeded === completions && pods.byPhase.Succeeded === completions, detail: `status.succeeded ${r.job.status?.succeeded}, pods ${JSON.stringify(pods.byPhase)}` },
        );
        if (i <= 2) {
          ctx.log(`job-200: docker run --rm × ${completions} at concurrency ${parallelism} (${i})`);
          const d = await dockerRunMany(completions, parallelism, IMAGE, ['true']);
          dockerRuns.push(d);
          checks.push({ name: `docker reference ${i}: every run exited 0`, ok: d.failures === 0, detail: `${d.failures} failed` });
        }
      }
    } finally {
      await server.stop({ keepDataDir: true });
      await removeAgentContainers(server.dataDir);
      await server.stop();
    }
    let unbatched: { seconds: number; complete: boolean } | undefined;
    const fresh = await BenchServer.start({ build: ctx.build, args: [...ctx.serverArgs, '--job-sync-batch-period=0'] });
    try {
      ctx.log(`job-200: jobyard with --job-sync-batch-period 0: ${completions} completions at parallelism ${parallelism}`);
      const name = `job-${completions}-unbatched`;
      const r = await runJob(fresh.clientset(), 'default', jobManifest(name, { completions, parallelism, image: IMAGE }), timeoutMs);
      const complete = !r.timedOut && r.job.status?.succeeded === completions && r.job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') === true;
      unbatched = { seconds: r.seconds, complete };
      checks.push({ name: 'run without batching: Complete, succeeded == completions', ok: complete, detail: `status.succeeded ${r.job.status?.succeeded}` });
    } finally {
      await fresh.stop({ keepDataDir: true });
      await removeAgentContainers(fresh.dataDir);
      await fresh.stop();
    }
    const ref = dockerRuns.reduce((a, d) => a + d.seconds, 0) / (dockerRuns.length || 1);
    const figures: Figure[] = runs.map((r, i) =>
      ratioFigure({
        name: `run ${i + 1}${i > 0 ? ` (${i * completions} finished pods present)` : ''}`,
        value: r.seconds,
        unit: 's',
        reference: { label: `docker run --rm ×${completions}, concurrency ${parallelism} (mean of ${dockerRuns.length})`, value: ref, unit: 's' },
        goal: { text: `≤ ${GOAL_RATIO}× docker`, met: r.complete && r.seconds <= GOAL_RATIO * ref },
      }),
    );
    if (runs.length >= 2) figures.push({ name: 'run 2 / run 1', value: runs[1]!.seconds / runs[0]!.seconds, unit: '×', goal: { text: 'no slower on the second run (≤ 1.0)', met: runs[1]!.seconds <= runs[0]!.seconds } });
    if (unbatched) {
      figures.push(
        ratioFigure({
          name: 'with --job-sync-batch-period 0 (where the rest goes)',
          value: unbatched.seconds,
          unit: 's',
          reference: { label: `docker run --rm ×${completions}, concurrency ${parallelism} (mean of ${dockerRuns.length})`, value: ref, unit: 's' },
        }),
      );
    }
    return {
      figures,
      checks,
      notes: [`server: ${ctx.build}, with its node agent; image ${IMAGE} (imagePullPolicy IfNotPresent); docker runs: ${dockerRuns.map((d) => d.seconds.toFixed(1)).join(', ')} s`],
      details: { completions, parallelism, runs, dockerRuns, unbatched },
    };
  },
};
