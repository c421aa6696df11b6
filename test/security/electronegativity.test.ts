/**
 * Electron security scan: @doyensec/electronegativity on the built app (dist/, what ships).
 * 0 findings of high severity; every other finding must be explained in docs/security.md.
 * The scanner tries to fetch translations and release data from the internet: it runs
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
        NODE_OPTIONS: [
          `--require ${path.resolve('test/support/network-guard.cjs')}`,
          `--require ${path.resolve('test/support/serial-writefile.cjs')}`,
        ].join(' '),
        LANG: 'en-US',
      },
    },
  );
  // A real CSV reader: the scanner quotes samples, which can hold commas and line breaks.
  findings = parseCsv(readFileSync(out, 'utf8'))
    .slice(1)
    .filter((row) => row.some((cell) => cell.trim()))
    .map((row) => {
      if (row.length < 4)
        throw new Error(`electronegativity report row not understood: ${JSON.stringify(row)}`);
      const [id, severity, confidence, file] = row.map((cell) => cell.trim());
      return { id: id!, severity: severity!, confidence: confidence!, file: file! };
    });
}, 180_000);

describe('electronegativity', () => {
  it('reads the report as CSV, quoted commas and line breaks included', () => {
    const text = ['a, b', 'X,"LOW","f, g","line1', 'line2 ""q"""', 'Y,1,2,3'].join('\n');
    expect(parseCsv(text)).toEqual([
      ['a', ' b'],
      ['X', 'LOW', 'f, g', 'line1\nline2 "q"'],
      ['Y', '1', '2', '3'],
    ]);
  });

  it('the scan ran on the app: it reports the preload, which it always asks to review', () => {
    // A lost or truncated report would otherwise read as "no findings".
    expect(findings.map((f) => f.id)).toContain('PRELOAD_JS_CHECK');
  });

  it('finds nothing of high severity', () => {
    const high = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
    expect(high).toEqual([]);
  });

  it('every remaining finding is explained in docs/security.md', () => {
    const security = readFileSync('docs/security.md', 'utf8');
    const unexplained = [...new Set(findings.map((f) => f.id))].filter(
      (id) => !security.includes(id),
    );
    expect(unexplained).toEqual([]);
    console.warn(
      `electronegativity: ${findings.length} finding(s), 0 high: ${JSON.stringify(findings.map((f) => `${f.id} ${f.severity} ${f.file}`))}`,
    );
  });
});

/** RFC 4180 CSV: quoted fields may contain commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
