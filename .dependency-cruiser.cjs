// Import rules of jobyard (docs/architecture.md "Parts and the one-way imports", README "Layout").
// Imports flow one way: api <- machinery <- {server, client} <- {controllers, agent, dns,
// logs, clusters, cli} <- cmd. The console (web/) is a separate app that may use
// api/ wire types and nothing else of ours but the few machinery/ files it shares (below).
//
// Each rule names the folder it constrains ("from") and forbids every folder of ours
// that is not on its allow-list ("to"). Run with `npm run lint:deps` (server side)
// and `npm run lint:deps -- web` (adds the console); scripts/test.sh runs both.

/** machinery/ files the console bundles too: each imports nothing. */
const SHARED_WITH_CONSOLE = '^machinery/(human-readable|error-message)\\.ts$';

/** Every top-level folder of ours that holds code. */
const OURS = ['api', 'machinery', 'server', 'client', 'controllers', 'agent', 'dns', 'logs', 'clusters', 'cli', 'cmd', 'web', 'test', 'scripts', 'bin'];

/**
 * A rule: code under `from` may import only the folders in `allowed` (and itself,
 * and npm packages / Node built-ins).
 */
function onlyImports(from, allowed) {
  const forbidden = OURS.filter((dir) => dir !== from && !allowed.includes(dir));
  return {
    name: `${from}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
    comment: allowed.length
      ? `${from}/ may import only ${allowed.map((d) => `${d}/`).join(', ')} of ours.`
      : `${from}/ imports nothing of ours.`,
    severity: 'error',
    from: { path: `^${from}/` },
    to: { path: `^(${forbidden.join('|')})/` },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    onlyImports('api', []),
    onlyImports('machinery', ['api']),
    onlyImports('server', ['api', 'machinery']),
    onlyImports('client', ['api', 'machinery']),
    onlyImports('controllers', ['api', 'machinery', 'client']),
    onlyImports('agent', ['api', 'machinery', 'client']),
    onlyImports('dns', ['api', 'machinery', 'client']),
    onlyImports('logs', ['api', 'machinery', 'client']),
    onlyImports('clusters', ['api', 'machinery', 'client']),
    onlyImports('cli', ['api', 'machinery', 'client']),
    // cmd/ wires everything together: no rule.
    // The exceptions: machinery/human-readable.ts, durations and byte counts as kubectl prints them,
    // so the console and kubectl's tables print the same "2m30s" and "1.5Ki", and
    // machinery/error-message.ts, the text of a thrown value (both import nothing themselves).
    {
      ...onlyImports('web', ['api']),
      comment: 'web/ may import only api/ (types) and the machinery/ files shared with the console.',
      to: { path: `^(${OURS.filter((d) => d !== 'web' && d !== 'api').join('|')})/`, pathNot: SHARED_WITH_CONSOLE },
    },
    {
      name: 'shared-with-console-imports-nothing',
      comment: 'The machinery/ files the console bundles import nothing.',
      severity: 'error',
      from: { path: SHARED_WITH_CONSOLE },
      to: { path: '.' },
    },
    {
      name: 'web-imports-only-types-from-api',
      comment: 'The console uses api/ for its types only (import type), never runtime code of ours.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles through runtime imports (they break ES module initialisation order).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-type-only',
      comment:
        'A cycle that closes only through `import type` is erased at run time, so it warns instead of failing; ' +
        'move the shared type to the lower module to clear it.',
      severity: 'warn',
      from: {},
      to: { circular: true, via: { dependencyTypes: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo would otherwise slip past the folder rules).',
      severity: 'error',
      from: { path: `^(${OURS.join('|')})/` },
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-test-code',
      comment: 'Production code never imports tests or test support.',
      severity: 'error',
      from: { path: '^(api|machinery|server|client|controllers|agent|dns|logs|clusters|cli|cmd)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '(\\.test\\.tsx?$|^test/)' },
    },
    {
      name: 'not-to-testing',
      comment:
        'Production code never imports a testing/ folder (fakes, fixtures, contract suites): only tests and other ' +
        'testing/ code do, and tsconfig.build.json leaves testing/ out of dist/.',
      severity: 'error',
      from: { path: '^(api|machinery|server|client|controllers|agent|dns|logs|clusters|cli|cmd)/', pathNot: '(\\.test\\.tsx?$|(^|/)testing/)' },
      to: { path: '(^|/)testing/' },
    },
    {
      name: 'runtime-through-its-entries',
      comment:
        'Outside agent/runtime/, the container runtime is used through its entries only: index.ts (the CRI-shaped ' +
        'services), docker/index.ts (the Docker engine), cri/index.ts (a CRI runtime: containerd) and testing/index.ts (fake and contract suite).',
      severity: 'error',
      from: { path: '^(api|machinery|server|client|controllers|agent|dns|logs|clusters|cli|cmd)/', pathNot: '^agent/runtime/' },
      to: { path: '^agent/runtime/', pathNot: '^agent/runtime/(docker/|cri/|testing/)?index\\.ts$' },
    },
    {
      name: 'simulated-nodes-only-as-a-client',
      comment: 'agent/simulated/ plays the kubelet as an API client (api, machinery, client): never the runtime or the real kubelet.',
      severity: 'error',
      from: { path: '^agent/simulated/' },
      to: { path: '^(agent|server|controllers|logs|clusters|cli|cmd)/', pathNot: '^agent/simulated/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Our imports are NodeNext style (`./x.js` for `./x.ts`): TypeScript resolves them.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
