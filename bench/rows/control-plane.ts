// Control plane alone: a Job of 3,000 completions at parallelism 300 on one simulated node
// (`jobyard server --no-agent --simulated-nodes 1`: no containers, the in-process simulated
// kubelet reports each pod Running, then Succeeded at once: duration 0s). pods/s = completions /
// (Complete seen by a watch − the POST). The server's CPU% from /proc/<pid>/stat includes the
// simulated kubelet (same process; --cpu-prof gives its share); the load generator is this process.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jobManifest, podSummary, runJob } from '../lib/jobs.js';
import { cpuMeter, selfCpuMeter } from '../lib/measure.js';
import { describeShares, inclusiveShare, mainThreadProfile, summarizeProfile } from '../lib/profile.js';
import { type BenchRow, type Check, type Figure, ratioFigure } from '../lib/row.js';
import { BenchServer } from '../lib/server.js';
import { SYNC_JOB_BATCH_PERIOD_MS } from '../../controllers/job/index.js';

// Published, not measured here: the figures as issue 12 cites them (their pages could not be
// re-read offline; the project is https://kwok.sigs.k8s.io/, upstream's Job controller is
// kubernetes/kubernetes pkg/controller/job):
// - kwok: ≥ 83 pods/s.
// - upstream's Job controller at its default 50 QPS client limit: 42 pods/s.
export const KWOK_PUBLISHED_PODS_PER_S = 83;
export const UPSTREAM_JOB_CONTROLLER_PODS_PER_S = 42;
const GOAL_PODS_PER_S = 1000;

export const controlPlane: BenchRow = {
  id: 'control-plane',
  title: 'control plane alone: a Job on a simulated node',
  docker: false,
  async run(ctx) {
    const completions = ctx.size('cp-completions', 3000, 60);
    const parallelism = ctx.size('cp-parallelism', 300, 20);
    const profileDir = ctx.profileDir ? join(ctx.profileDir, 'control-plane') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const server = await BenchServer.start({
      build: ctx.build,
      args: ['--no-agent', '--simulated-nodes', '1', ...ctx.serverArgs],
      nodeFlags: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    });
    const notes = [`server: ${ctx.build}, --no-agent --simulated-nodes 1; pods run 0 s (simulated.jobyard.io/duration: 0s)`];
    let details: Record<string, unknown> = {};
    const checks: Check[] = [];
    const figures: Figure[] = [];
    try {
      const cs = server.clientset();
      const serverCpu = cpuMeter(server.proc.pid!);
      const selfCpu = selfCpuMeter();
      ctx.log(`control-plane: ${completions} completions at parallelism ${parallelism}`);
      const r = await runJob(cs, 'default', jobManifest('control-plane', { completions, parallelism, simulated: { duration: '0s' } }), 600_000);
      const serverPct = serverCpu();
      const selfPct = selfCpu();
      const pods = await podSummary(cs, 'default', 'control-plane');
      const rate = completions / r.seconds;
      figures.push(
        ratioFigure({ name: `${completions} completions at parallelism ${parallelism}`, value: rate, unit: 'pods/s', reference: { label: 'kwok (published)', value: KWOK_PUBLISHED_PODS_PER_S, unit: 'pods/s', published: true }, goal: { text: `≥ ${GOAL_PODS_PER_S} pods/s`, met: rate >= GOAL_PODS_PER_S } }),
        ratioFigure({ name: 'vs upstream Job controller at 50 QPS', value: rate, unit: 'pods/s', reference: { label: 'upstream, 50 QPS (published)', value: UPSTREAM_JOB_CONTROLLER_PODS_PER_S, unit: 'pods/s', published: true } }),
        // Upstream's Job controller syncs a Job at most once per syncJobBatchPeriod under a stream of
        // pod events (enqueueSyncJobBatched), and each sync replaces at most `parallelism` finished
        // pods: parallelism / period is the most any faithful Job controller can do here.
        ratioFigure({ name: 'vs the Job controller\'s own bound (parallelism / syncJobBatchPeriod)', value: rate, unit: 'pods/s', reference: { label: `${parallelism} / ${SYNC_JOB_BATCH_PERIOD_MS / 1000} s`, value: parallelism / (SYNC_JOB_BATCH_PERIOD_MS / 1000), unit: 'pods/s' } }),
        { name: 'server CPU (one core = 100 %)', value: serverPct, unit: '%' },
        { name: 'load generator CPU', value: selfPct, unit: '%' },
      );
      checks.push(
        { name: 'Job Complete', ok: !r.timedOut && r.job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') === true, detail: r.timedOut ? 'timed out' : undefined },
        { name: 'succeeded == completions', ok: r.job.status?.succeeded === completions, detail: `succeeded ${r.job.status?.succeeded}` },
        { name: 'Succeeded pods == completions', ok: pods.byPhase.Succeeded === completions, detail: JSON.stringify(pods.byPhase) },
      );
      details = { seconds: r.seconds, completions, parallelism, serverCpuPct: serverPct, loadGeneratorCpuPct: selfPct, pods: pods.byPhase, stuck: pods.stuck.slice(0, 20) };
    } finally {
      await server.stop();
    }
    if (profileDir) {
      const prof = mainThreadProfile(profileDir);
      if (prof) {
        const s = summarizeProfile(prof);
        notes.push(`server CPU profile (${prof}): ${describeShares(s.shares)}`);
        const simulated = s.shares.find(([k]) => k === 'agent/simulated/')?.[1] ?? 0;
        const idle = s.shares.find(([k]) => k === '(idle)')?.[1] ?? 0;
        const inclusive = inclusiveShare(prof, '/agent/simulated/');
        notes.push(`simulated kubelet: ${((simulated / (1 - idle || 1)) * 100).toFixed(1)} % of the server's busy time in its own code, ${(inclusive * 100).toFixed(1)} % with what it calls synchronously`);
        details.profile = { path: prof, shares: Object.fromEntries(s.shares), simulatedKubeletSelfShareOfBusy: simulated / (1 - idle || 1), simulatedKubeletInclusiveShareOfBusy: inclusive };
      }
    }
    return { figures, checks, notes, details };
  },
};
