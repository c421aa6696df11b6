/**
 * `npm run bench:profile`: where a sign-in's CPU time goes in the client. Runs sign-ins through
 * the full engine (built as the app builds it, real keychain when one answers) under the V8 CPU
 * profiler, with the identity provider and the HTTP "browser" in a child process as in P1 and
 * P7, and sums self time by who owns the code. Time spent in Node's internals, fetch or native
 * code (the keychain binding, crypto) is charged to the nearest caller in a JavaScript file, so
 * "Gatehouse engine" includes the keychain and crypto calls it makes.
 */
import { Session } from 'node:inspector/promises';
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
  if (file.startsWith('bench/')) return 'bench harness (IPC to the provider process)';
  if (/node_modules\/(oidc-provider|koa|@koa|jsesc|quick-lru|eta|got|raw-body)/.test(file))
    return 'identity provider (oidc-provider, koa)';
  if (/node_modules\/(openid-client|oauth4webapi)/.test(file))
    return 'openid-client (used by the engine)';
  if (file.includes('node_modules/jose/'))
    return "jose (ID-token checks and the provider's signing)";
  return 'other dependencies';
}

const remote = await RemoteIdp.start();
const client = await clientCore(remote);
// A new account each time, as in P1: each has its own keychain entry to create.
const once = (user: string) => signInRemote(client, remote, user);
for (let i = 0; i < 5; i++) await once(`warm${i}`);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
for (let i = 0; i < COUNT; i++) await once(`p${i}`);
const wall = performance.now() - t0;
const { profile } = (await session.post('Profiler.stop')) as {
  profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
};
const sampleMs = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
const parent = new Map<number, ProfileNode>();
const byId = new Map<number, ProfileNode>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node);
}
const chargeTo = (node: ProfileNode): string => {
  const fn = node.callFrame.functionName;
  if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') return fn;
  for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
    const who = owner(n.callFrame.url);
    if (who) return who;
  }
  return 'Node internals with no JS caller (socket and timer callbacks)';
};
const byOwner = new Map<string, number>();
// Inside the engine: which of its functions the time is charged to (nearest main/ frame).
const inEngine = new Map<string, number>();
for (const node of profile.nodes) {
  const key = chargeTo(node);
  const ms = (node.hitCount ?? 0) * sampleMs;
  byOwner.set(key, (byOwner.get(key) ?? 0) + ms);
  if (!key.startsWith('Gatehouse')) continue;
  for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
    if (!owner(n.callFrame.url)) continue;
    const where = `${n.callFrame.url.slice(ROOT.length)} ${n.callFrame.functionName || '(anonymous)'}`;
    inEngine.set(where, (inEngine.get(where) ?? 0) + ms);
    break;
  }
}
const busy = [...byOwner].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0);
console.log(
  `${COUNT} sign-ins (${client.storeLabel}): ${(wall / COUNT).toFixed(1)} ms each, of which on this thread ${(busy / COUNT).toFixed(1)} ms busy`,
);
console.log('| owner of the code | ms per sign-in | share of busy |');
console.log('|---|---|---|');
for (const [key, ms] of [...byOwner].sort((a, b) => b[1] - a[1])) {
  if (key === '(idle)') continue;
  console.log(`| ${key} | ${(ms / COUNT).toFixed(2)} | ${((ms / busy) * 100).toFixed(0)}% |`);
}
console.log(
  `| (idle: waiting on the keychain, sockets, timers) | ${((byOwner.get('(idle)') ?? 0) / COUNT).toFixed(2)} | |`,
);
console.log('\nInside the engine, by function (self time plus the native calls it makes):');
for (const [where, ms] of [...inEngine].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`  ${(ms / COUNT).toFixed(2)} ms  ${where}`);
await client.close();
await remote.close();
process.exit(0);
