// Lint, including the layer and size rules the build enforces: an upward import, a module cycle,
// a file over 350 lines or a function over 60 lines in main/ fails `npm test`. The layer order,
// lowest first (docs/architecture.md explains it):
//   shared <- ports <- config <- secrets <- auth, demo <- app <- ipc, cli <- index, window, preload,
//   preview
// Each folder imports itself, shared/ and the folders below it. main/preview/ (`npm run preview`,
// run with tsx, never packaged) sits beside the Electron entry; nothing imports it. The demo identity provider is
// loaded only by main/auth/providers/demo.ts, with import(). The renderer imports React, shared/
// and itself. Only main/ipc/register.ts and main/preload/ touch ipcMain/ipcRenderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

/** The main/ folders, lowest first; folders of equal rank may not import each other. */
const MAIN_ORDER = [['ports'], ['config'], ['secrets'], ['auth', 'demo'], ['app'], ['ipc', 'cli']];
/** The entry points (main/index.ts, main/window.ts, main/preload/, main/preview/), above all. */
const ENTRY = ['index', 'window', 'preload', 'preview'];
/** Deepest folder nesting below main/<folder>/ that the per-depth patterns cover. */
const MAX_DEPTH = 6;

const NO_IPC = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only main/ipc/register.ts and main/preload/ touch IPC.',
};
const NO_ELECTRON = {
  name: 'electron',
  message: 'This layer runs under plain Node (tests, command line): no electron.',
};

/** The main/ folders and entry points that `folder` may not import statically. */
function forbiddenFor(folder) {
  // The browser preview runs under plain Node, beside the Electron entry, never inside it.
  if (folder === 'preview') return ['demo', ...ENTRY.filter((name) => name !== 'preview')];
  if (folder === 'entry' || folder === 'preload') return ['demo', 'preview'];
  const rank = MAIN_ORDER.findIndex((names) => names.includes(folder));
  const notBelow = MAIN_ORDER.slice(rank).flat();
  // The demo identity provider needs only shared/, ports/ and config/.
  const extra = folder === 'demo' ? ['secrets'] : ['demo'];
  return [...new Set([...notBelow, ...extra, ...ENTRY])].filter((name) => name !== folder);
}

/**
 * An import, written from a file `depth` folders below main/, that lands in one of `names`
 * (directly, or through the repository root as ../main/<name>). Depth-exact, so a folder's own
 * ./index or ./demo is never mistaken for main/index.ts or main/demo/.
 */
function landsIn(names, depth) {
  const up = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`;
  return `^${up}(\\.\\./main/)?(${names.join('|')})(/|\\.[cm]?[jt]sx?$|$)`;
}

function layerBlock(folder, depth, files, electron, forbidden = forbiddenFor(folder)) {
  const where = folder === 'entry' ? 'The Electron entry' : `main/${folder}/`;
  const patterns = [
    {
      regex: landsIn(forbidden, depth),
      message: `${where} may not import main/{${forbidden.join(',')}} (docs/architecture.md).`,
    },
  ];
  if (folder === 'ports') {
    patterns.push({
      regex: `^(?!\\./|(\\.\\./){${depth + 1}}shared/)`,
      message: 'main/ports/ holds neutral types: it imports only shared/ and itself.',
    });
  }
  const options = { ...(electron ? { paths: [electron] } : {}), patterns };
  return { files, rules: { 'no-restricted-imports': ['error', options] } };
}

/** One setting per (folder, depth): flat config replaces a rule's options, it does not merge them. */
function mainLayerRules() {
  const blocks = [layerBlock('entry', 0, ['main/*.ts'], NO_IPC)];
  for (const folder of [...MAIN_ORDER.flat(), 'preload', 'preview']) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const files = [`main/${folder}/${'*/'.repeat(depth - 1)}*.ts`];
      blocks.push(layerBlock(folder, depth, files, folder === 'preload' ? null : NO_ELECTRON));
    }
  }
  // register.ts is the one IPC file that is Electron by design.
  blocks.push(layerBlock('ipc', 1, ['main/ipc/register.ts'], null));
  // The demo provider module loads main/demo/ with import(); `import type` is erased, so allowed.
  const notDemo = forbiddenFor('auth').filter((name) => name !== 'demo');
  const demoLoader = layerBlock('auth', 2, ['main/auth/providers/demo.ts'], NO_ELECTRON, notDemo);
  demoLoader.rules['@typescript-eslint/no-restricted-imports'] = [
    'error',
    {
      patterns: [
        {
          regex: landsIn(['demo'], 2),
          allowTypeImports: true,
          message: 'main/demo/ is loaded with import(), so oidc-provider loads only when used.',
        },
      ],
    },
  ];
  blocks.push(demoLoader);
  return blocks;
}

export const LAYER_RULES = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'shared/ imports only shared/.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer never touches electron; use renderer/src/api.ts.',
            },
          ],
          patterns: [
            { regex: '^node:', message: 'No Node in the renderer.' },
            {
              regex: `^(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/|$)`,
              message: 'No Node in the renderer.',
            },
            {
              regex: '(^|/)main(/|$)',
              message: 'The renderer may import shared/ and its own files only.',
            },
            {
              regex: '^(?!\\.|react$|react-dom($|/)|react/jsx-runtime$)',
              message: 'The renderer imports React, shared/ and its own files only.',
            },
          ],
        },
      ],
    },
  },
  ...mainLayerRules(),
  {
    // The demo identity provider (and oidc-provider with it) loads only when a demo provider is used.
    files: ['main/**/*.ts'],
    ignores: ['main/auth/providers/demo.ts', 'main/demo/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportExpression[source.value=/^(\\.\\.\\W)+(main\\W)?demo(\\W|$)|^\\.\\Wdemo\\W/]',
          message: 'Only main/auth/providers/demo.ts loads main/demo/.',
        },
      ],
    },
  },
  {
    // Module cycles, through the TypeScript resolver; type-only imports do not count. maxDepth
    // bounds the walk (lint time); no chain in main/ comes near 12 modules.
    files: ['main/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.main.json', 'tsconfig.preload.json', 'tsconfig.renderer.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true, maxDepth: 12 }] },
  },
  {
    // Sizes: one file, one job; one function, one step (blank lines and comments not counted).
    files: ['main/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 350, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
      'build/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The app never prints to stdout: the command line writes through its io object.
    files: ['main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: { 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        Buffer: 'readonly',
        globalThis: 'readonly',
        URLSearchParams: 'readonly',
        Headers: 'readonly',
        Request: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...LAYER_RULES,
);
