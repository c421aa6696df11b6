/**
 * Turns whatever openid-client, jose or the transport threw into a GatehouseError with a code and
 * a sentence. Server-supplied text (error_description) is never copied into the message: it is
 * attacker-controlled and may carry anything.
 */
import type { ErrorCode } from '../../shared/errors';
import { GatehouseError } from '../ports/errors';

export type Phase = 'discovery' | 'exchange' | 'userinfo' | 'refresh' | 'revoke' | 'device';

const PHASE_TEXT: Record<Phase, string> = {
  discovery: "reading the provider's configuration",
  exchange: 'finishing the sign-in',
  userinfo: 'reading your profile',
  refresh: 'renewing the session',
  revoke: 'signing out at the provider',
  device: 'waiting for the code to be entered',
};

export function toAuthError(error: unknown, phase: Phase): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const e = (error ?? {}) as {
    code?: unknown;
    error?: unknown;
    status?: unknown;
    cause?: unknown;
    message?: unknown;
    attribute?: unknown;
    claim?: unknown;
  };
  const nested = e.cause instanceof GatehouseError ? e.cause : null;
  if (nested) return nested;
  const during = PHASE_TEXT[phase];
  const make = (code: ErrorCode, message: string) =>
    new GatehouseError(code, message, { cause: error });
  const status = typeof e.status === 'number' ? e.status : responseStatus(e.cause);
  // openid-client wraps oauth4webapi's errors in a ClientError; the precise reason is inside.
  const inner = e.cause instanceof Error ? (e.cause as Error & { code?: unknown }) : null;
  const message = [e.message, inner?.message].filter((m) => typeof m === 'string').join(' ');

  if (
    /JWT "[a-z]+" \([^)]*\) claim|unexpected JWT "alg"|"id_token" property|ID Token/i.test(message)
  ) {
    return make('id_token_invalid', "The provider's ID token was refused.");
  }
  if (/"iss" \(issuer\) response parameter|response parameter "iss"/.test(message)) {
    return make(
      'issuer_response_mismatch',
      'The sign-in reply did not come from the expected provider.',
    );
  }
  if (
    phase === 'discovery' &&
    e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' &&
    /issuer/.test(message)
  ) {
    return make('issuer_mismatch', "The provider's discovery document names a different issuer.");
  }

  if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' && typeof e.error === 'string') {
    return fromOAuthErrorCode(e.error, phase, status, make);
  }
  if (e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
    return e.error === 'access_denied'
      ? make('access_denied', 'The sign-in was declined at the provider.')
      : make('authorization_error', 'The provider refused the sign-in request.');
  }
  if (status === 429)
    return make(
      'rate_limited',
      `The provider is limiting requests while ${during}. Try again in a moment.`,
    );
  if (status !== undefined && status >= 500)
    return make('server_error', `The provider had a problem while ${during} (HTTP ${status}).`);
  if (status !== undefined && status >= 300 && status < 400) {
    return make(
      'invalid_response',
      `The provider answered with a redirect while ${during}; a captive portal or proxy may be in the way.`,
    );
  }
  if (phase === 'refresh' && status === 400) {
    // Some servers answer a bad refresh token with an empty 400: still "sign in again".
    return make('session_expired', 'The session has ended. Sign in again.');
  }
  if (e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && e.attribute === 'issuer') {
    return make('issuer_mismatch', "The provider's discovery document names a different issuer.");
  }
  if (
    message.includes('"iss"') &&
    (e.code === 'OAUTH_INVALID_RESPONSE' || e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED')
  ) {
    return make(
      'issuer_response_mismatch',
      'The sign-in reply came from a different provider than expected.',
    );
  }
  if (
    e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' ||
    e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' ||
    message.includes('ID Token')
  ) {
    return make('id_token_invalid', "The provider's ID token was refused.");
  }
  if (
    e.code === 'OAUTH_RESPONSE_IS_NOT_JSON' ||
    e.code === 'OAUTH_PARSE_ERROR' ||
    e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ||
    e.code === 'OAUTH_INVALID_RESPONSE'
  ) {
    if (phase === 'discovery')
      return make('discovery_failed', "The provider's configuration could not be read.");
    return make(
      'invalid_response',
      `The provider sent an answer Gatehouse could not use while ${during}.`,
    );
  }
  if (e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || e.code === 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN') {
    return make('insecure_issuer', 'Plain http is only allowed for providers on this computer.');
  }
  if (phase === 'discovery')
    return make('discovery_failed', "The provider's configuration could not be read.");
  return make(
    phase === 'refresh' ? 'refresh_failed' : 'token_exchange_failed',
    `Something went wrong while ${during}.`,
  );
}

function fromOAuthErrorCode(
  code: string,
  phase: Phase,
  status: number | undefined,
  make: (code: ErrorCode, message: string) => GatehouseError,
): GatehouseError {
  switch (code) {
    case 'invalid_grant':
    case 'bad_refresh_token':
      return phase === 'refresh'
        ? make('session_expired', 'The session has ended. Sign in again.')
        : make(
            'invalid_grant',
            'The sign-in code was refused (it may have expired or been used). Try again.',
          );
    case 'bad_verification_code':
      return make(
        'invalid_grant',
        'The sign-in code was refused (it may have expired or been used). Try again.',
      );
    case 'invalid_client':
    case 'unauthorized_client':
    case 'incorrect_client_credentials':
      return make(
        'invalid_client',
        "The provider does not accept this app's client id or secret. Check the configuration.",
      );
    case 'redirect_uri_mismatch':
      return make(
        'provider_misconfigured',
        'The provider does not accept the loopback redirect address. Check the app registration.',
      );
    case 'access_denied':
      return make('access_denied', 'The sign-in was declined at the provider.');
    case 'expired_token':
      return make('device_code_expired', 'The code expired before it was entered. Start again.');
    case 'device_flow_disabled':
      return make(
        'device_flow_disabled',
        'Sign-in with a code is not enabled for this app at the provider.',
      );
    case 'slow_down':
    case 'temporarily_unavailable':
      return make(
        'rate_limited',
        'The provider asked Gatehouse to slow down. Try again in a moment.',
      );
    default:
      if (status !== undefined && status >= 500)
        return make('server_error', `The provider had a problem (HTTP ${status}).`);
      return make(
        phase === 'refresh' ? 'refresh_failed' : 'token_exchange_failed',
        'The provider refused the request.',
      );
  }
}

function responseStatus(cause: unknown): number | undefined {
  if (cause && typeof cause === 'object' && 'status' in cause && typeof cause.status === 'number')
    return cause.status;
  return undefined;
}
