/**
 * `npm start` without Electron's binary (scripts/start.mjs): one paragraph that says what is
 * missing, names the ways to get it and the command line that works without it, then a non-zero
 * exit with no stack trace. The script checks before it builds, so each run takes a moment.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/cli.js';

const NETWORK_GUARD = path.join(ROOT, 'test', 'support', 'network-guard.cjs');
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
// An empty folder: electron's index.js would answer <folder>/electron without checking it.
const emptyDist = mkdtempSync(path.join(tmpdir(), 'gh-no-electron-'));
const binaryInstalled = existsSync(path.join(ROOT, 'node_modules', 'electron', 'path.txt'));

afterAll(() => rmSync(emptyDist, { recursive: true, force: true }));

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], override: string | undefined): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Nothing may reach the internet, not even npm's update check.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(NETWORK_GUARD)}`,
    npm_config_update_notifier: 'false',
  };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined) env.ELECTRON_OVERRIDE_DIST_PATH = override;
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 20_000,
    shell: command === 'npm' && process.platform === 'win32',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function expectExplained({ code, output }: Run): void {
  expect(code, output).not.toBeNull();
  expect(code, output).not.toBe(0);
  expect(output).toContain('npm run electron:install');
  expect(output).toContain('ELECTRON_OVERRIDE_DIST_PATH');
  expect(output).toContain('npm run build:main && npx gatehouse sign-in demo');
  expect(output).not.toMatch(STACK_FRAME);
  expect(output).not.toMatch(/TypeError|fetch failed/);
  // It stopped before the build (npm prints "> gatehouse@<version> build" for one).
  expect(output).not.toMatch(/> gatehouse@\S+ build/);
}

describe('npm start without the Electron binary', () => {
  it('explains what is missing when ELECTRON_OVERRIDE_DIST_PATH names an empty folder', () => {
    const result = run(process.execPath, ['scripts/start.mjs'], emptyDist);
    expectExplained(result);
    expect(result.output).toContain(emptyDist);
    expect(result.output).toContain('ELECTRON_MIRROR');
  });

  it('says the same through npm itself', () => {
    const result = run('npm', ['start'], emptyDist);
    expectExplained(result);
  });

  it.skipIf(binaryInstalled)(
    'explains a fresh clone, where the binary was never downloaded',
    () => {
      const result = run(process.execPath, ['scripts/start.mjs'], undefined);
      expectExplained(result);
      expect(result.output).toContain('never downloaded');
    },
  );
});
