/**
 * `npm run bench`: prints P1–P5 and the AppAuth peer figure as one table. Not part of the
 * pass/fail tests. Run it under the private Secret Service (npm run bench does) so P2 and the
 * sign-in's keychain write use the real keychain.
 */
import { probeKeychain } from '../main/secrets/keyring-store';
import { benchSignIn } from './sign-in';
import { printTable, type Row } from './table';

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const rows: Row[] = [];
// P1's keychain write goes to the real keychain when one answers (its entries are removed after).
const service = `Gatehouse-bench-${process.pid}`;
const probe = await probeKeychain(service);
if (!probe.ok)
  process.stderr.write(`bench: no keychain (${probe.error.message}); P1 uses memory\n`);
const sections: Array<[string, () => Promise<Row[]>]> = [
  [
    'P1/P4/P5',
    async () => {
      const result = await benchSignIn({ rounds, store: probe.ok ? () => probe.store : undefined });
      if (probe.ok)
        for (const id of await probe.store.listAccountIds()) await probe.store.delete(id);
      return result;
    },
  ],
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
  try {
    rows.push(...(await run()));
  } catch (error) {
    // One broken section still leaves the others' figures in the table.
    rows.push({
      id: name,
      measure: `section failed: ${(error as Error).message.split('\n')[0]}`,
      value: '',
      target: '',
      ok: false,
    });
  }
}
rows.sort((a, b) => a.id.localeCompare(b.id));
console.log(printTable(rows));
process.exit(0);
