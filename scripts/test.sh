#!/usr/bin/env bash
# `npm test`: build, type-check every target, lint, format check, Vitest (under a real Secret
# Service) with the coverage gates, Playwright (Chromium; Electron where a binary exists), then
# one totals line.
# Every step runs even if an earlier one failed, so the totals are complete.
set -u
cd "$(dirname "$0")/.."
rm -rf test-results && mkdir -p test-results
status=0
check() {
  local name=$1; shift
  echo "::: $name"
  if "$@"; then echo "$name ok" >> test-results/checks.txt; else echo "$name FAILED" >> test-results/checks.txt; status=1; fi
}

check build npm run --silent build
check typecheck npx tsc -b
check lint npx eslint .
check format npx prettier --check . --log-level warn

# Every Node process from here on writes down the credentials that cross fetch, for the secret
# scan at the end; their output is kept in test-results/ so the scan covers the logs too.
export GATEHOUSE_SECRET_LOG="$PWD/test-results/secrets-recorded.txt"
export GATEHOUSE_SCAN_SINCE=$(($(date +%s) * 1000 - 1000))
export NODE_OPTIONS="${NODE_OPTIONS:-} --require $PWD/test/support/secret-recorder.cjs"

# Coverage: Vitest's v8 provider for the in-process tests, and raw V8 coverage from the CLI
# tests' child processes (test/support/cli.ts sets NODE_V8_COVERAGE from this variable);
# scripts/coverage.mjs merges the two and applies the per-folder gates.
cli_coverage="$PWD/test-results/coverage-cli"
mkdir -p "$cli_coverage"
echo '::: vitest'
GATEHOUSE_CLI_COVERAGE_DIR="$cli_coverage" bash test/support/keyring/with-keyring.sh npx vitest run --coverage --reporter=default --reporter=json --outputFile=test-results/vitest.json 2>&1 | tee test-results/vitest.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
check coverage env GATEHOUSE_CLI_COVERAGE_DIR="$cli_coverage" node scripts/coverage.mjs

echo '::: playwright'
bash test/support/keyring/with-keyring.sh npx playwright test 2>&1 | tee test-results/playwright.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

check secret-scan node scripts/secret-scan.mjs

echo
EXPECT_VITEST=1 EXPECT_PLAYWRIGHT=1 node scripts/totals.mjs || status=1
exit $status
