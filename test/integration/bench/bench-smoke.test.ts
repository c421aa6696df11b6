/**
 * A smoke run of `npm run bench` (bench/run.ts --n 2, every loop run twice): each row from P1 to
 * P9 prints a figure. The targets are not judged here, since the figures depend on the machine;
 * docs/performance.md quotes a full run. Needs the built app (npm test builds first), Chromium
 * for P3 and the real keychain; all traffic stays on 127.0.0.1 (the network guard is loaded).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ensureCliBuilt } from '../../support/cli';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('bench-smoke');
const NETWORK_GUARD = path.join(ROOT, 'test', 'support', 'network-guard.cjs');
const ROWS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'];

function runBench(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(NETWORK_GUARD)}`.trim();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The table's body rows as [id, measure, result]. */
function tableRows(stdout: string): Array<{ id: string; measure: string; value: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| # '))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, id, measure, value]) => ({ id: id!, measure: measure!, value: value! }));
}

describe.skipIf(!keyring)('npm run bench, smoke run', () => {
  it('prints every row from P1 to P9, each with a number', async () => {
    ensureCliBuilt();
    expect(existsSync(path.join(ROOT, 'dist', 'renderer')), 'dist/renderer: npm run build').toBe(
      true,
    );
    const run = await runBench(['--n', '2']);
    expect(run.code, run.stderr).toBe(0);
    const rows = tableRows(run.stdout);
    for (const id of ROWS) {
      const mine = rows.filter((row) => row.id === id);
      expect(mine.length, `rows of ${id}\n${run.stdout}`).toBeGreaterThan(0);
      for (const row of mine) expect(row.value, `${id}: ${row.measure}`).toMatch(/\d/);
    }
    expect(rows.map((row) => row.measure)).toContainEqual(
      expect.stringMatching(/pre-flight probe/),
    );
    // The floor P1 and P7 are judged against (bench/bare-durable.ts), run on the keychain here.
    for (const id of ['P1', 'P7']) {
      const floor = rows.filter((row) => row.id === id && row.measure.startsWith('floor:'));
      expect(floor, `${id}'s floor row\n${run.stdout}`).toHaveLength(1);
      expect(floor[0]!.value).toMatch(/^\d+(\.\d+)? ms \(\d+\.\d\d× bare\)$/);
    }
    // P6's floor (bench/idle-process.ts): each window's block beside an idle process's.
    const blocks = rows.filter((row) => row.id === 'P6');
    expect(blocks, run.stdout).toHaveLength(4);
    for (const row of blocks)
      expect(row.value, row.measure).toMatch(
        /^\d+\.\d ms .*; an idle process beside it: \d+\.\d ms/,
      );
  }, 180_000);
});
