/**
 * `npm run bench:profile`: where a sign-in's CPU time goes in the client. Runs sign-ins through
 * the full engine (built as the app builds it, real keychain when one answers) under the V8 CPU
 * profiler, with the identity provider and the HTTP "browser" in a child process as in P1 and
 * P7, and sums self time by who owns the code. Time spent in Node's internals, fetch or native
 * code (the keychain binding, crypto) is charged to the nearest caller in a JavaScript file, so
 * "Gatehouse engine" includes the keychain and crypto calls it makes. The bare openid-client
 * script of P1 and P7 (bench/bare.ts) is profiled the same way beside it, so each owner's column
 * shows what Gatehouse spends where the bare script spends its own.
 */
import { Session } from 'node:inspector/promises';
import { bareConfig, bareSignIn } from './bare';
import { clientCore, signInRemote } from './client-world';
import { RemoteIdp } from './remote-idp';

const COUNT = Number(process.env.PROFILE_SIGN_INS ?? 40);

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  hitCount?: number;
  children?: number[];
}

const ROOT = `file://${process.cwd()}/`;

/** Who owns a frame's code, or null for Node internals and native code (charged to the caller). */
function owner(url: string): string | null {
  if (!url.startsWith(ROOT)) return null;
  const file = url.slice(ROOT.length);
  if (file.startsWith('main/demo/')) return 'identity provider (oidc-provider, koa)';
  if (file.startsWith('main/'))
    return 'Gatehouse engine (main/, incl. its keychain and crypto calls)';
  if (file.startsWith('test/support/')) return 'HTTP "browser" (test support)';
  if (file === 'bench/bare.ts') return 'the bare script (bench/bare.ts)';
  if (file.startsWith('bench/')) return 'bench harness (IPC to the provider process)';
  if (/node_modules\/(oidc-provider|koa|@koa|jsesc|quick-lru|eta|got|raw-body)/.test(file))
    return 'identity provider (oidc-provider, koa)';
  if (/node_modules\/(openid-client|oauth4webapi)/.test(file))
    return 'openid-client (used by the engine)';
  if (file.includes('node_modules/jose/'))
    return "jose (ID-token checks and the provider's signing)";
  return 'other dependencies';
}

type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });

/** COUNT runs of `once` under the profiler, after five to warm up. */
async function profiled(once: (user: string) => Promise<unknown>, tag: string) {
  for (let i = 0; i < 5; i++) await once(`warm-${tag}-${i}`);
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) await once(`${tag}-${i}`);
  const wall = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  return { wall, ...charged(profile) };
}

/** Each sample's time, charged to the owner of its nearest owned frame (and, in the engine, to
 * that frame's function). */
function charged(profile: Profile) {
  const sampleMs = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node);
  const byOwner = new Map<string, number>();
  const inEngine = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * sampleMs;
    const fn = node.callFrame.functionName;
    let key = ['(idle)', '(program)', '(garbage collector)'].includes(fn) ? fn : null;
    let n: ProfileNode | undefined = key ? undefined : node;
    while (n && !(key = owner(n.callFrame.url))) n = parent.get(n.id);
    key ??= 'Node internals with no JS caller (socket and timer callbacks)';
    byOwner.set(key, (byOwner.get(key) ?? 0) + ms);
    if (!key.startsWith('Gatehouse') || !n) continue;
    const frame = n.callFrame;
    const where = `${frame.url.slice(ROOT.length)} ${frame.functionName || '(anonymous)'}`;
    inEngine.set(where, (inEngine.get(where) ?? 0) + ms);
  }
  return { byOwner, inEngine };
}

const remote = await RemoteIdp.start();
const client = await clientCore(remote);
const bare = await bareConfig(remote.issuer);
// A new account each time, as in P1: each has its own keychain entry to create.
const gatehouse = await profiled((user) => signInRemote(client, remote, user), 'p');
const script = await profiled(async (user) => {
  const { page } = await bareSignIn(bare, (url, u) => remote.open(url, u), user);
  await page;
}, 'bare');

const busy = (m: Map<string, number>) =>
  [...m].filter(([k]) => k !== '(idle)').reduce((sum, [, v]) => sum + v, 0) / COUNT;
const per = (m: Map<string, number>, key: string) => ((m.get(key) ?? 0) / COUNT).toFixed(2);
console.log(
  `${COUNT} sign-ins each (Gatehouse on the ${client.storeLabel}; the bare script): ` +
    `${(gatehouse.wall / COUNT).toFixed(1)} and ${(script.wall / COUNT).toFixed(1)} ms each, ` +
    `of which on this thread ${busy(gatehouse.byOwner).toFixed(1)} and ${busy(script.byOwner).toFixed(1)} ms busy`,
);
console.log('| owner of the code | Gatehouse, ms per sign-in | bare script, ms per sign-in |');
console.log('|---|---|---|');
const owners = new Set([...gatehouse.byOwner.keys(), ...script.byOwner.keys()]);
owners.delete('(idle)');
for (const key of [...owners].sort(
  (a, b) => (gatehouse.byOwner.get(b) ?? 0) - (gatehouse.byOwner.get(a) ?? 0),
))
  console.log(`| ${key} | ${per(gatehouse.byOwner, key)} | ${per(script.byOwner, key)} |`);
console.log(
  `| (idle: waiting on the keychain, sockets, timers) | ${per(gatehouse.byOwner, '(idle)')} | ${per(script.byOwner, '(idle)')} |`,
);
console.log('\nInside the engine, by function (self time plus the native calls it makes):');
for (const [where, ms] of [...gatehouse.inEngine].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`  ${(ms / COUNT).toFixed(2)} ms  ${where}`);
await client.close();
await remote.close();
process.exit(0);
