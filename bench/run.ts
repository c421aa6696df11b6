/**
 * `npm run bench`: prints P1–P5 and the AppAuth peer figure as one table. Not part of the
 * pass/fail tests. Run it under the private Secret Service (npm run bench does) so P2 and the
 * sign-in's keychain write use the real keychain.
 */
import { benchSignIn } from './sign-in';
import { printTable, type Row } from './table';

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const rows: Row[] = [];
const sections: Array<[string, () => Promise<Row[]>]> = [
  ['P1/P4/P5', () => benchSignIn({ rounds })],
];
for (const extra of ['./restore', './renderer']) {
  try {
    const mod = (await import(extra)) as { bench?: () => Promise<Row[]> };
    if (mod.bench) sections.push([extra, mod.bench]);
  } catch (error) {
    rows.push({
      id: extra,
      measure: `section ${extra} could not run: ${(error as Error).message}`,
      value: '',
      target: '',
      ok: false,
    });
  }
}
for (const [name, run] of sections) {
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await run()));
}
rows.sort((a, b) => a.id.localeCompare(b.id));
console.log(printTable(rows));
process.exit(0);
