/**
 * P1, P7 and three rows of P6: the client's own figures, with the identity provider and the
 * browser in a child process (bench/remote-idp.ts). Each round runs, interleaved and in
 * alternating order, the full Gatehouse engine on the real keychain, the bare openid-client
 * script, Gatehouse on a memory store (the keychain's share) and AppAuth (the peer). For each
 * sign-in the bench process records its wall time and its CPU time (process.cpuUsage()).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { loadAppAuth } from './appauth';
import { bareConfig, bareSignIn } from './bare';
import { durableBare, type DurableBare } from './bare-durable';
import type { Budget } from './budget';
import { clientCore, type ClientCore } from './client-world';
import { fullGc } from './gc';
import { idleWindow } from './idle-process';
import type { RemoteIdp } from './remote-idp';
import { median, type Row } from './table';

export const FLOOD_REQUESTS = 1_500;
/** P6's target, and the figure the histogram reports: its resolution is 1 ms. */
export const BLOCK_TARGET_MS = 10;

interface Sample {
  wall: number;
  cpu: number;
}

/** Wall time as `run` reports it, CPU time of this process until `run` has fully settled. */
async function sample(run: () => Promise<number>): Promise<Sample> {
  const c0 = process.cpuUsage();
  const wall = await run();
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** One Gatehouse sign-in: the clock stops when signed in (the keychain write is durable); the
 * CPU count goes on until the browser is done and the sign-in log and the index are on disk. */
function gatehouseRun(client: ClientCore, remote: RemoteIdp, user: string) {
  return async () => {
    const t0 = performance.now();
    const started = await client.core.sessions.signIn('demo', { openBrowser: false });
    const page = remote.open(started.url!, user);
    page.catch(() => undefined); // awaited below
    await started.done;
    const elapsed = performance.now() - t0;
    await page;
    // The sign-in's index entry is written after "signed in" (upsertSoon): its CPU counts too.
    await Promise.all([client.core.log.flush(), client.index.flush()]);
    return elapsed;
  };
}

/** One P6 window: the main thread's longest block, and an idle process's over the same time. */
export interface Block {
  main: number;
  idle: number;
}

/**
 * The longest gap between the histogram's 1 ms ticks while `run` runs, in ms, beside the idle
 * process's (bench/idle-process.ts). Garbage left by earlier sections is collected first, so a
 * collection they owe does not land in this window.
 */
export async function longestBlock(
  histogram: IntervalHistogram,
  run: () => Promise<unknown>,
): Promise<Block> {
  fullGc();
  const stopIdle = await idleWindow();
  histogram.reset();
  histogram.enable();
  try {
    await run();
  } finally {
    histogram.disable();
  }
  return { main: histogram.max / 1e6, idle: await stopIdle() };
}

/**
 * P6's row: the worst window decides (one freeze is what a person sees); the median beside it,
 * and the idle process's worst, what the machine's scheduler alone caused in the same windows.
 */
export function blockRow(measure: string, windows: Block[], detail = ''): Row {
  const main = windows.map((w) => w.main);
  const worst = Math.max(...main);
  const of =
    windows.length > 1 ? ` (worst of ${windows.length}; median ${median(main).toFixed(1)} ms)` : '';
  const idle = Math.max(...windows.map((w) => w.idle));
  return {
    id: 'P6',
    measure,
    value: `${worst.toFixed(1)} ms${of}; an idle process beside it: ${idle.toFixed(1)} ms${detail}`,
    target: `≤ ${BLOCK_TARGET_MS} ms`,
    ok: worst <= BLOCK_TARGET_MS,
  };
}

export async function benchClient(remote: RemoteIdp, budget: Budget): Promise<Row[]> {
  const real = await clientCore(remote);
  const memory = await clientCore(remote, { memory: true });
  let floor: DurableBare | null = null;
  try {
    const bare = await bareConfig(remote.issuer);
    const open = (url: string, user: string) => remote.open(url, user);
    const appauth = await loadAppAuth(remote.issuer, open);
    if (real.keychain) floor = durableBare(bare, open, `Gatehouse-bench-floor-${process.pid}`);
    const variants = {
      gatehouse: (user: string) => gatehouseRun(real, remote, user),
      bare: (user: string) => async () => {
        const { elapsed, page } = await bareSignIn(bare, open, user);
        await page;
        return elapsed;
      },
      memory: (user: string) => gatehouseRun(memory, remote, user),
      appauth: (user: string) => () => appauth(user),
      floor: (user: string) => async () => {
        const { elapsed, page } = await floor!.signIn(user);
        await page;
        return elapsed;
      },
    };
    type Name = keyof typeof variants;
    // Without a keychain the floor has nothing to save to: it is left out, and its rows say so.
    const names = (Object.keys(variants) as Name[]).filter((n) => n !== 'floor' || floor);
    const samples = new Map<Name, Sample[]>(names.map((k) => [k, []]));
    // Counted from the first sign-in of each Gatehouse client, warm-up included: a verdict is
    // kept for the run, so the probe's cost falls on a client's first sign-in only.
    let probes = 0;
    let signIns = 0;
    const once = async (name: Name, user: string) => {
      const before = remote.probes;
      const s = await sample(variants[name](user));
      if (name === 'gatehouse' || name === 'memory') {
        probes += remote.probes - before;
        signIns++;
      }
      return s;
    };
    // Warm-up: discovery caches, JIT, the provider's first interactions.
    for (const name of names) for (let i = 0; i < 2; i++) await once(name, `warm-${name}-${i}`);
    const others = names.filter((n) => n !== 'gatehouse' && n !== 'bare');
    for (let i = 0; i < budget.rounds; i++) {
      // Interleaved, alternating order, so drift and caches hit both alike.
      const order: Name[] = i % 2 ? ['bare', 'gatehouse'] : ['gatehouse', 'bare'];
      for (const name of [...order, ...others])
        samples.get(name)!.push(await once(name, `${name}-${i}`));
    }
    const rows = figures(samples, real.storeLabel, budget.rounds);
    rows.push({
      id: 'P1',
      measure:
        'redirect pre-flight probe (authorization-endpoint requests not made by the browser)',
      value:
        probes === 0
          ? `not run (0 requests in ${signIns} sign-ins)`
          : `ran: ${probes} requests in ${signIns} sign-ins (2 clients, warm-up included)`,
      target: '',
      ok: null,
    });
    rows.push(...(await blocks(real, remote, budget)));
    return rows;
  } finally {
    await floor?.close();
    await real.close();
    await memory.close();
  }
}

const info = (id: string, measure: string, value: string): Row => ({
  id,
  measure,
  value,
  target: '',
  ok: null,
});
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The floor (bench/bare-durable.ts), and Gatehouse against it; or why it did not run. */
function floorRows(
  has: boolean,
  id: string,
  what: string,
  of: (name: string) => number,
  digits: number,
): Row[] {
  const measure = `floor: bare script + durable save (new keychain item, fsync'd file), ${what}`;
  const against = 'Gatehouse / floor (what the engine adds beyond a durable save)';
  if (!has) return [info(id, measure, 'not run: no keychain answers here'), info(id, against, '')];
  const value = `${of('floor').toFixed(digits)} ms (${times(of('floor'), of('bare'))} bare)`;
  return [info(id, measure, value), info(id, against, times(of('gatehouse'), of('floor')))];
}

function figures(samples: Map<string, Sample[]>, storeLabel: string, rounds: number): Row[] {
  const wall = (name: string) => median(samples.get(name)!.map((s) => s.wall));
  const cpu = (name: string) => median(samples.get(name)!.map((s) => s.cpu));
  const p1 = wall('gatehouse') / wall('bare');
  const p7 = cpu('gatehouse') / cpu('bare');
  const of = `median of ${rounds}`;
  return [
    info(
      'P1',
      `sign-in, full Gatehouse engine, ${storeLabel} (${of})`,
      `${wall('gatehouse').toFixed(1)} ms`,
    ),
    info('P1', `sign-in, bare openid-client script (${of})`, `${wall('bare').toFixed(1)} ms`),
    info(
      'P1',
      'breakdown: Gatehouse on a memory store instead of the keychain',
      `${wall('memory').toFixed(1)} ms (${times(wall('memory'), wall('bare'))} bare)`,
    ),
    ...floorRows(samples.has('floor'), 'P1', 'sign-in', wall, 1),
    {
      id: 'P1',
      measure: 'Gatehouse / bare',
      value: times(p1, 1),
      target: '≤ 1.15×',
      ok: p1 <= 1.15,
    },
    info(
      'P7',
      `client CPU per sign-in, Gatehouse, ${storeLabel} (${of})`,
      `${cpu('gatehouse').toFixed(2)} ms`,
    ),
    info(
      'P7',
      `client CPU per sign-in, bare openid-client script (${of})`,
      `${cpu('bare').toFixed(2)} ms`,
    ),
    info(
      'P7',
      'breakdown: Gatehouse CPU on a memory store instead of the keychain',
      `${cpu('memory').toFixed(2)} ms (${times(cpu('memory'), cpu('bare'))} bare)`,
    ),
    ...floorRows(samples.has('floor'), 'P7', 'client CPU per sign-in', cpu, 2),
    {
      id: 'P7',
      measure: 'Gatehouse CPU / bare CPU',
      value: times(p7, 1),
      target: '≤ 1.2×',
      ok: p7 <= 1.2,
    },
    info(
      'peer',
      'sign-in, @openid/appauth Node (no ID-token check, no storage)',
      `${wall('appauth').toFixed(1)} ms (${times(wall('appauth'), wall('bare'))} bare), CPU ${cpu('appauth').toFixed(2)} ms`,
    ),
  ];
}

/** P6 during sign-ins (each a new account: a new keychain entry) and during a loopback flood. */
async function blocks(real: ClientCore, remote: RemoteIdp, budget: Budget): Promise<Row[]> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const worst: Block[] = [];
  for (let i = 0; i < budget.rounds; i++)
    worst.push(await longestBlock(histogram, gatehouseRun(real, remote, `block-${i}`)));
  const floods: Block[] = [];
  let refused = 0;
  for (let i = 0; i < budget.windows; i++) {
    const started = await real.core.sessions.signIn('demo', { openBrowser: false });
    const port = Number(new URL(started.url!).port);
    floods.push(
      await longestBlock(histogram, async () => {
        const statuses = await remote.flood(port, '/callback/demo', FLOOD_REQUESTS);
        refused += statuses['400'] ?? 0;
        await real.core.log.flush();
      }),
    );
    // The sign-in still completes after the flood.
    await Promise.all([started.done, remote.open(started.url!, `after-flood-${i}`)]);
  }
  return [
    blockRow(`longest main-thread block during one sign-in, ${real.storeLabel}`, worst),
    blockRow(
      `longest main-thread block during ${FLOOD_REQUESTS} ignored loopback requests to a pending sign-in`,
      floods,
      `; ${refused} of ${FLOOD_REQUESTS * budget.windows} refused with 400`,
    ),
  ];
}
