/**
 * Attack: during an OIDC device sign-in, whoever sits on the token answer (a TLS-inspecting box,
 * a poisoned proxy) swaps the ID token for one it signed itself, naming another person. The
 * device flow has no nonce, so the signature, issuer and audience checks are the whole defence:
 * the sign-in must fail with id_token_invalid and save nothing. Real oidc-provider with its
 * deviceFlow feature; the forgery is made with jose from a key the provider never published.
 */
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cleanup';
import { approveInBrowser, DEVICE_CLIENT_ID, startDeviceIdp } from '../support/device-idp';
import { buildWorld } from '../support/world';

const track = cleanupAfterEach();

async function deviceWorld(forge: boolean) {
  const idp = track(await startDeviceIdp());
  const { privateKey } = await generateKeyPair('RS256');
  const transport: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!forge || !url.endsWith('/token') || !answer.ok) return answer;
    const body = (await answer.json()) as Record<string, unknown>;
    const real = decodeJwt(String(body.id_token));
    body.id_token = await new SignJWT({ ...real, sub: 'mallory', name: 'Mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
    return Response.json(body);
  };
  const w = track(
    await buildWorld({
      prefix: 'gh-device-forged-',
      providers: [{ id: 'corp', kind: 'oidc', issuer: idp.issuer, clientId: DEVICE_CLIENT_ID }],
      fetch: transport,
    }),
  );
  const started = await w.sessions.signIn('corp', { method: 'device' });
  started.done.catch(() => undefined);
  const status = w.sessions.snapshot().pending[0]!.status;
  if (status.kind !== 'device-code') throw new Error(`no device code: ${status.kind}`);
  await approveInBrowser(`${status.verificationUri}?user_code=${status.userCode}`);
  return { w, done: started.done };
}

describe('OIDC device sign-in: the ID token is checked without a nonce', () => {
  it('an ID token signed by another key is refused, and no account is saved', async () => {
    const { w, done } = await deviceWorld(true);
    await expect(done).rejects.toMatchObject({ code: 'id_token_invalid' });
    expect(w.sessions.snapshot().accounts).toEqual([]);
  });

  it('the genuine one signs in (no nonce is asked of the device flow)', async () => {
    const { done } = await deviceWorld(false);
    await expect(done).resolves.toMatchObject({
      accountId: 'corp:ada',
      claims: { name: 'Ada Device' },
    });
  });
});
