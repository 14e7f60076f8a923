import { defineConfig } from 'vitest/config';

// One project per test tier (see docs/architecture.md "Tests").
// unit: beside the code, no network, Docker or real time.
// integration: real API server + SQLite in process, simulated node.
// docker: the node agent against the real Docker engine.
// security: a real server attacked (auth bypass corpus, Pod Security, limits, fuzzer).
// e2e: the built `jobyard server` driven by kubectl, @kubernetes/client-node and Chromium.
/** Files that need jobyard's containerd and run no pod on Docker. */
const CRI_ONLY = ['agent/runtime/cri/**/*.docker.test.ts', 'agent/logs/cri-*.docker.test.ts'];

/** e2e files that start only servers without a real node; a new file runs in e2e-node unless listed. */
const E2E_WITHOUT_NODE = [
  'test/e2e-browser/config-pages.test.ts',
  'test/e2e-browser/create-cronjob.test.ts',
  'test/e2e-browser/create-job.test.ts',
  'test/e2e-browser/job-live.test.ts',
  'test/e2e-browser/sign-in.test.ts',
  'test/e2e-kubectl/api.test.ts',
  'test/e2e-kubectl/apply-upgrade-applyset.test.ts',
  'test/e2e-kubectl/auth.test.ts',
  'test/e2e-kubectl/client-node.test.ts',
  'test/e2e-kubectl/crd-garbage-collection.test.ts',
  'test/e2e-kubectl/crd-validation-rules.test.ts',
  'test/e2e-kubectl/crd.test.ts',
  'test/e2e-kubectl/disruption.test.ts',
  'test/e2e-kubectl/openapi-apply.test.ts',
  'test/e2e-kubectl/ops.test.ts',
  'test/e2e-kubectl/prune-default-allowlist.test.ts',
  'test/e2e-kubectl/restart.test.ts',
  'test/e2e-kubectl/server-side-apply.test.ts',
  'test/e2e-kubectl/service-accounts.test.ts',
  'test/e2e-kubectl/services.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{api,machinery,server,client,controllers,agent,dns,logs,clusters,cli,cmd}/**/*.test.ts'],
          exclude: ['**/*.docker.test.ts', 'node_modules/**', 'dist/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'web',
          root: 'web',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts', '**/*.docker.test.ts'],
          exclude: ['node_modules/**', 'dist/**', ...CRI_ONLY],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // What only the CRI runtime has, against jobyard's containerd (the runtime contract
          // included): no Docker sandbox, so it runs beside the docker tier.
          name: 'cri',
          include: CRI_ONLY,
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The attacker's view: a real `jobyard server` (and the real engine where a pod must
          // run) probed with encoded paths, foreign origins, privileged pods, deep bodies, fuzzing.
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The e2e files whose servers run no node (--no-agent, simulated nodes): no pod reaches
          // the container engine, so they run two at a time beside e2e-node.
          name: 'e2e',
          include: E2E_WITHOUT_NODE,
          testTimeout: 300_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          // Every other e2e file runs pods on the real engine: one at a time, beside the e2e
          // project. Docker 20.10 must not see two servers' sandboxes made and destroyed at once
          // (one server orders them: docker/sandboxes.ts), and kube-proxy and cluster DNS hold
          // the machine's iptables and port 53.
          name: 'e2e-node',
          include: ['test/e2e-*/**/*.test.ts'],
          exclude: E2E_WITHOUT_NODE,
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
