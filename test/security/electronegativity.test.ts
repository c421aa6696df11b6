/**
 * Electron security scan: @doyensec/electronegativity on the built app (dist/, what ships).
 * 0 findings of high severity; every other finding must be explained in the README's Security
 * section. The scanner tries to fetch translations and release data from the internet: it runs
 * under the loopback-only network guard, so nothing leaves this machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;
interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
}
let findings: Finding[] = [];

beforeAll(() => {
  if (!existsSync('dist/main/index.js'))
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'gh-en-')), 'report.csv');
  execFileSync(
    process.execPath,
    [
      require.resolve('@doyensec/electronegativity/dist/index.js'),
      '-i',
      'dist',
      '-r',
      '-v',
      'false',
      '-e',
      electronVersion,
      '-o',
      out,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
      env: {
        ...process.env,
        NODE_OPTIONS: `--require ${path.resolve('test/support/network-guard.cjs')}`,
        LANG: 'en-US',
      },
    },
  );
  findings = readFileSync(out, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const cells = line.split(',');
      return {
        id: cells[0]!,
        severity: cells[1]!.replace(/"/g, ''),
        confidence: cells[2]!.replace(/"/g, ''),
        file: cells[3]!.replace(/"/g, ''),
      };
    });
}, 180_000);

describe('electronegativity', () => {
  it('finds nothing of high severity', () => {
    const high = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
    expect(high).toEqual([]);
  });

  it('every remaining finding is explained in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const unexplained = [...new Set(findings.map((f) => f.id))].filter(
      (id) => !readme.includes(id),
    );
    expect(unexplained).toEqual([]);
    console.warn(
      `electronegativity: ${findings.length} finding(s), 0 high: ${JSON.stringify(findings.map((f) => `${f.id} ${f.severity} ${f.file}`))}`,
    );
  });
});
