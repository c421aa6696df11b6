/**
 * The layer rules are real: a wrong import under each layer fails lint (and so `npm test`).
 * Each case lints a small file at a path inside the layer, exactly as `eslint` would, and reads
 * only the messages of the rule it proves. The order is in eslint.config.js and
 * docs/architecture.md: shared <- ports <- config <- secrets <- auth, demo <- app <- ipc, cli <-
 * index, window, preload, preview.
 */
import { describe, expect, it } from 'vitest';
import { ruleMessages } from './lint';

const restricted = (filePath: string, code: string) =>
  ruleMessages(filePath, code, 'no-restricted-imports');

/** [file, import] pairs: each import lands in a layer the file's layer may not import. */
const UPWARD: [string, string][] = [
  ['main/ports/injected.ts', "import { loadConfig } from '../config/load';"],
  ['main/ports/injected.ts', "import { KeyringSecretStore } from '../secrets/keyring-store';"],
  ['main/ports/injected.ts', "import { z } from 'zod';"],
  ['main/ports/injected.ts', "import { readFile } from 'node:fs/promises';"],
  ['main/config/injected.ts', "import { KeyringSecretStore } from '../secrets/keyring-store';"],
  ['main/config/injected.ts', "export { isSecureUrl } from '../auth/url-rules';"],
  ['main/secrets/injected.ts', "import type { IndexEntry } from '../auth/account-registry';"],
  ['main/secrets/injected.ts', "import { GatehouseCore } from '../app/core';"],
  ['main/auth/injected.ts', "import { GatehouseCore } from '../app/core';"],
  ['main/auth/injected.ts', "import { GatehouseCore } from '../../main/app/core';"],
  ['main/auth/providers/injected.ts', "import { APP_ORIGIN } from '../../app/window-policy';"],
  ['main/auth/session/injected.ts', "import { isTrustedSender } from '../../ipc/sender';"],
  ['main/auth/injected.ts', "import { runCli } from '../cli/main';"],
  ['main/demo/injected.ts', "import { KeyringSecretStore } from '../secrets/keyring-store';"],
  ['main/demo/injected.ts', "import { isSecureUrl } from '../auth/url-rules';"],
  ['main/app/injected.ts', "import { isTrustedSender } from '../ipc/sender';"],
  ['main/app/injected.ts', "import { runCli } from '../cli/main';"],
  ['main/app/injected.ts', "import { createWindow } from '../window';"],
  ['main/ipc/injected.ts', "import { EXIT } from '../cli/exit-codes';"],
  ['main/cli/injected.ts', "import { dispatch } from '../ipc/dispatch';"],
  ['main/cli/commands/injected.ts', "import { dispatch } from '../../ipc/dispatch';"],
  ['main/cli/injected.ts', "import '../index';"],
  ['main/ipc/injected.ts', "import '../preload/index';"],
  // The browser preview is a top-level entry beside index/window: nothing imports it.
  ['main/ipc/injected.ts', "import { startPreviewServer } from '../preview/server';"],
  ['main/index-injected.ts', "import { startPreviewServer } from './preview/server';"],
  ['main/preview/injected.ts', "import { createMainWindow } from '../window';"],
];

/** A static import of main/demo/ (oidc-provider with it) is refused everywhere. */
const STATIC_DEMO: [string, string][] = [
  [
    'main/auth/providers/registry-injected.ts',
    "import { startDemoServer } from '../../demo/demo-server';",
  ],
  ['main/auth/injected.ts', "export * from '../demo/demo-server';"],
  ['main/app/injected.ts', "import { startDemoServer } from '../demo/demo-server';"],
  ['main/cli/injected.ts', "import { startDemoServer } from '../demo/demo-server';"],
  ['main/window-injected.ts', "import { startDemoServer } from './demo/demo-server';"],
];

