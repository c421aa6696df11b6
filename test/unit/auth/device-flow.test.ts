/**
 * The device-flow core (main/auth/device-flow.ts) as a specification: what a device
 * authorization response must carry (RFC 8628 §3.2), how the interval is clamped, how §3.5's
 * error codes become GatehouseErrors, and how the poller paces itself and stops.
 */
import { describe, expect, it } from 'vitest';
import {
  clampInterval,
  DEFAULT_INTERVAL_SECONDS,
  deviceError,
  MAX_EXPIRES_IN_SECONDS,
  MAX_INTERVAL_SECONDS,
  pollDeviceToken,
  validateDeviceCode,
  type DevicePollOptions,
} from '../../../main/auth/device-flow';
import { GatehouseError } from '../../../main/ports/errors';

const NOW = 1_700_000_000_000;
const good = {
  device_code: 'dc-1',
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://example.com/device',
  verification_uri_complete: 'https://example.com/device?user_code=WDJB-MJHT',
  expires_in: 900,
  interval: 5,
};

function refusal(body: unknown): GatehouseError {
  try {
    validateDeviceCode(body, NOW, 'Example');
  } catch (error) {
    expect(error).toBeInstanceOf(GatehouseError);
    return error as GatehouseError;
  }
  throw new Error('the answer was accepted');
}

describe('clampInterval', () => {
  it.each([
    [undefined, DEFAULT_INTERVAL_SECONDS],
    [Number.NaN, DEFAULT_INTERVAL_SECONDS],
    [0, 1],
    [-3, 1],
    [0.2, 1],
    [1, 1],
    [5, 5],
    [2.5, 2.5],
    [60, 60],
    [61, MAX_INTERVAL_SECONDS],
    [86_400, MAX_INTERVAL_SECONDS],
    [Number.POSITIVE_INFINITY, MAX_INTERVAL_SECONDS],
  ])('interval %s → %s s', (raw, expected) => {
    expect(clampInterval(raw)).toBe(expected);
  });
});

describe('validateDeviceCode', () => {
  it('accepts a complete answer and keeps only what it needs', () => {
    expect(validateDeviceCode(good, NOW, 'Example')).toEqual({
      deviceCode: 'dc-1',
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://example.com/device',
      verificationUriComplete: 'https://example.com/device?user_code=WDJB-MJHT',
      expiresAt: NOW + 900_000,
      intervalSeconds: 5,
    });
  });

  it('without interval waits the RFC default of 5 s; plain http only on this computer', () => {
    const { interval: _interval, verification_uri_complete: _complete, ...bare } = good;
    const code = validateDeviceCode(
      { ...bare, verification_uri: 'http://127.0.0.1:8080/device' },
      NOW,
      'Example',
    );
    expect(code.intervalSeconds).toBe(5);
    expect(code.verificationUriComplete).toBeUndefined();
  });

  it('a huge interval is clamped to 60 s, interval 0 to 1 s', () => {
    expect(validateDeviceCode({ ...good, interval: 1e9 }, NOW, 'x').intervalSeconds).toBe(60);
    expect(validateDeviceCode({ ...good, interval: 0 }, NOW, 'x').intervalSeconds).toBe(1);
  });

  it('a lifetime beyond an hour is cut to an hour', () => {
    expect(validateDeviceCode({ ...good, expires_in: 1e12 }, NOW, 'x').expiresAt).toBe(
      NOW + MAX_EXPIRES_IN_SECONDS * 1000,
    );
  });

  it.each([
    ['no body at all', null],
    ['a list', [good]],
    ['a user_code that is a number', { ...good, user_code: 12345678 }],
    ['a user_code that is an object', { ...good, user_code: { code: 'x' } }],
    ['an empty user_code', { ...good, user_code: '' }],
    ['a user_code with control characters', { ...good, user_code: 'AB\u001b[2JCD' }],
    ['a user_code too long to show', { ...good, user_code: 'A'.repeat(65) }],
    ['no device_code', { ...good, device_code: undefined }],
    ['a device_code that is a number', { ...good, device_code: 7 }],
    ['no verification_uri', { ...good, verification_uri: undefined }],
    ['a verification_uri that is not a URL', { ...good, verification_uri: 'go to example.com' }],
    ['a plain-http verification_uri', { ...good, verification_uri: 'http://example.com/device' }],
    ['a javascript: verification_uri', { ...good, verification_uri: 'javascript:alert(1)' }],
    ['a verification_uri_complete that is a number', { ...good, verification_uri_complete: 1 }],
    [
      'a plain-http verification_uri_complete',
      { ...good, verification_uri_complete: 'http://example.com/device?user_code=x' },
    ],
    ['no expires_in', { ...good, expires_in: undefined }],
    ['expires_in as text', { ...good, expires_in: '900' }],
    ['expires_in 0', { ...good, expires_in: 0 }],
    ['a negative expires_in', { ...good, expires_in: -5 }],
    ['an infinite expires_in', { ...good, expires_in: Number.POSITIVE_INFINITY }],
    ['an interval as text', { ...good, interval: 'soon' }],
    ['a NaN interval', { ...good, interval: Number.NaN }],
  ])('refuses %s → invalid_response', (_name, body) => {
    const error = refusal(body);
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(/^Example sent /);
  });
});

