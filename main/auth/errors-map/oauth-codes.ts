/**
 * The OAuth `error` codes a server sends (RFC 6749 §4.1.2.1 and §5.2, RFC 8628 §3.5, and
 * GitHub's own names), each with a code and a sentence. The server's error_description is never
 * used: it is attacker-controlled text.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { Outcome, Phase } from './facts';

const CODE_REFUSED: Outcome = [
  'invalid_grant',
  'The sign-in code was refused (it may have expired or been used). Try again.',
];
const DEVICE_CODE_UNKNOWN: Outcome = [
  'invalid_grant',
  'The provider no longer knows this code. Start again.',
];
const SESSION_ENDED: Outcome = ['session_expired', 'The session has ended. Sign in again.'];
const BAD_CLIENT: Outcome = [
  'invalid_client',
  "The provider does not accept this app's client id or secret. Check the configuration.",
];
const DEVICE_DISABLED: Outcome = [
  'device_flow_disabled',
  'Sign-in with a code is not enabled for this app at the provider.',
];
const SLOW_DOWN: Outcome = [
  'rate_limited',
  'The provider asked Gatehouse to slow down. Try again in a moment.',
];

const BY_ERROR: Record<string, (phase: Phase) => Outcome> = {
  invalid_grant: (phase) =>
    phase === 'refresh' ? SESSION_ENDED : phase === 'device' ? DEVICE_CODE_UNKNOWN : CODE_REFUSED,
  incorrect_device_code: () => DEVICE_CODE_UNKNOWN,
  bad_refresh_token: (phase) => (phase === 'refresh' ? SESSION_ENDED : CODE_REFUSED),
  bad_verification_code: () => CODE_REFUSED,
  invalid_client: () => BAD_CLIENT,
  // RFC 6749 §5.2: this client may not use this grant; for the device grant, it is not enabled.
  unauthorized_client: (phase) => (phase === 'device' ? DEVICE_DISABLED : BAD_CLIENT),
  unsupported_grant_type: (phase) =>
    phase === 'device'
      ? ['device_flow_unsupported', 'The provider does not offer sign-in with a code.']
      : [phaseFailure(phase), 'The provider refused the request.'],
  incorrect_client_credentials: () => BAD_CLIENT,
  redirect_uri_mismatch: () => [
    'redirect_uri_rejected',
    'The provider does not accept the loopback redirect URI. Register it at the provider.',
  ],
  access_denied: () => ['access_denied', 'The sign-in was declined at the provider.'],
  expired_token: () => [
    'device_code_expired',
    'The code expired before it was entered. Start again.',
  ],
  device_flow_disabled: () => DEVICE_DISABLED,
  slow_down: () => SLOW_DOWN,
  temporarily_unavailable: () => SLOW_DOWN,
};

/** Any other `error`: the phase's own failure, or the server's if it answered 5xx. */
export function oauthErrorOutcome(
  error: string,
  phase: Phase,
  status: number | undefined,
): Outcome {
  const known = Object.hasOwn(BY_ERROR, error) ? BY_ERROR[error] : undefined;
  if (known) return known(phase);
  if (status === 429)
    return ['rate_limited', 'The provider is limiting requests. Try again later.'];
  if (status !== undefined && status >= 500)
    return ['server_error', `The provider had a problem (HTTP ${status}).`];
  return [phaseFailure(phase), 'The provider refused the request.'];
}

/** The code for "this step failed" when nothing more precise is known. */
export function phaseFailure(phase: Phase): ErrorCode {
  switch (phase) {
    case 'discovery':
      return 'discovery_failed';
    case 'refresh':
      return 'refresh_failed';
    case 'userinfo':
      return 'userinfo_failed';
    case 'revoke':
      return 'revocation_failed';
    case 'exchange':
    case 'device':
      return 'token_exchange_failed';
  }
}
