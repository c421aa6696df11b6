/**
 * oidc-provider with its RFC 8628 deviceFlow feature on, on 127.0.0.1, for the device-flow tests
 * (test/integration/providers/device-flow-standard.test.ts, test/integration/cli/device-oidc.test.ts),
 * and the person's side of it: approveInBrowser submits the code page, confirm, login and consent
 * forms as a browser would.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export const DEVICE_CLIENT_ID = 'gatehouse-device';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceIdp {
  issuer: string;
  close(): Promise<void>;
}

/**
 * Any login name signs in and becomes the sub; name and email come with their scopes. With
 * `browserFor`, the client may also sign in through the browser, on the loopback redirect URI of
 * that provider id (any port, as RFC 8252 §7.3 has native clients).
 */
export async function startDeviceIdp(
  options: { deviceCodeTtl?: number; browserFor?: string } = {},
): Promise<DeviceIdp> {
  const browser = options.browserFor
    ? {
        grant_types: [DEVICE_GRANT, 'refresh_token', 'authorization_code'],
        response_types: ['code' as const],
        redirect_uris: [`http://127.0.0.1/callback/${options.browserFor}`],
      }
    : {};
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEVICE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_GRANT, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        ...browser,
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'k1' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    ttl: { DeviceCode: options.deviceCodeTtl ?? 600 },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        name: `${id[0]!.toUpperCase()}${id.slice(1)} Device`,
        email: `${id}@device.test`,
      }),
    }),
  });
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { issuer, close };
}

/**
 * Submits each page's post form as a browser would (form_post, confirm, login, consent),
 * following redirects with a cookie jar, until a page has no form. Loopback only, bounded.
 */
export async function approveInBrowser(
  url: string,
  choice: 'approve' | 'abort' = 'approve',
  login = 'ada',
) {
  const jar = new Map<string, string>();
  let target = new URL(url);
  let init: { method: string; body?: string } = { method: 'GET' };
  let aborted = false;
  for (let hop = 0; hop < 20; hop++) {
    if (target.hostname !== '127.0.0.1') throw new Error(`refused to visit ${target.href}`);
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const page = await response.text();
    const location = response.headers.get('location');
    if (location) {
      target = new URL(location, target);
      init = { method: 'GET' };
      continue;
    }
    const form = /<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/i.exec(page)?.[0];
    if (!form || aborted) return page;
    const fields = new URLSearchParams();
    for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      fields.set(m[1]!, m[2]!.replace(/&amp;/g, '&'));
    if (/name="login"/.test(form)) {
      fields.set('login', login);
      fields.set('password', 'any');
    }
    if (fields.has('confirm') && choice === 'abort') {
      fields.set('abort', 'yes');
      aborted = true;
    }
    target = new URL(/action="([^"]+)"/.exec(form)![1]!.replace(/&amp;/g, '&'), target);
    init = { method: 'POST', body: fields.toString() };
  }
  throw new Error('too many pages while approving the code');
}
