/**
 * Standard RFC 8628 through openid-client (main/auth/device-dialects.ts startStandardDeviceFlow)
 * against a real oidc-provider on 127.0.0.1 with its deviceFlow feature: the person's side (the
 * code page, confirm, login, consent) is driven over HTTP the way a browser would submit it.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { startStandardDeviceFlow } from '../../../main/auth/device-dialects';
import { GatehouseError } from '../../../main/ports/errors';
import {
  approveInBrowser,
  DEVICE_CLIENT_ID as CLIENT_ID,
  startDeviceIdp,
} from '../../support/device-idp';

const realAny = AbortSignal.any.bind(AbortSignal);
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function startIdp(deviceCodeTtl = 600) {
  const idp = await startDeviceIdp({ deviceCodeTtl });
  open.push(idp.close);
  return idp.issuer;
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
