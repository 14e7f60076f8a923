import { defineConfig } from 'vitest/config';

// One project per test tier (see docs/architecture.md "Tests").
// unit: beside the code, no network, Docker or real time.
// integration: real API server + SQLite in process, simulated node.
// docker: the node agent against the real Docker engine.
// security: a real server attacked (auth bypass corpus, Pod Security, limits, fuzzer).
// e2e: the built `jobyard server` driven by kubectl, @kubernetes/client-node and Chromium.
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
          exclude: ['node_modules/**', 'dist/**'],
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
          name: 'e2e',
          include: ['test/e2e-*/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
