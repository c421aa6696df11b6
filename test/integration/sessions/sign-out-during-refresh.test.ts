/**
 * Signing out while a refresh is running: the sign-out waits for the refresh in flight (so the
 * newest token is the one revoked) and no refresh starts while it runs, so nothing the refresh
 * saves brings the account back, in this run or the next. A real oidc-provider; the transport
 * holds the refresh's answer until the sign-out has begun.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENT_ID,
  demoNativeClient,
  startDemoServer,
  type DemoServer,
} from '../../../main/demo/demo-server';
import { cleanupAfterEach } from '../../support/cleanup';
import { faultFetch, type Endpoint, type FaultRule } from '../../support/fault-idp';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();
let idp: DemoServer;
beforeAll(async () => {
  idp = await startDemoServer({ clients: [demoNativeClient('idp')] });
});
afterAll(async () => idp.close());

/** A gate the refresh's answer waits at; `reached` resolves once a refresh is held there. */
function heldRefresh() {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const rule: FaultRule = async ({ request }) => {
    if (!request.body.includes('grant_type=refresh_token')) return null;
    reached();
    await gate;
    return null; // the provider's real answer: it has already rotated the refresh token
  };
  return { rule, arrived, open };
}

async function signedIn() {
  const rules: Partial<Record<Endpoint, FaultRule>> = {};
  const counters: Record<string, number> = {};
  const world = track(
    await buildWorld({
      prefix: 'gh-signout-refresh-',
      providers: [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID)],
      fetch: faultFetch(idp, rules, counters),
    }),
  );
  await world.signIn('alice');
  return { world, rules, counters };
}

describe('signing out while a refresh is running', () => {
  it('does not bring the account back: nothing is saved, nothing re-armed, nothing restored', async () => {
    const { world, rules, counters } = await signedIn();
    const held = heldRefresh();
    rules.token = held.rule;
    const refreshing = world.sessions.refresh('idp:alice');
    refreshing.catch(() => undefined);
    await held.arrived;
    const signingOut = world.sessions.signOut('idp:alice');
    // The sign-out waits for the refresh, which now finishes with its rotated tokens.
    setTimeout(held.open, 50);
    const outcome = await signingOut;
    await refreshing.catch(() => undefined);
    // The refreshed (newest) token was the one told to the provider.
    expect(outcome.kind).toBe('revoked');
    expect(counters.refresh).toBe(1);
    expect(world.store.values.has('idp:alice')).toBe(false);
    expect(await world.index.list()).toEqual([]);
    expect(world.sessions.snapshot().accounts).toEqual([]);
    // No timer was left armed: nothing refreshes later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counters.refresh).toBe(1);
    const next = await world.reopen();
    await next.sessions.restore();
    expect(next.sessions.snapshot().accounts).toEqual([]);
  });

  it('a refresh asked for during the sign-out does not run: the account is gone', async () => {
    const { world, rules, counters } = await signedIn();
    let release!: () => void;
    const revocation = new Promise<void>((resolve) => (release = resolve));
    rules.revocation = async () => {
      await revocation;
      return null;
    };
    const signingOut = world.sessions.signOut('idp:alice');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refreshing = world.sessions.refresh('idp:alice');
    refreshing.catch(() => undefined);
    release();
    await signingOut;
    await expect(refreshing).rejects.toMatchObject({ code: 'account_unknown' });
    expect(counters.refresh ?? 0).toBe(0);
    expect(world.store.values.has('idp:alice')).toBe(false);
    expect(await world.index.list()).toEqual([]);
  });
});
