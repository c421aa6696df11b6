/**
 * P4: 50 concurrent sign-ins across 50 providers (one pending sign-in per provider is the rule),
 * with a network round trip before each answer of the provider, as a real one has: 40 ms and
 * 100 ms. The provider, the engine and the HTTP "browser" share this process, as in the tests.
 * With a provider answering at once this would measure the CPU, which P7 measures properly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoNativeClient, startDemoServer } from '../main/demo/demo-server';
import { HttpBrowser } from '../test/support/http-browser';
import type { Budget } from './budget';
import { median, type Row } from './table';
import { benchCore, signInWith, writeOidcProviders } from './world';

const LATENCIES_MS = [40, 100];
const PROVIDERS = 50;

export async function benchConcurrent(budget: Budget): Promise<Row[]> {
  const rows: Row[] = [];
  for (const latency of LATENCIES_MS) rows.push(...(await concurrentAt(latency, budget.singles)));
  return rows;
}

async function concurrentAt(latencyMs: number, singleRuns: number): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-p4-'));
  const configFile = path.join(dir, 'providers.json');
  const providerIds = Array.from({ length: PROVIDERS }, (_, i) => `p${i + 1}`);
  const multi = await startDemoServer({
    clients: providerIds.map((id) => ({ ...demoNativeClient(id), client_id: id })),
    latencyMs,
  });
  writeOidcProviders(
    configFile,
    multi.issuer,
    providerIds.map((id) => ({ id, clientId: id })),
  );
  const core = benchCore(dir, configFile);
  try {
    // Warm discovery for every provider, as a running app has.
    await Promise.all(providerIds.map((id) => signInWith(core, id, `warm-${id}`)));
    // One sign-in alone, on this same provider set and store.
    const singles: number[] = [];
    for (const id of providerIds.slice(0, singleRuns)) {
      const t = performance.now();
      await signInWith(core, id, `single-${id}`);
      singles.push(performance.now() - t);
    }
    const single = median(singles);
    const ports = new Set<number>();
    const t0 = performance.now();
    const results = await Promise.all(
      providerIds.map(async (id) => {
        const started = await core.sessions.signIn(id, { openBrowser: false });
        ports.add(Number(new URL(started.url!).port));
        await new HttpBrowser().open(started.url!, { user: `${id}-user` });
        return (await started.done).accountId;
      }),
    );
    const wall = performance.now() - t0;
    const crossTalk = results.filter(
      (acc, i) => acc !== `${providerIds[i]}:${providerIds[i]}-user`,
    ).length;
    const where = `${PROVIDERS} concurrent sign-ins, provider ${latencyMs} ms away`;
    return [
      {
        id: 'P4',
        measure: `${where}: cross-talk`,
        value: String(crossTalk),
        target: '0',
        ok: crossTalk === 0,
      },
      {
        id: 'P4',
        measure: `${where}: distinct loopback ports`,
        value: `${ports.size} / ${PROVIDERS}`,
        target: '0 collisions',
        ok: ports.size === PROVIDERS,
      },
      {
        id: 'P4',
        measure: `${where}: wall time`,
        value: `${wall.toFixed(0)} ms = ${(wall / single).toFixed(1)}× one sign-in (${single.toFixed(0)} ms)`,
        target: '≤ 2×',
        ok: wall / single <= 2,
      },
    ];
  } finally {
    await core.dispose();
    await multi.close();
  }
}
