/**
 * RFC 8628 device authorization grant, for any provider: request a code, then poll at the
 * server's interval until the person approves it. `slow_down` adds 5 seconds to every later
 * poll (§3.5); `expired_token`, `access_denied` and `device_flow_disabled` stop with a clear
 * error. The clock and the sleep are injected so tests can assert the exact timing.
 */
import { GatehouseError } from '../ports/errors';
import { toAuthError } from './oauth-errors';

export interface DeviceCodeResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
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

export const DEFAULT_INTERVAL_SECONDS = 5;
const MAX_POLLS = 1000;

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

/** Polls until a token response without `error` arrives; returns that body. */
export async function pollDeviceToken(
  options: DevicePollOptions,
): Promise<Record<string, unknown>> {
  let interval = Math.max(1, options.intervalSeconds || DEFAULT_INTERVAL_SECONDS);
  for (let attempt = 0; attempt < MAX_POLLS; attempt++) {
    const wait = interval * 1000;
    if (options.now() + wait > options.expiresAt) {
      throw new GatehouseError(
        'device_code_expired',
        'The code expired before it was entered. Start again.',
      );
    }
    options.onWait?.(wait);
    try {
      await options.sleep(wait, options.signal);
    } catch {
      throw new GatehouseError('cancelled', 'The sign-in was cancelled.');
    }
    const { status, body } = await options.poll();
    const error = typeof body.error === 'string' ? body.error : null;
    if (!error && status < 400) return body;
    switch (error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        // RFC 8628 §3.5: add 5 seconds to this and all later polls.
        interval += 5;
        continue;
      case 'expired_token':
      case 'access_denied':
      case 'device_flow_disabled':
      default:
        throw toAuthError(
          { code: 'OAUTH_RESPONSE_BODY_ERROR', error: error ?? 'server_error', status },
          'device',
        );
    }
  }
  throw new GatehouseError(
    'device_code_expired',
    'The code expired before it was entered. Start again.',
  );
}
