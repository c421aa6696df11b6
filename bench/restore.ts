/**
 * P2: startup restore of 1, 10 and 100 accounts from the real keychain (npm run bench runs under
 * the private Secret Service). One restore = what the app does at start: open the stores (probe
 * the keychain, read the account index), build the core, and restore every account from its
 * keychain entry, until the window's snapshot holds them all signed in. Sizes are interleaved
 * round by round; the median is reported. P6's restore row: the main thread's longest block
 * during each restore of 100 accounts, the worst of the rounds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { GatehouseCore } from '../main/app/core';
import { openStores } from '../main/app/open-stores';
import { DEMO_BINDING } from '../main/auth/providers/demo';
import {
  accountIdOf,
  encodeStoredAccount,
  STORED_ACCOUNT_VERSION,
} from '../main/auth/stored-account';
import type { Budget } from './budget';
import { blockRow, longestBlock, type Block } from './client';
import { median, type Row } from './table';

const SIZES = [1, 10, 100] as const;
const TARGET_MS: Record<(typeof SIZES)[number], number | null> = { 1: 30, 10: null, 100: 300 };

/** `count` accounts in a fresh data folder's index and a fresh keychain service. */
export async function seed(count: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gh-bench-restore-'));
  const service = `Gatehouse-bench-${path.basename(dataDir)}`;
  const stores = await openStores(dataDir, { service });
  if (stores.store.backend.kind !== 'keychain')
    throw new Error(`no keychain: ${stores.store.backend.reason}`);
  const expiresAt = Date.now() + 24 * 3600_000;
  for (let i = 0; i < count; i++) {
    const sub = `user-${i}`;
    const accountId = accountIdOf('demo', sub);
    const claims = { name: `User ${i}`, email: `user${i}@demo.gatehouse.invalid` };
    await stores.store.set(
      accountId,
      encodeStoredAccount({
        v: STORED_ACCOUNT_VERSION,
        providerId: 'demo',
        providerKind: 'demo',
        sub,
        claims,
        tokens: { accessToken: `at-${i}-${'x'.repeat(40)}`, refreshToken: `rt-${i}`, expiresAt },
        binding: DEMO_BINDING,
        profileId: null,
        savedAt: Date.now(),
      }),
    );
    await stores.index.upsert({
      accountId,
      providerId: 'demo',
      providerKind: 'demo',
      sub,
      claims,
      expiresAt,
      lastsUntilSignOut: false,
      profileId: null,
      updatedAt: Date.now(),
    });
  }
  return { dataDir, service, stores };
}

export async function restoreOnce(
  dataDir: string,
  service: string,
  expected: number,
): Promise<number> {
  const started = performance.now();
  const stores = await openStores(dataDir, { service });
  const core = new GatehouseCore({
    configDir: dataDir,
    dataDir,
    env: {},
    ...stores,
    openBrowser: async () => undefined,
  });
  await core.sessions.restore();
  const signedIn = core.sessions
    .snapshot()
    .accounts.filter((a) => a.status.kind === 'signed-in').length;
  const elapsed = performance.now() - started;
  await core.dispose();
  if (signedIn !== expected) throw new Error(`restored ${signedIn} of ${expected}`);
  return elapsed;
}

export async function benchRestore(budget: Budget): Promise<Row[]> {
  const { rounds } = budget;
  const worlds = new Map<number, Awaited<ReturnType<typeof seed>>>();
  for (const n of SIZES) worlds.set(n, await seed(n));
  const restore = (n: number) => restoreOnce(worlds.get(n)!.dataDir, worlds.get(n)!.service, n);
  const times = new Map<number, number[]>(SIZES.map((n) => [n, []]));
  const blocks: Block[] = [];
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  try {
    for (const n of SIZES) await restore(n); // warm-up
    for (let r = 0; r < rounds; r++) for (const n of SIZES) times.get(n)!.push(await restore(n));
    for (let r = 0; r < rounds; r++) blocks.push(await longestBlock(histogram, () => restore(100)));
  } finally {
    // Leave the keychain as it was.
    for (const n of SIZES) {
      const { stores } = worlds.get(n)!;
      for (let i = 0; i < n; i++) await stores.store.delete(accountIdOf('demo', `user-${i}`));
    }
  }
  const rows: Row[] = SIZES.map((n) => {
    const ms = median(times.get(n)!);
    const target = TARGET_MS[n];
    return {
      id: 'P2',
      measure: `startup restore of ${n} account${n === 1 ? '' : 's'} from the real keychain (median of ${rounds})`,
      value: `${ms.toFixed(1)} ms`,
      target: target === null ? '' : `< ${target} ms`,
      ok: target === null ? null : ms < target,
    };
  });
  rows.push(
    blockRow(
      'longest main-thread block during a restore of 100 accounts from the real keychain',
      blocks,
    ),
  );
  return rows;
}
