/**
 * P8: memory across sign-in + sign-out cycles of one account on the real keychain, the provider
 * and browser in the child process. After a warm-up, a full garbage collection before and after
 * the measured cycles, and one every 100 cycles between: the row is the resident set's largest
 * growth over its start at any of those points (its growth at the end, the V8 heap's, and the
 * band the resident set moved in beside it).
 * It runs in a process of its own (run.ts starts this file), so no other section's memory comes
 * and goes in between; its row is printed as JSON on stdout.
 */
import { fileURLToPath } from 'node:url';
import type { Budget } from './budget';
import { clientCore, signInRemote } from './client-world';
import { fullGc as gc } from './gc';
import type { RemoteIdp } from './remote-idp';
import type { Row } from './table';

const TARGET_MB = 10;
/**
 * The process's resident set rises for the first 100 to 300 cycles and is flat after, on the
 * keychain and on a memory store alike, with the V8 heap all but flat throughout: JIT-compiled
 * code and the allocator's pools settling, not something kept per cycle (docs/performance.md,
 * "P8"). With 50 cycles the measured 1,000 began before that and read 6 to 11 MB from run to run.
 * The warm-up's own growth is printed beside the row.
 */
const MAX_WARM_UP = 200;
const SAMPLE_EVERY = 100;

export async function benchLeak(remote: RemoteIdp, budget: Budget): Promise<Row[]> {
  const client = await clientCore(remote);
  try {
    const cycle = async () => {
      const account = await signInRemote(client, remote, 'leak');
      await client.core.sessions.signOut(account.accountId);
    };
    const warmUp = Math.min(budget.cycles, MAX_WARM_UP);
    gc();
    const start = process.memoryUsage().rss;
    for (let i = 0; i < warmUp; i++) await cycle();
    await client.core.log.flush();
    gc();
    const before = process.memoryUsage();
    // The resident set after a collection every SAMPLE_EVERY cycles: the band it moves in
    // shows how much of the growth below is the allocator's give and take.
    const band = [before.rss];
    for (let i = 1; i <= budget.cycles; i++) {
      await cycle();
      if (i % SAMPLE_EVERY === 0 && i < budget.cycles) {
        gc();
        band.push(process.memoryUsage().rss);
      }
    }
    await client.core.log.flush();
    gc();
    const after = process.memoryUsage();
    band.push(after.rss);
    const mb = (bytes: number) => bytes / 2 ** 20;
    // Judged by the largest growth seen at any point, which is never below the growth at the end.
    const rss = mb(Math.max(...band) - before.rss);
    const atEnd = mb(after.rss - before.rss).toFixed(1);
    const moved = `RSS between ${mb(Math.min(...band)).toFixed(0)} and ${mb(Math.max(...band)).toFixed(0)} MB`;
    return [
      {
        id: 'P8',
        measure: `RSS growth over ${budget.cycles} sign-in + sign-out cycles of one account, ${client.storeLabel} (after ${warmUp} to warm up; the largest at ${band.length} points)`,
        value: `${rss.toFixed(1)} MB (${atEnd} MB at the end; V8 heap ${mb(after.heapUsed - before.heapUsed).toFixed(1)} MB; ${moved}; the warm-up's own growth ${mb(before.rss - start).toFixed(1)} MB)`,
        target: `≤ ${TARGET_MB} MB`,
        ok: rss <= TARGET_MB,
      },
    ];
  } finally {
    await client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { budgetFrom } = await import('./budget');
  const { RemoteIdp } = await import('./remote-idp');
  const remote = await RemoteIdp.start();
  try {
    process.stdout.write(
      `${JSON.stringify(await benchLeak(remote, budgetFrom(process.argv.slice(2), process.env)))}\n`,
    );
  } finally {
    await remote.close();
  }
}
