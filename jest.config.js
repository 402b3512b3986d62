/**
 * Three tiers, as Jest projects, by what a test needs:
 * - unit: nothing but the code — no Temporal, no PostgreSQL, no process of the app, no browser.
 *   No global setup: `npm run test:unit` answers in seconds on any machine.
 * - system: the built processes, browsers and faults (test/e2e, test/faults).
 * - integration: everything else — a real Temporal dev server and PostgreSQL, started once for
 *   the run by test/setup/global-setup.ts.
 * `npm test` runs all three. A test that needs the servers but sits in the unit tier fails at
 * once: the helpers that reach them throw when the global setup has not run.
 *
 * @type {import('jest').Config}
 */

// As in production: workers run in UTC (test files run in processes forked from this one).
process.env.TZ = 'UTC';

// Regular expressions over a test file's path.
const UNIT = ['/test/(flow|flowtest|engine|widgets|web|unit|lint)/.*\\.test\\.ts$', '/test/workflows/bundle\\.test\\.ts$', '/test/bad-input/(flow-validator|liquid)\\.property\\.test\\.ts$'];
const SYSTEM = ['/test/(e2e|faults)/.*\\.test\\.ts$'];

const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
};
// One Temporal dev server and one PostgreSQL for the whole run: the setup is shared by the two
// tiers that need them and starts them once (see global-setup.ts).
const servers = { globalSetup: '<rootDir>/test/setup/global-setup.ts', globalTeardown: '<rootDir>/test/setup/global-teardown.ts' };
const either = (patterns) => `(${patterns.join('|')})`;

module.exports = {
  testTimeout: 60_000,
  // Two cores: each test file may bundle workflows and run a worker.
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testRegex: either(UNIT) },
    { ...base, ...servers, displayName: 'integration', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...UNIT, ...SYSTEM] },
    { ...base, ...servers, displayName: 'system', testRegex: either(SYSTEM) },
  ],
};
