/**
 * Standard RFC 8628 through openid-client (main/auth/device-dialects.ts startStandardDeviceFlow)
 * against a real oidc-provider on 127.0.0.1 with its deviceFlow feature: the person's side (the
 * code page, confirm, login, consent) is driven over HTTP the way a browser would submit it.
 */
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import * as client from 'openid-client';
import { startStandardDeviceFlow } from '../../../main/auth/device-dialects';
import { GatehouseError } from '../../../main/ports/errors';

const CLIENT_ID = 'gatehouse-device';
const realAny = AbortSignal.any.bind(AbortSignal);
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function startIdp(deviceCodeTtl = 600) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_GRANT],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'k1' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    ttl: { DeviceCode: deviceCodeTtl },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());
  open.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return issuer;
}

/** openid-client's Configuration, with the device answer's `interval` rewritten when asked. */
async function configure(issuer: string, clientId = CLIENT_ID, interval?: unknown) {
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  config[client.customFetch] = async (url, options) => {
    const response = await fetch(url, options as RequestInit);
    if (interval === undefined || !url.endsWith('/device/auth') || !response.ok) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return Response.json({ ...body, interval }, { status: response.status });
  };
  return config;
}

const start = (config: client.Configuration) =>
  startStandardDeviceFlow(config, { provider: 'Test IdP', scope: 'openid', now: Date.now });

/**
 * Submits each page's post form as a browser would (form_post, confirm, login, consent),
 * following redirects with a cookie jar, until a page has no form. Loopback only, bounded.
 */
async function approveInBrowser(url: string, choice: 'approve' | 'abort' = 'approve') {
  const jar = new Map<string, string>();
  let target = new URL(url);
  let init: { method: string; body?: string } = { method: 'GET' };
  let aborted = false;
  for (let hop = 0; hop < 20; hop++) {
    expect(target.hostname).toBe('127.0.0.1');
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
      fields.set('login', 'ada');
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

describe('standard RFC 8628 device flow through openid-client', () => {
  it('shows a validated code, then returns the tokens once the person approves', async () => {
    const config = await configure(await startIdp(), CLIENT_ID, 1);
    const flow = await start(config);
    const { code } = flow;
    expect(code.userCode).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(code.verificationUri).toBe(`${config.serverMetadata().issuer}/device`);
    expect(code.verificationUriComplete).toContain('user_code=');
    expect(code.intervalSeconds).toBe(1);
    expect(code.expiresAt).toBeGreaterThan(Date.now() + 590_000);
    const polling = flow.poll(new AbortController().signal);
    const page = await approveInBrowser(code.verificationUriComplete!);
    expect(page).toContain('Sign-in Success');
    const tokens = await polling;
    expect(typeof tokens.access_token).toBe('string');
    // openid-client verified the ID token (iss, aud, exp, signature) before returning it.
    expect(decodeJwt(tokens.id_token!).sub).toBe('ada');
  });

  it('after the tokens arrive no abort listener stays on the polling signal until the code expires', async () => {
    const config = await configure(await startIdp(), CLIENT_ID, 1);
    const flow = await start(config);
    // The polling signal is made inside the module: watch AbortSignal.any hand it out.
    const made: AbortSignal[] = [];
    const any = vi.spyOn(AbortSignal, 'any').mockImplementation((signals) => {
      const signal = realAny(signals);
      made.push(signal);
      return signal;
    });
    try {
      const polling = flow.poll(new AbortController().signal);
      await approveInBrowser(flow.code.verificationUriComplete!);
      await polling;
    } finally {
      any.mockRestore();
    }
    expect(made).toHaveLength(1);
    expect(getEventListeners(made[0]!, 'abort')).toEqual([]);
  });

  it('the person aborts on the confirm page → access_denied', async () => {
    const config = await configure(await startIdp(), CLIENT_ID, 1);
    const flow = await start(config);
    const polling = flow.poll(new AbortController().signal);
    polling.catch(() => undefined);
    await approveInBrowser(flow.code.verificationUriComplete!, 'abort');
    await expect(polling).rejects.toMatchObject({ code: 'access_denied' });
    await expect(polling).rejects.toBeInstanceOf(GatehouseError);
  });

  it('nobody enters the code before it expires → device_code_expired', async () => {
    const config = await configure(await startIdp(2), CLIENT_ID, 1);
    const flow = await start(config);
    await expect(flow.poll(new AbortController().signal)).rejects.toMatchObject({
      code: 'device_code_expired',
    });
  });

  it('a cancel ends polling at once, keeping the caller’s reason; a plain abort is cancelled', async () => {
    // The server's default interval (5 s): the cancel must not wait for the next poll.
    const flow = await start(await configure(await startIdp()));
    const superseded = new GatehouseError('superseded', 'A newer sign-in replaced this one.');
    for (const [reason, expected] of [
      [superseded, superseded],
      [undefined, expect.objectContaining({ code: 'cancelled' })],
    ] as const) {
      const controller = new AbortController();
      const began = Date.now();
      setTimeout(() => controller.abort(reason), 100);
      await expect(flow.poll(controller.signal)).rejects.toEqual(expected);
      expect(Date.now() - began).toBeLessThan(2000);
    }
  });

  // openid-client itself refuses an interval of 0 or below; the clamp takes the rest.
  it.each([
    [0.5, 1],
    [3600, 60],
  ])('the server says interval %s → polls every %s s', async (interval, clamped) => {
    const flow = await start(await configure(await startIdp(), CLIENT_ID, interval));
    expect(flow.code.intervalSeconds).toBe(clamped);
  });

  it('without an interval the RFC default of 5 s applies', async () => {
    const flow = await start(await configure(await startIdp()));
    expect(flow.code.intervalSeconds).toBe(5);
  });

  it('a client the server does not know → invalid_client, before any code is shown', async () => {
    const config = await configure(await startIdp(), 'nobody');
    await expect(start(config)).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('a server without a device authorization endpoint → device_flow_unsupported', async () => {
    const config = new client.Configuration(
      { issuer: 'https://id.example.com', token_endpoint: 'https://id.example.com/token' },
      CLIENT_ID,
    );
    await expect(start(config)).rejects.toMatchObject({ code: 'device_flow_unsupported' });
  });
});
