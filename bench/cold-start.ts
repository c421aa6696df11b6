/**
 * P9: cold start of the command line (bin/gatehouse.mjs over the built dist/main/cli.js; npm run
 * bench builds first), each run a new `node` with NODE_OPTIONS empty, against `node -e 0` timed
 * the same way. The three commands are interleaved run by run; medians are reported.
 * `gatehouse accounts` runs on a data folder holding 10 accounts (index and keychain entries).
 * Beside them, what importing each heavy dependency alone adds to `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Budget } from './budget';
import { seed } from './restore';
import { median, type Row } from './table';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/gatehouse.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
const ACCOUNTS = 10;
const MODULES = ['zod', '@napi-rs/keyring', 'jose', 'openid-client'];

export async function benchColdStart({ coldRuns }: Budget): Promise<Row[]> {
  if (!existsSync(ENTRY)) throw new Error('dist/main/cli.js is missing: run npm run build:main');
  const world = await seed(ACCOUNTS);
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    GATEHOUSE_DATA_DIR: world.dataDir,
    GATEHOUSE_KEYCHAIN_SERVICE: world.service,
  };
  const commands: Record<string, string[]> = {
    node: ['-e', '0'],
    help: [BIN, '--help'],
    accounts: [BIN, 'accounts', '--json'],
  };
  for (const name of MODULES)
    commands[name] = ['--input-type=module', '-e', `await import(${JSON.stringify(name)})`];
  type Name = string;
  const run = (name: Name) => {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, commands[name]!, {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const elapsed = performance.now() - t0;
    if (child.status !== 0)
      throw new Error(`${name} exited ${child.status}: ${child.stderr.split('\n')[0]}`);
    if (name === 'accounts' && (JSON.parse(child.stdout) as unknown[]).length !== ACCOUNTS)
      throw new Error(`gatehouse accounts did not list the ${ACCOUNTS} accounts`);
    return elapsed;
  };
  const names = Object.keys(commands) as Name[];
  const times = new Map<Name, number[]>(names.map((n) => [n, []]));
  try {
    for (const name of names) run(name); // the file cache, as for any second start
    for (let i = 0; i < coldRuns; i++)
      for (const name of i % 2 ? [...names].reverse() : names) times.get(name)!.push(run(name));
  } finally {
    for (const id of (await world.stores.store.listAccountIds?.()) ?? [])
      await world.stores.store.delete(id);
  }
  const node = median(times.get('node')!);
  const row = (name: Name, measure: string, target: number): Row => {
    const ms = median(times.get(name)!);
    return {
      id: 'P9',
      measure: `cold start, ${measure} (median of ${coldRuns})`,
      value: `${ms.toFixed(0)} ms = ${(ms / node).toFixed(2)}× node -e 0`,
      target: `≤ ${target}×`,
      ok: ms / node <= target,
    };
  };
  return [
    {
      id: 'P9',
      measure: `cold start, node -e 0 (median of ${coldRuns})`,
      value: `${node.toFixed(0)} ms`,
      target: '',
      ok: null,
    },
    row('help', 'gatehouse --help', 2),
    row('accounts', `gatehouse accounts, ${ACCOUNTS} accounts`, 2.5),
    ...MODULES.map((name): Row => ({
      id: 'P9',
      measure: `breakdown: importing ${name} alone adds (median)`,
      value: `${(median(times.get(name)!) - node).toFixed(0)} ms`,
      target: '',
      ok: null,
    })),
  ];
}
