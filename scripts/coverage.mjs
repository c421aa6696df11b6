#!/usr/bin/env node
/**
 * The coverage gate of `npm test`: lines per folder of main/ and shared/, from two sources.
 *   - In-process tests: Vitest's v8 provider writes istanbul JSON for every counted file, run or
 *     not (vitest.config.ts: include, exclude, test-results/coverage-vitest/).
 *   - CLI tests: their child processes run dist/main/ with NODE_V8_COVERAGE set (test/support/
 *     cli.ts), into $GATEHOUSE_CLI_COVERAGE_DIR; `c8 report` maps that raw V8 output through the
 *     bundle's source maps (vite.config.ts) back to the .ts files under main/.
 * c8 counts every source line (comments and types too) where Vitest counts statements, so the
 * children's hits are added line by line onto Vitest's statement map: a line means the same thing
 * in every file, and only the files Vitest's include/exclude list count.
 * Writes test-results/coverage/ (the merged coverage-final.json, files.txt with the uncovered
 * lines, folders.txt, which totals.mjs prints just above its totals line). Exits 1 if a gated
 * folder is under the gate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const GATE = 90;
const GATED = ['main/auth', 'main/secrets', 'main/ipc', 'main/config', 'main/cli', 'shared'];
const OUT = 'test-results/coverage';
const VITEST_REPORT = 'test-results/coverage-vitest/coverage-final.json';
const CLI_RAW = process.env.GATEHOUSE_CLI_COVERAGE_DIR || 'test-results/coverage-cli';

const relative = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');

/** Line → hits, the way istanbul counts lines: each statement's start line, its highest count. */
function lineHits(file) {
  const lines = new Map();
  for (const [id, loc] of Object.entries(file.statementMap))
    lines.set(loc.start.line, Math.max(lines.get(loc.start.line) ?? 0, file.s[id] ?? 0));
  return lines;
}

/** The CLI children's coverage as istanbul JSON (one statement per source line), or {}. */
function cliCoverage() {
  if (!existsSync(CLI_RAW) || readdirSync(CLI_RAW).length === 0) {
    console.log(`coverage: no CLI child coverage in ${CLI_RAW}`);
    return {};
  }
  const dir = path.join(OUT, 'cli');
  const c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js');
  // Filtered before remapping: only our bundle (or .ts run through tsx), never node_modules.
  const include = ['dist/main/**', 'main/**', 'shared/**'].flatMap((g) => ['--include', g]);
  execFileSync(
    process.execPath,
    [c8, 'report', '--temp-directory', CLI_RAW, '--reports-dir', dir, '--reporter', 'json'].concat(
      include,
    ),
    { stdio: 'inherit' },
  );
  return JSON.parse(readFileSync(path.join(dir, 'coverage-final.json'), 'utf8'));
}

function merge(vitest, cli) {
  const cliLines = new Map(Object.values(cli).map((f) => [relative(f.path), lineHits(f)]));
  for (const file of Object.values(vitest)) {
    const hits = cliLines.get(relative(file.path));
    if (!hits) continue;
    for (const [id, loc] of Object.entries(file.statementMap))
      file.s[id] = (file.s[id] ?? 0) + (hits.get(loc.start.line) ?? 0);
  }
  return vitest;
}

/** main/auth/providers/oidc.ts → main/auth; shared/ipc.ts → shared. */
function folderOf(name) {
  const parts = name.split('/');
  return parts[0] === 'main' && parts.length > 2 ? `main/${parts[1]}` : parts[0];
}

/** [3, 4, 5, 9] → "3-5, 9" */
function ranges(lines) {
  const out = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last && line === last[1] + 1) last[1] = line;
    else out.push([line, line]);
  }
  return out.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

/** Rounded down, so a folder just under the gate never prints as meeting it. */
const percent = (covered, total) => (total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10);

function summarize(coverage) {
  const folders = new Map(GATED.map((name) => [name, { covered: 0, total: 0, files: 0 }]));
  const files = [];
  for (const file of Object.values(coverage)) {
    const name = relative(file.path);
    if (!/^(main|shared)\//.test(name)) continue;
    const lines = [...lineHits(file)].sort(([a], [b]) => a - b);
    const covered = lines.filter(([, hits]) => hits > 0).length;
    const missing = lines.filter(([, hits]) => hits === 0).map(([line]) => line);
    const folder = folders.get(folderOf(name)) ?? { covered: 0, total: 0, files: 0 };
    folder.covered += covered;
    folder.total += lines.length;
    folder.files += 1;
    folders.set(folderOf(name), folder);
    const pct = percent(covered, lines.length).toFixed(1);
    files.push(
      `${name} ${pct}% of ${lines.length}${missing.length ? `; not run: ${ranges(missing)}` : ''}`,
    );
  }
  return { folders, files: files.sort() };
}

function folderLine(name, { covered, total, files }) {
  const gated = GATED.includes(name);
  const ok = files > 0 && covered * 100 >= GATE * total;
  const figure =
    files === 0
      ? 'no files'
      : `${percent(covered, total).toFixed(1)}% lines, ${covered} of ${total}`;
  return {
    ok: ok || !gated,
    text: `coverage ${name}: ${figure}${gated ? ` (gate ${GATE}%) ${ok ? 'ok' : 'FAILED'}` : ' (no gate)'}`,
  };
}

/** Ends the step: the lines go to stdout and to folders.txt, for totals.mjs. */
function finish(lines) {
  writeFileSync(path.join(OUT, 'folders.txt'), `${lines.map((l) => l.text).join('\n')}\n`);
  for (const line of lines) console.log(line.text);
  process.exit(lines.every((l) => l.ok) ? 0 : 1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
if (!existsSync(VITEST_REPORT))
  finish([{ ok: false, text: `coverage: FAILED, Vitest wrote no report (${VITEST_REPORT})` }]);
const problems = [];
let cli = {};
try {
  cli = cliCoverage();
} catch (error) {
  // The in-process figures still print; the step fails because the CLI's are missing.
  const text = `coverage: FAILED, c8 could not read the CLI coverage in ${CLI_RAW}: ${error.message}`;
  problems.push({ ok: false, text });
}
const coverage = merge(JSON.parse(readFileSync(VITEST_REPORT, 'utf8')), cli);
writeFileSync(path.join(OUT, 'coverage-final.json'), JSON.stringify(coverage));
const { folders, files } = summarize(coverage);
writeFileSync(path.join(OUT, 'files.txt'), `${files.join('\n')}\n`);
const lines = [...folders]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, f]) => folderLine(name, f));
finish([...problems, ...lines]);
