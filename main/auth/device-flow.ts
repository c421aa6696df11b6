/**
 * RFC 8628 device authorization grant, for every provider kind. This file is the one place that
 * validates a device authorization response (§3.2), clamps the polling interval, and turns the
 * §3.5 error codes into GatehouseErrors. device-dialects.ts holds how each kind asks: GitHub's
 * dialect (errors as HTTP 200) through `pollDeviceToken` below, standard servers through
 * openid-client. The clock and the sleep are injected so tests can assert the exact timing.
 */
import type { TokenEndpointResponse } from 'openid-client';
import { GatehouseError } from '../ports/errors';
import { mapOAuthErrorResponse, mapProviderError } from './oauth-errors';
import type { DeviceAuthorization, Grant } from './providers/types';
import { hasControls } from './providers/claims';
import { isSecureUrl } from './url-rules';

export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.2: without `interval`, the client waits 5 seconds between polls. */
export const DEFAULT_INTERVAL_SECONDS = 5;
/** A server asking for less than a second, or more than a minute, is not taken at its word. */
const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 60;
/** RFC 8628 §3.5: `slow_down` adds 5 seconds to this and every later poll. */
const SLOW_DOWN_SECONDS = 5;
/** Codes live minutes (GitHub 15, oidc-provider 10); a longer promise is cut to an hour. */
export const MAX_EXPIRES_IN_SECONDS = 3600;
/** What a person can read and type: letters, digits and dashes (RFC 8628 §6.1), nothing else. */
const USER_CODE = /^[A-Za-z0-9-]{4,24}$/;
const MAX_POLLS = 1000;

/** A device authorization response that passed `validateDeviceCode`. */
export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Epoch ms. */
  expiresAt: number;
  intervalSeconds: number;
}

/** A started device authorization: the validated code and a poller for the token response. */
export interface DeviceFlow {
  code: DeviceCode;
  poll(signal: AbortSignal): Promise<TokenEndpointResponse>;
}

/** The interval to wait between polls, in seconds: the server's, kept within [1 s, 60 s]. */
export function clampInterval(seconds: number | undefined): number {
  if (seconds === undefined || Number.isNaN(seconds)) return DEFAULT_INTERVAL_SECONDS;
  return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, seconds));
}

/** Checks what the server sent (RFC 8628 §3.2) before anything is shown or polled. */
export function validateDeviceCode(raw: unknown, now: number, provider: string): DeviceCode {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const bad = (what: string) =>
    new GatehouseError('invalid_response', `${provider} sent ${what} for sign-in with a code.`);
  const { device_code, user_code, verification_uri, verification_uri_complete } = body;
  const { expires_in, interval } = body;
  if (!nonEmpty(device_code) || !nonEmpty(user_code) || !nonEmpty(verification_uri))
    throw bad('an incomplete answer');
  if (!USER_CODE.test(user_code)) throw bad('an unreadable user code');
  if (!secureUrl(verification_uri)) throw bad('a code page that is not https');
  if (verification_uri_complete !== undefined && !secureUrl(verification_uri_complete))
    throw bad('a code page that is not https');
  if (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0)
    throw bad('no usable lifetime');
  if (interval !== undefined && (typeof interval !== 'number' || !Number.isFinite(interval)))
    throw bad('an unusable interval');
  return {
    deviceCode: device_code,
    userCode: user_code,
    verificationUri: verification_uri,
    ...(verification_uri_complete ? { verificationUriComplete: verification_uri_complete } : {}),
    expiresAt: now + Math.min(expires_in, MAX_EXPIRES_IN_SECONDS) * 1000,
    intervalSeconds: clampInterval(interval),
  };
}

/**
 * The GatehouseError for an RFC 8628 §3.5 (or RFC 6749 §5.2) error answer, read by hand as
 * GitHub's dialect requires: the one OAuth code table (errors-map/oauth-codes.ts), device phase.
 */
export function deviceError(error: string | undefined, status: number): GatehouseError {
  return mapOAuthErrorResponse(error ?? '', status, 'device');
}

export function expiredError(): GatehouseError {
  return new GatehouseError(
    'device_code_expired',
    'The code expired before it was entered. Start again.',
  );
}

/** Why polling stopped when the signal aborted: the session manager's reason, or a cancel. */
export function abortError(signal: AbortSignal): GatehouseError {
  return signal.reason instanceof GatehouseError
    ? signal.reason
    : new GatehouseError('cancelled', 'The sign-in was cancelled.');
}

/** What the window shows while the poller runs; the device code itself stays here. */
export function deviceAuthorization(
  flow: DeviceFlow,
  toGrant: (tokens: TokenEndpointResponse) => Promise<Grant>,
): DeviceAuthorization {
  return pollingFor(flow.code, async (signal) => toGrant(await flow.poll(signal)));
}

/** The same, for a caller that polls its own way (providers/oidc-device.ts). */
export function pollingFor(
  code: DeviceCode,
  poll: (signal: AbortSignal) => Promise<Grant>,
): DeviceAuthorization {
  const { userCode, verificationUri, verificationUriComplete, expiresAt } = code;
  return {
    userCode,
    verificationUri,
    ...(verificationUriComplete ? { verificationUriComplete } : {}),
    expiresAt,
    poll,
  };
}

export interface DevicePollOptions {
  /** Sends one token request; resolves with the parsed JSON body (errors included) and status. */
  poll: () => Promise<{ status: number; body: Record<string, unknown> }>;
  intervalSeconds: number;
  expiresAt: number;
  signal: AbortSignal;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Every wait actually taken, in ms (for tests and the sign-in log). */
  onWait?: (ms: number) => void;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls until a token response without `error` arrives and returns that body. The `error`
 * field decides, whatever the HTTP status: GitHub sends its errors with 200.
 */
export async function pollDeviceToken(
  options: DevicePollOptions,
): Promise<Record<string, unknown>> {
  let interval = clampInterval(options.intervalSeconds);
  for (let attempt = 0; attempt < MAX_POLLS; attempt++) {
    const wait = interval * 1000;
    if (options.now() + wait > options.expiresAt) throw expiredError();
    options.onWait?.(wait);
    const { status, body } = await pollOnce(options, wait);
    const error = typeof body.error === 'string' ? body.error : undefined;
    if (error === undefined && status < 400) return body;
    if (error === 'slow_down') interval += SLOW_DOWN_SECONDS;
    else if (error !== 'authorization_pending') throw deviceError(error, status);
  }
  throw expiredError();
}

async function pollOnce(options: DevicePollOptions, wait: number) {
  try {
    await options.sleep(wait, options.signal);
    return await options.poll();
  } catch (error) {
    if (options.signal.aborted) throw abortError(options.signal);
    throw mapProviderError(error, 'device');
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** https (or http to loopback), and nothing a terminal would read as a command: the URI is printed. */
function secureUrl(value: unknown): value is string {
  if (typeof value !== 'string' || hasControls(value) || !URL.canParse(value)) return false;
  return isSecureUrl(new URL(value));
}
