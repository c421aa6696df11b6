/**
 * A failed sign-in is logged with the step that failed, not one catch-all: before the link was
 * ready (discovery), opening the browser, the code exchange, or turning the grant into an
 * account. Real parts: oidc-provider behind the fault-injecting fetch, and the demo provider.
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/log';
import type { GatehouseCore } from '../../../main/app/core';
import { cleanupAfterEach } from '../../support/cleanup';
import { faultWorld, type FaultWorld } from '../../support/fault-idp';
import { HttpBrowser } from '../../support/http-browser';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

async function world(...args: Parameters<typeof faultWorld>): Promise<FaultWorld> {
  return track(await faultWorld(...args));
}

const failedSteps = (entry: LogEntry | undefined) =>
  entry?.events.filter((e) => e.step.endsWith('-failed')).map((e) => [e.step, e.code]);

const lastSignIn = (core: GatehouseCore) =>
  core.log.list().findLast((e) => e.outcome !== 'refresh' && e.outcome !== 'sign-out');

describe('sign-in failures in the log', () => {
  it('discovery failing is a start failure, before any listener', async () => {
    const w = await world({ discovery: () => new Response('', { status: 500 }) });
    await expect(w.core.sessions.signIn('idp', { openBrowser: false })).rejects.toMatchObject({
      code: 'server_error',
    });
    const entry = lastSignIn(w.core);
    expect(entry?.outcome).toBe('failed');
    expect(failedSteps(entry)).toEqual([['start-failed', 'server_error']]);
    expect(entry?.events.some((e) => e.step === 'port-bound')).toBe(false);
  });

  it('a browser that cannot be opened is logged, and the attempt keeps waiting', async () => {
    const w = await world(
      {},
      {
        openBrowser: async () => {
          throw new Error('no browser here');
        },
      },
    );
    const started = await w.core.sessions.signIn('idp');
    expect(started.browserOpened).toBe(false);
    const entry = lastSignIn(w.core);
    expect(entry?.outcome).toBe('pending');
    expect(failedSteps(entry)).toEqual([['browser-open-failed', 'browser_open_failed']]);
    w.core.sessions.cancel('idp');
    await expect(started.done).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a token endpoint failing after the callback is an exchange failure', async () => {
    const w = await world({ token: () => new Response('', { status: 500 }) });
    await expect(w.signIn()).rejects.toMatchObject({ code: 'server_error' });
    const entry = lastSignIn(w.core);
    expect(entry?.events.some((e) => e.step === 'callback-received')).toBe(true);
    expect(failedSteps(entry)).toEqual([['exchange-failed', 'server_error']]);
  });

  it('an account to link to that signed out meanwhile is a save failure', async () => {
    const providers = [
      { id: 'demo', kind: 'demo' },
      { id: 'demo2', kind: 'demo', displayName: 'Second demo' },
    ];
    const { core } = track(await buildWorld({ prefix: 'gh-steps-', providers }));
    const first = await core.sessions.signIn('demo', { openBrowser: false });
    await new HttpBrowser().open(first.url!, { user: 'alice' });
    await first.done;
    const linking = await core.sessions.signIn('demo2', {
      openBrowser: false,
      linkTo: 'demo:alice',
    });
    await core.sessions.signOut('demo:alice');
    await new HttpBrowser().open(linking.url!, { user: 'alice2' });
    await expect(linking.done).rejects.toMatchObject({ code: 'account_unknown' });
    expect(failedSteps(lastSignIn(core))).toEqual([['save-failed', 'account_unknown']]);
  });
});