describe('the layer order', () => {
  it.each(UPWARD)('%s: %s is refused', async (file, line) => {
    expect(await restricted(file, `${line}\n`)).not.toHaveLength(0);
  });

  it.each(STATIC_DEMO)('%s: %s is refused', async (file, line) => {
    expect(await restricted(file, `${line}\n`)).not.toHaveLength(0);
  });

  it('main/auth/providers/demo.ts may not import main/demo/ statically either', async () => {
    const code =
      "import { startDemoServer } from '../../demo/demo-server';\nexport const s = startDemoServer;\n";
    const found = await ruleMessages(
      'main/auth/providers/demo.ts',
      code,
      '@typescript-eslint/no-restricted-imports',
    );
    expect(found).not.toHaveLength(0);
  });

  it.each([
    ['main/app/injected.ts', "export const load = () => import('../demo/demo-server');"],
    [
      'main/auth/providers/injected.ts',
      "export const load = () => import('../../demo/demo-server');",
    ],
    ['main/index-injected.ts', "export const load = () => import('./demo/demo-server');"],
  ])('%s: loading main/demo/ lazily is refused outside the demo provider', async (file, line) => {
    expect(await ruleMessages(file, `${line}\n`, 'no-restricted-syntax')).not.toHaveLength(0);
  });

  it('the demo provider loads main/demo/ lazily, and may name its types', async () => {
    const code = [
      "import type { DemoServer } from '../../demo/demo-server';",
      "export const load = (): Promise<DemoServer> => import('../../demo/demo-server').then((d) => d.startDemoServer({ clients: [] }));",
      '',
    ].join('\n');
    for (const ruleId of [
      'no-restricted-imports',
      '@typescript-eslint/no-restricted-imports',
      'no-restricted-syntax',
    ]) {
      expect(await ruleMessages('main/auth/providers/demo.ts', code, ruleId), ruleId).toEqual([]);
    }
  });

  it.each([
    ['main/ports/ok.ts', "import type { ErrorCode } from '../../shared/errors';"],
    ['main/ports/ok.ts', "import { GatehouseError } from './errors';"],
    ['main/config/ok.ts', "import { GatehouseError } from '../ports/errors';"],
    ['main/secrets/ok.ts', "import type { ProviderConfig } from '../config/schema';"],
    [
      'main/auth/providers/ok.ts',
      "import type { AccountIndex } from '../../secrets/account-index';",
    ],
    ['main/auth/providers/registry-ok.ts', "import { createDemoModule } from './demo';"],
    ['main/demo/ok.ts', "import type { DemoProviderConfig } from '../config/schema';"],
    ['main/demo/ok.ts', "import Provider from 'oidc-provider';"],
    ['main/app/ok.ts', "import { isSecureUrl } from '../auth/url-rules';"],
    ['main/ipc/ok.ts', "import { GatehouseCore } from '../app/core';"],
    ['main/cli/ok.ts', "import { GatehouseCore } from '../app/core';"],
    ['main/cli/main-ok.ts', "import { runCli } from './index';"],
    ['main/index-ok.ts', "import { registerIpc } from './ipc/register';"],
    ['main/preview/ok.ts', "import { dispatch } from '../ipc/dispatch';"],
  ])('%s: %s is allowed', async (file, line) => {
    expect(await restricted(file, `${line}\n`)).toEqual([]);
  });
});

describe('layer rules', () => {
  it.each([
    ['main/auth/injected.ts', "import 'electron';\n"],
    [
      'main/auth/providers/injected.ts',
      "import { shell } from 'electron';\nexport const s = shell;\n",
    ],
    [
      'main/secrets/injected.ts',
      "import { safeStorage } from 'electron';\nexport const s = safeStorage;\n",
    ],
    ['main/ipc/handlers-injected.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/config/injected.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/window-injected.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n"],
    [
      'renderer/src/injected.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    ],
    ['renderer/src/injected2.ts', "import fs from 'fs';\nexport const r = fs;\n"],
    [
      'renderer/src/injected3.ts',
      "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n",
    ],
    [
      'renderer/src/injected4.ts',
      "import { GatehouseCore } from '../../main/app/core';\nexport const c = GatehouseCore;\n",
    ],
    ['shared/injected.ts', "import { z } from 'zod';\nexport const s = z;\n"],
    [
      'shared/injected2.ts',
      "import { GatehouseError } from '../main/ports/errors';\nexport const e = GatehouseError;\n",
    ],
  ])('%s: a wrong import is refused', async (file, code) => {
    expect(await restricted(file, code)).not.toHaveLength(0);
  });

  it.each([
    [
      'main/auth/ok.ts',
      "import { createServer } from 'node:http';\nexport const c = createServer;\n",
    ],
    ['main/ipc/register.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n"],
    [
      'main/preload/index.ts',
      "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
    ],
    [
      'renderer/src/ok.tsx',
      "import { useState } from 'react';\nimport type { Result } from '../../shared/ipc';\nexport const u: [typeof useState, Result<number> | null] = [useState, null];\n",
    ],
    ['shared/ok.ts', "import type { ErrorCode } from './errors';\nexport type E = ErrorCode;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
