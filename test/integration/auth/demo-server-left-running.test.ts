/**
 * Attack: the embedded demo provider left listening after sign-in (any local process could then
 * sign in at it), and vouching for any user name's email as verified. The server now listens
 * only while a demo attempt, refresh or sign-out needs it, coming back on the same port (so the
 * issuer stays the same) when one does.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../support/cleanup';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

/** True once the issuer answers nothing (connection refused); bounded to 3 s. */
async function stopsListening(issuer: string): Promise<boolean> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(1000),
      });
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('attack: the demo provider left running after sign-in', () => {
  it('stops after sign-in, comes back on the same issuer for refresh and sign-out', async () => {
    const w = track(
      await buildWorld({ prefix: 'gh-demo-life-', browser: 'http', user: 'mallory' }),
    );
    const c = w.core;
    const account = await (await c.sessions.signIn('demo')).done;
    await w.pages[0];
    const issuer = decodeJwt(c.sessions.tokensOf('demo:mallory')!.idToken!).iss!;
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await stopsListening(issuer)).toBe(true);

    // Not a verified address: the demo signs in any user name.
    expect(account.claims.email).toBe('mallory@demo.gatehouse.invalid');
    expect(account.claims.emailVerified).not.toBe(true);

    const before = c.sessions.tokensOf('demo:mallory')!;
    await c.sessions.refresh('demo:mallory');
    const after = c.sessions.tokensOf('demo:mallory')!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(decodeJwt(after.idToken!).iss).toBe(issuer);
    expect(await stopsListening(issuer)).toBe(true);

    expect(await c.sessions.signOut('demo:mallory')).toEqual({ kind: 'revoked' });
    expect(await stopsListening(issuer)).toBe(true);
  });
});