describe('deviceError (RFC 8628 §3.5, RFC 6749 §5.2)', () => {
  it.each([
    ['expired_token', 400, 'device_code_expired'],
    ['access_denied', 400, 'access_denied'],
    ['device_flow_disabled', 400, 'device_flow_disabled'],
    ['unsupported_grant_type', 400, 'device_flow_unsupported'],
    ['invalid_client', 401, 'invalid_client'],
    ['unauthorized_client', 400, 'device_flow_disabled'],
    ['incorrect_client_credentials', 200, 'invalid_client'],
    ['invalid_grant', 400, 'invalid_grant'],
    ['incorrect_device_code', 200, 'invalid_grant'],
    ['something_new', 400, 'token_exchange_failed'],
    [undefined, 429, 'rate_limited'],
    [undefined, 503, 'server_error'],
    [undefined, 400, 'token_exchange_failed'],
  ] as const)('%s (HTTP %s) → %s', (error, status, code) => {
    const mapped = deviceError(error, status);
    expect(mapped).toBeInstanceOf(GatehouseError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).not.toContain(String(error));
  });
});

describe('pollDeviceToken', () => {
  function clock(answers: Array<{ status?: number; body: Record<string, unknown> }>) {
    const state = { now: 0, waits: [] as number[], polls: 0 };
    const options: DevicePollOptions = {
      intervalSeconds: 5,
      expiresAt: 900_000,
      signal: new AbortController().signal,
      now: () => state.now,
      sleep: async (ms) => {
        state.waits.push(ms);
        state.now += ms;
      },
      poll: async () => {
        state.polls++;
        const next = answers.shift();
        if (!next) throw new Error('polled after the end');
        return { status: next.status ?? 200, body: next.body };
      },
    };
    return { state, options };
  }

  it('clamps the starting interval: 0 polls every second, 3600 every minute', async () => {
    for (const [interval, wait] of [
      [0, 1000],
      [3600, 60_000],
    ] as const) {
      const { state, options } = clock([
        { body: { error: 'authorization_pending' } },
        { body: { access_token: 't' } },
      ]);
      await pollDeviceToken({ ...options, intervalSeconds: interval });
      expect(state.waits).toEqual([wait, wait]);
    }
  });

  it('stops before a wait that would pass the code lifetime', async () => {
    const pending = Array.from({ length: 5 }, () => ({ body: { error: 'authorization_pending' } }));
    const { state, options } = clock(pending);
    await expect(pollDeviceToken({ ...options, expiresAt: 12_000 })).rejects.toMatchObject({
      code: 'device_code_expired',
    });
    expect(state.waits).toEqual([5000, 5000]);
  });

  it('an `error` field decides even with HTTP 200; a 4xx without one is refused too', async () => {
    const denied = clock([{ status: 200, body: { error: 'access_denied' } }]);
    await expect(pollDeviceToken(denied.options)).rejects.toMatchObject({ code: 'access_denied' });
    const bare = clock([{ status: 400, body: {} }]);
    await expect(pollDeviceToken(bare.options)).rejects.toMatchObject({
      code: 'token_exchange_failed',
    });
  });

  it('keeps the session manager’s abort reason (superseded), else reports cancelled', async () => {
    const reason = new GatehouseError('superseded', 'A newer sign-in replaced this one.');
    const controller = new AbortController();
    controller.abort(reason);
    const { options } = clock([]);
    const sleepAborted: DevicePollOptions['sleep'] = async (_ms, signal) => {
      throw signal.reason;
    };
    await expect(
      pollDeviceToken({ ...options, signal: controller.signal, sleep: sleepAborted }),
    ).rejects.toBe(reason);
    const plain = new AbortController();
    plain.abort();
    await expect(
      pollDeviceToken({ ...options, signal: plain.signal, sleep: sleepAborted }),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });
});
