/**
 * `npm run bench`: prints P1–P9 and the AppAuth peer figure as one table. Not part of the
 * pass/fail tests (npm test runs it once with --n 2 and checks that every row has a figure).
 * Run it under the private Secret Service (npm run bench does) so the keychain rows use a real
 * keychain. `--n N` (or BENCH_N) sets every repeated loop to N runs (bench/budget.ts).
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { budgetFrom } from './budget';
import { RemoteIdp } from './remote-idp';
import { printTable, type Row } from './table';

const budget = budgetFrom(process.argv.slice(2), process.env);
const loadAtStart = loadavg()[0]!;

/** A section run in a fresh process of its own, which prints its rows as JSON. */
async function isolated(file: string): Promise<Row[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)],
    { timeout: 600_000, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Row[];
}
const rows: Row[] = [];
// P1, P5–P8 run their provider and browser here, in one child process for the whole run.
const remote = await RemoteIdp.start();
const sections: Array<[string, () => Promise<Row[]>]> = [
  ['P1, P6, P7: sign-in', async () => (await import('./client')).benchClient(remote, budget)],
  ['P2, P6: restore', async () => (await import('./restore')).benchRestore(budget)],
  ['P3: renderer', async () => (await import('./renderer')).benchRenderer(budget)],
  ['P4: concurrency', async () => (await import('./concurrent')).benchConcurrent(budget)],
  ['P5, P6: refresh storm', async () => (await import('./storm')).benchStorm(remote, budget)],
  ['P8: memory', () => isolated('./leak.ts')],
  ['P9: cold start', async () => (await import('./cold-start')).benchColdStart(budget)],
];
for (const [name, run] of sections) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    rows.push(...(await run()));
  } catch (error) {
    // One broken section still leaves the others' figures in the table.
    rows.push({
      id: name.split(':')[0]!,
      measure: `section "${name}" failed: ${(error as Error).message.split('\n')[0]}`,
      value: '',
      target: '',
      ok: false,
    });
  }
  process.stderr.write(`bench: ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
await remote.close();
// Stable sort: each section's rows keep their order under their number.
rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
console.log(
  `${cpus().length} cores; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end\n`,
);
console.log(printTable(rows));
process.exit(0);
