/**
 * Negative matrix: refresh, revocation and attempt-lifetime faults, through the whole engine
 * against a real oidc-provider with faults injected in the transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoNativeClient, startDemoServer, type DemoServer } from '../../main/demo/demo-server';
import { decodeStoredAccount } from '../../main/auth/stored-account';
import {
  faultWorld,
  forgeIdToken,
  json,
  type FaultRule,
  type FaultWorld,
} from '../support/fault-idp';
import { HttpBrowser } from '../support/http-browser';

let idp: DemoServer;
beforeAll(async () => {
  idp = await startDemoServer({ clients: [demoNativeClient('idp')] });
});
afterAll(async () => idp.close());

const onRefresh =
  (rule: FaultRule): FaultRule =>
  (ctx) =>
    ctx.request.body.includes('grant_type=refresh_token') ? rule(ctx) : null;

async function signedIn(): Promise<FaultWorld> {
  const world = await faultWorld({}, { idp });
  await world.signIn('alice');
  return world;
}

describe('negative matrix: refresh faults', () => {
  it.each<[string, FaultRule]>([
    [
      'invalid_grant → session_expired, account expired',
      () => json({ error: 'invalid_grant' }, 400),
    ],
    [
      'a 400 with an empty body → session_expired, no crash',
      () => new Response('', { status: 400 }),
    ],
  ])('%s', async (_name, rule) => {
    const world = await signedIn();
    try {
      world.rules.token = onRefresh(rule);
      await expect(world.core.sessions.refresh('idp:alice')).rejects.toMatchObject({
        code: 'session_expired',
      });
      const account = world.core.sessions.snapshot().accounts[0]!;
      expect(account.status.kind).toBe('expired');
      expect(world.store.values.has('idp:alice')).toBe(false);
    } finally {
      await world.close();
    }
  });

  it('no new refresh token in the answer → the old one is kept', async () => {
    const world = await signedIn();
    try {
      const before = world.core.sessions.tokensOf('idp:alice')!;
      world.rules.token = onRefresh(({ real }) => {
        const body = JSON.parse(real.body) as Record<string, unknown>;
        delete body.refresh_token;
        return json(body);
      });
      await world.core.sessions.refresh('idp:alice');
      const after = world.core.sessions.tokensOf('idp:alice')!;
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(after.refreshToken).toBe(before.refreshToken);
      expect(decodeStoredAccount(world.store.values.get('idp:alice')!)!.tokens.refreshToken).toBe(
        before.refreshToken,
      );
    } finally {
      await world.close();
    }
  });

  it('a refreshed ID token with a changed sub → refresh_identity_changed, account expired', async () => {
    const world = await signedIn();
    try {
      world.rules.token = onRefresh(forgeIdToken((c) => ({ ...c, sub: 'mallory' })));
      await expect(world.core.sessions.refresh('idp:alice')).rejects.toMatchObject({
        code: 'refresh_identity_changed',
      });
      expect(world.core.sessions.snapshot().accounts[0]!.status.kind).toBe('expired');
    } finally {
      await world.close();
    }
  });

  it('a refreshed ID token with a bad signature → id_token_invalid, the session kept', async () => {
    const world = await signedIn();
    try {
      world.rules.token = onRefresh(forgeIdToken((c) => c, 'bad-signature'));
      await expect(world.core.sessions.refresh('idp:alice')).rejects.toMatchObject({
        code: 'id_token_invalid',
      });
      expect(world.core.sessions.snapshot().accounts[0]!.status.kind).toBe('signed-in');
    } finally {
      await world.close();
    }
  });

  it('two refreshes at once → exactly one token request, both resolve', async () => {
    const world = await signedIn();
    try {
      world.counters.refresh = 0;
      await Promise.all([
        world.core.sessions.refresh('idp:alice'),
        world.core.sessions.refresh('idp:alice'),
      ]);
      expect(world.counters.refresh).toBe(1);
    } finally {
      await world.close();
    }
  });

  it.each<[string, FaultRule, string]>([
    [
      'a 503 → server_error, still signed in, retry scheduled',
      () => new Response('', { status: 503 }),
      'server_error',
    ],
    [
      'a 429 → rate_limited, still signed in',
      () => new Response('', { status: 429, headers: { 'retry-after': '10' } }),
      'rate_limited',
    ],
    ['no answer → timeout, still signed in', () => 'hang', 'timeout'],
  ])('%s', async (_name, rule, code) => {
    const world = await signedIn();
    try {
      world.rules.token = onRefresh(rule);
      await expect(world.core.sessions.refresh('idp:alice')).rejects.toMatchObject({ code });
      const account = world.core.sessions.snapshot().accounts[0]!;
      expect(account.status.kind).toBe('signed-in');
      expect(world.store.values.has('idp:alice')).toBe(true);
    } finally {
      await world.close();
    }
  });

  it('rotation: the new refresh token reaches the store before the new state is announced', async () => {
    const world = await signedIn();
    try {
      const order: string[] = [];
      const set = world.store.set.bind(world.store);
      world.store.set = async (id, value) => {
        order.push(`store:${decodeStoredAccount(value)!.tokens.refreshToken!.slice(0, 8)}`);
        await set(id, value);
      };
      world.core.sessions.onChange((s) => {
        const st = s.accounts[0]?.status;
        if (st?.kind === 'signed-in')
          order.push(
            `event:${world.core.sessions.tokensOf('idp:alice')!.refreshToken!.slice(0, 8)}`,
          );
      });
      const before = world.core.sessions.tokensOf('idp:alice')!.refreshToken!;
      await world.core.sessions.refresh('idp:alice');
      const after = world.core.sessions.tokensOf('idp:alice')!.refreshToken!;
      expect(after).not.toBe(before);
      expect(order.indexOf(`store:${after.slice(0, 8)}`)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`store:${after.slice(0, 8)}`)).toBeLessThan(
        order.indexOf(`event:${after.slice(0, 8)}`),
      );
    } finally {
      await world.close();
    }
  });
});

describe('negative matrix: revocation', () => {
  it('no revocation endpoint → sign-out is local only, and says so', async () => {
    const world = await faultWorld(
      {
        discovery: ({ real }) => {
          const body = JSON.parse(real.body) as Record<string, unknown>;
          delete body.revocation_endpoint;
          return json(body);
        },
      },
      { idp },
    );
    try {
      await world.signIn('alice');
      await expect(world.core.sessions.signOut('idp:alice')).resolves.toEqual({
        kind: 'no-revocation',
      });
      expect(world.core.sessions.snapshot().accounts).toEqual([]);
      expect(world.store.values.size).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('revocation endpoint failing → forgotten locally anyway, with a warning', async () => {
    const world = await signedIn();
    try {
      world.rules.revocation = () => new Response('', { status: 500 });
      const result = await world.core.sessions.signOut('idp:alice');
      expect(result).toEqual({ kind: 'refused', status: 500 });
      expect(world.core.sessions.snapshot().accounts).toEqual([]);
      expect(world.store.values.size).toBe(0);
    } finally {
      await world.close();
    }
  });
});

describe('negative matrix: attempt lifetime', () => {
  it('a new sign-in for the same provider supersedes the pending one', async () => {
    const world = await faultWorld({}, { idp });
    try {
      const first = await world.core.sessions.signIn('idp', { openBrowser: false });
      const firstUrl = world.core.sessions.authorizationUrlOf('idp');
      const second = await world.core.sessions.signIn('idp', { openBrowser: false });
      await expect(first.done).rejects.toMatchObject({ code: 'superseded' });
      const port = Number(new URL(new URL(firstUrl).searchParams.get('redirect_uri')!).port);
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      world.core.sessions.cancel('idp');
      await expect(second.done).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await world.close();
    }
  });

  it('cancel → cancelled, nothing stored', async () => {
    const world = await faultWorld({}, { idp });
    try {
      const started = await world.core.sessions.signIn('idp', { openBrowser: false });
      expect(world.core.sessions.cancel('idp')).toBe(true);
      await expect(started.done).rejects.toMatchObject({ code: 'cancelled' });
      expect(world.core.sessions.snapshot()).toEqual({ accounts: [], pending: [] });
    } finally {
      await world.close();
    }
  });

  it('an unknown provider → provider_unknown', async () => {
    const world = await faultWorld({}, { idp });
    try {
      await expect(world.core.sessions.signIn('nope')).rejects.toMatchObject({
        code: 'provider_unknown',
      });
    } finally {
      await world.close();
    }
  });

  it('the browser cannot be opened → the attempt keeps waiting, and its link signs in', async () => {
    const world = await faultWorld(
      {},
      {
        idp,
        openBrowser: async () => {
          throw new Error('xdg-open: no method available for opening');
        },
      },
    );
    try {
      const started = await world.core.sessions.signIn('idp');
      expect(started.browserOpened).toBe(false);
      const pending = world.core.sessions.snapshot().pending[0]!;
      expect(pending.status).toMatchObject({ kind: 'waiting-for-browser', browserOpened: false });
      expect(JSON.stringify(pending)).not.toContain('xdg-open');
      await new HttpBrowser().open(started.url!, { user: 'alice' });
      await expect(started.done).resolves.toMatchObject({ sub: 'alice' });
    } finally {
      await world.close();
    }
  });
});
