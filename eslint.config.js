// Lint, including the layer rules the build enforces (a wrong import fails `npm test`):
//   shared/ imports only shared/; renderer/ imports shared/, React and itself (no electron, no
//   node:*); main/auth, main/secrets, main/config, main/app, main/cli and the IPC handler table
//   never import electron; only main/ipc/register.ts and main/preload/ touch ipcMain/ipcRenderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

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
  {
    files: ['main/**/*.ts'],
    ignores: ['main/ipc/register.ts', 'main/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Only main/ipc/register.ts and main/preload/ touch IPC.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'main/auth/**/*.ts',
      'main/secrets/**/*.ts',
      'main/config/**/*.ts',
      'main/app/**/*.ts',
      'main/cli/**/*.ts',
      'main/ipc/**/*.ts',
    ],
    // register.ts is the one IPC file that is Electron by design.
    ignores: ['main/ipc/register.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'This layer runs under plain Node (tests, command line): no electron.',
            },
          ],
          patterns: [
            {
              regex: '^(\\.\\./)+(main/)?(window|index)$',
              message: 'Electron-free layers may not import the Electron entry or window.',
            },
          ],
        },
      ],
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
