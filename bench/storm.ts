/**
 * P5 and a row of P6: 100 accounts, signed in through the provider in the child process and kept
 * on the real keychain, all come due at once (as when a laptop wakes after the tokens' lifetime).
 * P5 counts the refresh requests and how many run at once; P6 is the main thread's longest block.
 * The storm comes again on the same accounts (their tokens rotated), once per P6 window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { blockRow, longestBlock, type Block } from './client';
import { clientCore, signInRemote } from './client-world';
import type { Budget } from './budget';
import type { RemoteIdp } from './remote-idp';
import { median, type Row } from './table';

const ACCOUNTS = 100;
const LIMIT = 4;

export async function benchStorm(remote: RemoteIdp, budget: Budget): Promise<Row[]> {
  let inFlight = 0;
  let peak = 0;
  let refreshRequests = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    const body = init?.body instanceof URLSearchParams ? init.body.toString() : String(init?.body);
    const isRefresh = body.includes('grant_type=refresh_token');
    if (isRefresh) {
      refreshRequests++;
      peak = Math.max(peak, ++inFlight);
    }
    try {
      return await fetch(input, init);
    } finally {
      if (isRefresh) inFlight--;
    }
  };
  const client = await clientCore(remote, {
    settings: { refreshConcurrency: LIMIT },
    fetch: countingFetch,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++)
      ids.push((await signInRemote(client, remote, `storm-${i}`)).accountId);
    const counts: number[] = [];
    const walls: number[] = [];
    const blocks: Block[] = [];
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    peak = 0;
    for (let i = 0; i < budget.windows; i++) {
      refreshRequests = 0;
      blocks.push(
        await longestBlock(histogram, async () => {
          const t0 = performance.now();
          await Promise.all(ids.map((id) => client.core.sessions.refresh(id)));
          walls.push(performance.now() - t0);
          // The window ends with the log and the index on disk (the refreshes' entries are
          // written after them, together: upsertSoon).
          await Promise.all([client.core.log.flush(), client.index.flush()]);
        }),
      );
      counts.push(refreshRequests);
    }
    return [
      {
        id: 'P5',
        measure: `${ACCOUNTS} accounts expiring together: refresh requests (each of ${counts.length} storms)`,
        value: [...new Set(counts)].join(', '),
        target: String(ACCOUNTS),
        ok: counts.every((c) => c === ACCOUNTS),
      },
      {
        id: 'P5',
        measure: `peak concurrent refreshes (setting refreshConcurrency = ${LIMIT})`,
        value: String(peak),
        target: `≤ ${LIMIT}`,
        ok: peak <= LIMIT,
      },
      {
        id: 'P5',
        measure: `${ACCOUNTS} refreshes: wall time, ${client.storeLabel} (median)`,
        value: `${median(walls).toFixed(0)} ms`,
        target: '',
        ok: null,
      },
      blockRow(
        `longest main-thread block while ${ACCOUNTS} accounts refresh together, ${client.storeLabel}`,
        blocks,
      ),
    ];
  } finally {
    await client.close();
  }
}
