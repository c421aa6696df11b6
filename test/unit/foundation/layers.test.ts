/**
 * The layer rules are real: a wrong import under each layer fails lint (and so `npm test`).
 * Each case lints a small file at a path inside the layer, exactly as `eslint` would.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

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
