#!/usr/bin/env node
// Sums the results of every suite (the checks, Vitest's JSON report, Playwright's JSON report)
// and prints one line: "N passed, N failed, N skipped". CI reads this line and no other.
import { existsSync, readFileSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function add(name, passed, failed, skipped) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`  ${name.padEnd(12)} ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

// Checks (typecheck, lint, format, ...): one line each in test-results/checks.txt, "name status".
if (existsSync('test-results/checks.txt')) {
  let passed = 0;
  let failed = 0;
  for (const line of readFileSync('test-results/checks.txt', 'utf8').split('\n').filter(Boolean)) {
    if (line.endsWith(' ok')) passed++;
    else failed++;
  }
  add('checks', passed, failed, 0);
}

const vitestFile = 'test-results/vitest.json';
if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load counts as a failure even though it ran no test.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  add('vitest', report.numPassedTests ?? 0, (report.numFailedTests ?? 0) + brokenFiles, skipped);
} else if (process.env.EXPECT_VITEST === '1') {
  add('vitest', 0, 1, 0);
}

const pwFile = 'test-results/playwright.json';
if (existsSync(pwFile)) {
  const report = JSON.parse(readFileSync(pwFile, 'utf8'));
  const s = report.stats ?? {};
  const errors = (report.errors ?? []).length;
  add('playwright', s.expected ?? 0, (s.unexpected ?? 0) + (s.flaky ?? 0) + errors, s.skipped ?? 0);
} else if (process.env.EXPECT_PLAYWRIGHT === '1') {
  add('playwright', 0, 1, 0);
}

console.log('Suites:');
for (const line of lines) console.log(line);
// The coverage gate's figures per folder (scripts/coverage.mjs), just above the totals line.
const coverageFile = 'test-results/coverage/folders.txt';
if (existsSync(coverageFile))
  for (const line of readFileSync(coverageFile, 'utf8').split('\n').filter(Boolean))
    console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
