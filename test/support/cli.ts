/**
 * The one set of helpers for tests that run the `gatehouse` command line: the built CLI
 * (bin/gatehouse.mjs → dist/main/cli.js, rebuilt once if main/ or shared/ is newer), with
 * `--json` unless a test reads what a person reads (`human: true`), with the loopback-only network guard and whatever NODE_OPTIONS the run already has
 * (npm test adds the secret recorder there). With GATEHOUSE_CLI_COVERAGE_DIR set, each child (and
 * only the child) writes V8 coverage there through NODE_V8_COVERAGE.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = path.join(ROOT, 'bin', 'gatehouse.mjs');
const CLI_ENTRY = path.join(ROOT, 'dist', 'main', 'cli.js');
const NETWORK_GUARD = path.join(ROOT, 'test', 'support', 'network-guard.cjs');
const BUILD_LOCK = path.join(ROOT, '.tmp', 'cli-build.lock');

export interface CliOptions {
  /** Variables over this process's environment; `undefined` removes one. */
  env?: NodeJS.ProcessEnv;
  /** Sets GATEHOUSE_DATA_DIR. */
  dataDir?: string;
  /** Written to the child's stdin, which is then closed (stdin is ignored without it). */
  input?: string;
  /** Extra `node` flags before the CLI (for example `--import` of a loader). */
  nodeArgs?: string[];
  /** The child's working directory (default: the checkout). */
  cwd?: string;
  timeoutMs?: number;
  /** Runs the command as typed, without the `--json` every other test adds. */
  human?: boolean;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON; the error names stderr when stdout is not JSON. */
  json<T = unknown>(): T;
}

export interface CliProcess {
  done: Promise<CliRun>;
  /** The output so far, for commands that print something to act on before they end. */
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `gatehouse <args> --json` (or as typed, with `human`) and returns at once. */
export function startCli(args: string[], options: CliOptions = {}): CliProcess {
  ensureCliBuilt();
  const argv = options.human ? args : withJson(args);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...argv], {
    cwd: options.cwd ?? ROOT,
    env: childEnv(options),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, json: () => parseJson(stdout, stderr) });
    });
  });
  return {
    done,
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}

/** Runs `gatehouse <args> --json` to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

// Every CLI test runs with --json (before a `--` terminator, if any).
function withJson(args: string[]): string[] {
  if (args.includes('--json')) return args;
  const end = args.indexOf('--');
  return end < 0 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)];
}

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.dataDir) env.GATEHOUSE_DATA_DIR = options.dataDir;
  const nodeOptions = env.NODE_OPTIONS ?? '';
  if (!nodeOptions.includes(NETWORK_GUARD))
    env.NODE_OPTIONS = `${nodeOptions} --require ${JSON.stringify(NETWORK_GUARD)}`.trim();
  const coverage = process.env.GATEHOUSE_CLI_COVERAGE_DIR;
  if (coverage) env.NODE_V8_COVERAGE = coverage;
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

function parseJson<T>(stdout: string, stderr: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`gatehouse printed no JSON on stdout.\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
}

let built = false;

/** Builds the main bundle once per test process if it is missing or older than its sources. */
export function ensureCliBuilt(): void {
  if (built) return;
  if (!isFresh()) withBuildLock(() => isFresh() || buildMain());
  built = true;
}

function newestSource(): number {
  let newest = 0;
  for (const dir of ['main', 'shared']) {
    for (const file of readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
      // A suite's throw-away fixture (cycles-and-sizes.test.ts writes main/auth/__cycle-fixture-*
      // and deletes it) is no source of the CLI, and may vanish between the listing and the stat.
      if (!file.endsWith('.ts') || file.split(path.sep).some((part) => part.startsWith('__')))
        continue;
      const stat = statSync(path.join(ROOT, dir, file), { throwIfNoEntry: false });
      if (stat) newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function isFresh(): boolean {
  return existsSync(CLI_ENTRY) && statSync(CLI_ENTRY).mtimeMs >= newestSource();
}

function buildMain(): boolean {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--mode', 'main', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
  return true;
}

// Test files run in parallel workers: one builds, the others wait and then see a fresh bundle.
function withBuildLock(fn: () => unknown): void {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (Date.now() > deadline || Date.now() - statSync(BUILD_LOCK).mtimeMs > 120_000)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    fn();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface CliSandbox {
  dir: string;
  dataDir: string;
  configFile: string;
  /** Where the stand-in $BROWSER writes the URL it was asked to open. */
  urlFile: string;
  /** BROWSER, GATEHOUSE_DATA_DIR, GATEHOUSE_CONFIG and a private keychain service. */
  env: NodeJS.ProcessEnv;
}

/**
 * A fresh folder for one test: data folder, providers.json (written only when `providers` is
 * given), a private keychain service name, and a $BROWSER that hands the URL to the test.
 */
export function cliSandbox(options: { providers?: unknown[]; prefix?: string } = {}): CliSandbox {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix ?? 'gh-cli-'));
  const urlFile = path.join(dir, 'url.txt');
  const browser = path.join(dir, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > "${urlFile}"\n`);
  chmodSync(browser, 0o755);
  const configFile = path.join(dir, 'providers.json');
  if (options.providers)
    writeFileSync(configFile, JSON.stringify({ providers: options.providers }));
  const dataDir = path.join(dir, 'data');
  const env = {
    BROWSER: browser,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_CONFIG: configFile,
    GATEHOUSE_KEYCHAIN_SERVICE: `Gatehouse-test-${path.basename(dir)}`,
  };
  return { dir, dataDir, configFile, urlFile, env };
}

/** Polls `probe` every 50 ms until it returns non-null; bounded by `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | null,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A probe for waitFor: the file's text once it exists and is not empty. */
export const fileText = (file: string) => () =>
  existsSync(file) ? readFileSync(file, 'utf8') || null : null;
