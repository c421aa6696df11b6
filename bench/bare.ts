/**
 * The bare client P1 and P7 compare with: the same protocol steps as Gatehouse (PKCE S256,
 * state and nonce, a loopback listener, the code exchange with its ID-token checks, userinfo),
 * written directly against openid-client, with the same remote browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';

export type Open = (url: string, user: string) => Promise<void>;

export async function bareConfig(issuer: string): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), 'bare', undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
}

/**
 * One sign-in; `elapsed` stops at userinfo, as Gatehouse's clock stops when signed in, or once
 * `save` (bench/bare-durable.ts) has stored the tokens.
 */
export async function bareSignIn(
  config: client.Configuration,
  open: Open,
  user: string,
  save?: (tokens: client.TokenEndpointResponse) => Promise<void>,
): Promise<{ elapsed: number; page: Promise<void> }> {
  const t0 = performance.now();
  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  let resolveCallback!: (url: URL) => void;
  const callback = new Promise<URL>((r) => (resolveCallback = r));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname === '/callback/bare' && url.searchParams.get('state') === state) {
      res.end('ok');
      server.close();
      resolveCallback(url);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: `http://127.0.0.1:${port}/callback/bare`,
    scope: 'openid email profile offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const page = open(authUrl.href, user);
  page.catch(() => undefined); // awaited by the caller; a failure also stops `callback` below
  const url = await Promise.race([callback, page.then(() => callback)]);
  const tokens = await client.authorizationCodeGrant(config, url, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  await save?.(tokens);
  return { elapsed: performance.now() - t0, page };
}
