/**
 * How many times each bench loop runs. One number, `--n N` or BENCH_N, sets every repeated loop
 * (rounds, sign-in + sign-out cycles, cold starts); without it each loop has its full count. The
 * sizes that define a measure (100 accounts, 1,500 requests, 50 sign-ins at once) never change.
 */
import { parseArgs } from 'node:util';

export interface Budget {
  /** Interleaved rounds of the compared sign-ins, restores and reloads (P1–P3, P6, P7). */
  rounds: number;
  /** P8: sign-in + sign-out cycles measured, after as many again to warm up (at most 50). */
  cycles: number;
  /** P9: cold starts of each command. */
  coldRuns: number;
  /** P4: single sign-ins the concurrent run is compared with. */
  singles: number;
  /** P6: floods and refresh storms, each one window of the event-loop histogram. */
  windows: number;
}

export const FULL: Budget = { rounds: 15, cycles: 1_000, coldRuns: 20, singles: 5, windows: 5 };

export function budgetFrom(argv: string[], env: NodeJS.ProcessEnv): Budget {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string' } }, strict: true });
  const raw = values.n ?? env.BENCH_N;
  if (raw === undefined || raw === '') return FULL;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --n must be a whole number ≥ 1`);
  return {
    rounds: n,
    cycles: n,
    coldRuns: n,
    singles: Math.min(n, FULL.singles),
    windows: Math.min(n, FULL.windows),
  };
}
