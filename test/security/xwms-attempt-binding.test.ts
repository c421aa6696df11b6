/**
 * XWMS attempts are bound by more than the token: the token is in the XWMS page's URL, so
 * whoever sees that page can use it. The redirect_url sent to sign-token (app → XWMS API only)
 * holds a random path segment per attempt, and the loopback requires it with the token.
 * The local XWMS server appends `?token=` to redirect_url as the XWMS guide does.
 */
import { describe, expect, it } from 'vitest';
import type { GatehouseCore as Core } from '../../main/app/core';
import { cleanupAfterEach } from '../support/cleanup';
import { HttpBrowser } from '../support/http-browser';
import { buildWorld } from '../support/world';
import { startXwmsServer, type XwmsServer } from '../support/xwms-server';

const track = cleanupAfterEach();

async function app(xw: XwmsServer, prefix: string) {
  const { clientId, clientSecret, domain, credentialStyle } = xw.knobs;
  const provider = { id: 'xwms', kind: 'xwms', apiUrl: xw.apiUrl, credentialStyle };
  const w = track(
    await buildWorld({ prefix, providers: [{ ...provider, clientId, clientSecret, domain }] }),
  );
  return w.core;
}

/** The victim's attempt, their browser at the XWMS login page (it holds the sign-in cookie). */
async function victimAtXwmsPage(core: Core) {
  const started = await core.sessions.signIn('xwms', { openBrowser: false });
  const browser = new HttpBrowser();
  const atLogin = await browser.open(started.url!);
  expect(atLogin.body).toMatch(/name="login"/);
  // What anyone who sees the XWMS page's URL learns: the token.
  const token = new URL(core.sessions.authorizationUrlOf('xwms')).searchParams.get('token')!;
  const loopback = new URL(started.url!).origin;
  return { started, browser, token, loopback };
}

/** The attacker signs in at XWMS as themselves with a token; XWMS's redirect is not followed. */
async function approveAs(xw: XwmsServer, token: string, user: string) {
  const reply = await fetch(`${xw.url}/login/${token}`, {
    method: 'POST',
    body: new URLSearchParams({ login: user }),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  expect(reply.status).toBe(302);
}

/** Ignored callbacks are one counter per attempt in the sign-in log. */
function ignoredCount(core: Core, attemptId: string) {
  const entry = core.log.list().find((e) => e.attemptId === attemptId)!;
  return entry.events
    .filter((e) => e.step === 'callback-ignored' && e.detail === 'not this attempt')
    .reduce((sum, e) => sum + (e.count ?? 1), 0);
}

async function genuineFinish(core: Core, victim: Awaited<ReturnType<typeof victimAtXwmsPage>>) {
  expect(core.sessions.snapshot().pending[0]!.status.kind).toBe('waiting-for-browser');
  const done = await victim.browser.open(victim.started.url!, { user: 'ada' });
  expect(done.status).toBe(200);
  await expect(victim.started.done).resolves.toMatchObject({ accountId: 'xwms:4242' });
  expect(core.sessions.snapshot().accounts.map((a) => a.accountId)).toEqual(['xwms:4242']);
}

describe('XWMS: a token reused from another attempt', () => {
  it('delivered to the victim’s loopback on the bare path or another attempt’s path signs no one in', async () => {
    const xw = track(await startXwmsServer());
    const core = await app(xw, 'gh-xwms-victim-');
    const victim = await victimAtXwmsPage(core);
    // The attacker's own attempt, in their own app: its redirect path and token.
    const attackerCore = await app(xw, 'gh-xwms-attacker-');
    const own = await attackerCore.sessions.signIn('xwms', { openBrowser: false });
    const ownToken = new URL(attackerCore.sessions.authorizationUrlOf('xwms')).searchParams.get(
      'token',
    )!;
    const otherPath = new URL(xw.issued.get(ownToken)!.redirect).pathname;
    await approveAs(xw, ownToken, 'alan');
    await approveAs(xw, victim.token, 'alan');
    // A page the victim has open sends their browser (cookie and all) to the loopback.
    for (const target of [
      `/callback/xwms?token=${victim.token}`,
      `${otherPath}?token=${victim.token}`,
      `${otherPath}?token=${ownToken}`,
      `/callback/xwms?token=${ownToken}`,
    ]) {
      const reply = await victim.browser.open(`${victim.loopback}${target}`);
      expect(reply.status, target).toBe(400);
    }
    expect(ignoredCount(core, victim.started.attemptId)).toBe(4);
    await genuineFinish(core, victim);
    attackerCore.sessions.cancel('xwms');
    await own.done.catch(() => undefined);
  });
});

describe('XWMS: an early callback with the right token', () => {
  it('without the attempt’s random path does not end the attempt; the genuine callback completes it', async () => {
    const xw = track(await startXwmsServer());
    const core = await app(xw, 'gh-xwms-early-');
    const victim = await victimAtXwmsPage(core);
    const early = await victim.browser.open(
      `${victim.loopback}/callback/xwms?token=${victim.token}`,
    );
    expect(early.status).toBe(400);
    const wrong = `${victim.loopback}/callback/xwms/${'A'.repeat(22)}?token=${victim.token}`;
    expect((await victim.browser.open(wrong)).status).toBe(400);
    expect(ignoredCount(core, victim.started.attemptId)).toBe(2);
    await genuineFinish(core, victim);
  });

  it('the redirect_url sent to XWMS carries a fresh random path per attempt and no query', async () => {
    const xw = track(await startXwmsServer());
    const core = await app(xw, 'gh-xwms-path-');
    const paths = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const started = await core.sessions.signIn('xwms', { openBrowser: false });
      const token = new URL(core.sessions.authorizationUrlOf('xwms')).searchParams.get('token')!;
      const redirect = new URL(xw.issued.get(token)!.redirect);
      expect(redirect.search).toBe('');
      expect(redirect.pathname).toMatch(/^\/callback\/xwms\/[\w-]{22,}$/);
      paths.add(redirect.pathname);
      core.sessions.cancel('xwms');
      await started.done.catch(() => undefined);
    }
    expect(paths.size).toBe(2);
  });
});
