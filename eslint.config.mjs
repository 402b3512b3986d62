// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The pure core (flow model, engine, widgets) and the workflow code run inside Temporal's
 * deterministic sandbox and, later, in the browser editor. Node built-ins and Node-only
 * modules there would either break the workflow bundle or silently become empty stubs.
 */
const PURE_CORE = ['workflows/**/*.ts', 'src/flow/**/*.ts', 'src/engine/**/*.ts', 'src/widgets/**/*.ts'];

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]))];

const nodeOnlyPackages = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@temporalio/core-bridge',
  'express',
  'twilio',
  'twilio/*',
  'better-sqlite3',
  'pg',
  'kysely',
  'pino',
  'undici',
  'ipaddr.js',
];

// Relative imports name these as `../store/x` (from src/engine) or `../src/store/x` (from workflows/).
const nodeOnlyFolders = ['api', 'channels', 'store', 'temporal', 'config', 'logger', 'roles', 'main', 'net', 'services', 'flowtest', 'cli', 'cluster'].flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);

/**
 * A relative import of the sibling folder `name` of src/ (a regular expression): from files
 * `depth` folders below src/ when given (so that src/flow/lint's `../widgets`, its own
 * src/flow/widgets, is not src/widgets), else from any depth.
 */
function layer(name, message, depth) {
  return { regex: `^(\\.\\./)${depth ? `{${depth}}` : '+'}${name}(/|$)`, message };
}

/** The pure core's import rules for `files`, with `extra` patterns (later blocks replace a rule's options, so each block has all). */
function pureCoreImports(files, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((m) => !m.endsWith('/*')).map((name) => ({
            name,
            message: 'Node built-ins are not allowed in workflow code or the pure core (src/flow, src/engine, src/widgets).',
          })),
          patterns: [
            { group: nodeBuiltins.filter((m) => m.endsWith('/*')), message: 'Node built-ins are not allowed here.' },
            { group: nodeOnlyPackages, message: 'Node-only packages are not allowed in workflow code or the pure core.' },
            { group: nodeOnlyFolders, message: 'The pure core must not depend on Node-only project code.' },
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflow code may import only types from activities/.',
            },
            ...extra,
          ],
        },
      ],
    },
  };
}

/** The editor's import rules for its files `depth` folders below web/src (1: web/src/main.tsx). */
function editorImports(depth) {
  const root = '\\.\\./'.repeat(depth + 1);
  const files = ['ts', 'tsx'].map((ext) => `web/src/${'*/'.repeat(depth - 1)}*.${ext}`);
  return {
    files,
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((m) => !m.endsWith('/*')).map((name) => ({ name, message: 'The editor runs in the browser: no Node built-ins.' })),
          patterns: [
            { group: nodeBuiltins.filter((m) => m.endsWith('/*')), message: 'The editor runs in the browser: no Node built-ins.' },
            { group: nodeOnlyPackages, message: 'Node-only packages cannot run in the browser.' },
            {
              regex: `^${root}(src/(?!flow(/|$))|src$|workflows(/|$)|activities(/|$)|(\\.\\./)+)`,
              message: 'The editor may import only the pure flow core (src/flow) of the server code.',
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tools/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Plain JS config and helper scripts: Node globals, no type information.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node, sourceType: 'module' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // The package's command (`bin`): plain CommonJS Node, so it runs before anything is compiled.
    files: ['bin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: PURE_CORE,
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'setImmediate', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: `${name} is Node-only and does not exist in the workflow sandbox.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness must come from the engine host (deterministic).' },
        { object: 'Date', property: 'now', message: 'Time must come from the engine host (deterministic).' },
      ],
    },
  },
  // Imports, per folder: the pure core's rules, and the layers below which each part stays.
  pureCoreImports(['workflows/**/*.ts', 'src/widgets/**/*.ts']),
  // src/flow has its own widgets/ folder: the layers are told apart by how far up an import goes.
  ...[1, 2].map((depth) =>
    pureCoreImports(
      [`src/flow/${'*/'.repeat(depth - 1)}*.ts`],
      [layer('engine', 'src/flow is the Flow JSON contract: it never imports the engine.', depth), layer('widgets', 'src/flow never imports the widget behaviours (src/widgets).', depth)],
    ),
  ),
  pureCoreImports(['src/engine/**/*.ts'], [layer('widgets', 'The engine never imports widgets: the registry is handed to it.')]),
  {
    files: ['src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('events', 'The store never imports Event Streams: it is handed what it must ask (e.g. a SinkFilter).')] }] },
  },
  {
    // Infrastructure the application layers use: it never reaches up into them.
    files: ['src/events/**/*.ts', 'src/observability/**/*.ts', 'src/faults/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer('(api|services|roles|main|temporal)', 'Event Streams, observability and failpoints never import the layers that use them (api, services, roles, main, temporal).')] },
      ],
    },
  },
  // The editor runs in the browser: no Node built-ins, no server code; of the project it may
  // use only the pure flow core, which is what keeps its forms and checks the engine's own.
  // One block per depth, so a relative path that climbs to the project root is caught however deep the file is.
  ...[1, 2, 3, 4, 5, 6].map(editorImports),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
