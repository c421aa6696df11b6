/**
 * The mapping table, first match wins. openid-client (v6) wraps oauth4webapi's processing errors
 * in a ClientError with the same OAUTH_* `code` and the original as `cause`, whose own `cause`
 * holds the details (claim, attribute, parameters, body); see node_modules/oauth4webapi.
 */
import {
  AuthorizationResponseError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { isRecord, oauthCode, PHASE_TEXT, type Detail, type Facts, type Row } from './facts';
import { JOSE_ROWS } from './jose';
import { NETWORK_ROWS } from './network';
import { oauthErrorOutcome, phaseFailure } from './oauth-codes';

const code =
  (...codes: string[]) =>
  (facts: Facts) =>
    codes.includes(oauthCode(facts) ?? '');
const INVALID = code('OAUTH_INVALID_RESPONSE');
const UNUSABLE = code(
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_INVALID_RESPONSE',
);
const attribute = (name: string) => (facts: Facts) =>
  code('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED')(facts) && facts.detail.attribute === name;
const statusIn = (low: number, high: number) => (facts: Facts) =>
  facts.status !== undefined && facts.status >= low && facts.status <= high;
const during = (facts: Facts) => PHASE_TEXT[facts.phase];

const ID_TOKEN_REFUSED = "The provider's ID token was refused.";

/** A claim name from oauth4webapi's `claim` detail (a fixed name such as "nonce"). */
function claimNote(detail: Detail): string {
  const claim = detail.claim;
  return typeof claim === 'string' && /^[a-z_]{1,20}$/.test(claim)
    ? `The provider's ID token was refused (its "${claim}" claim).`
    : ID_TOKEN_REFUSED;
}

/**
 * oauth4webapi checks access_token, token_type, expires_in, refresh_token and scope before the
 * id_token (processGenericAccessTokenResponse): when those hold, the id_token is what failed.
 */
function idTokenFailed(body: Record<string, unknown>, facts: Facts): boolean {
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  const others =
    text(body.access_token) &&
    text(body.token_type) &&
    (body.expires_in === undefined || typeof body.expires_in === 'number') &&
    (body.refresh_token === undefined || text(body.refresh_token)) &&
    (body.scope === undefined || typeof body.scope === 'string');
  if (!others) return false;
  return body.id_token !== undefined ? !text(body.id_token) : facts.phase === 'exchange';
}

/**
 * RFC 9207 §2.4: oauth4webapi refuses a missing `iss` (no `expected` detail) or one other than
 * the issuer (`expected`). A wrong `state` has the same shape, but never gets this far: the
 * loopback ignores replies whose state is not this attempt's.
 */
function issuerRefused(detail: Detail): boolean {
  const iss = detail.parameters?.get('iss') ?? null;
  if (!detail.parameters) return false;
  if (!detail.expected) return iss === null;
  return iss !== null && iss !== detail.expected.value;
}

/** RFC 6750 §3: the `error` parameter of the first challenge that has one. */
function challengeError(error: unknown): string {
  const challenges = (error as { cause?: unknown }).cause;
  if (!Array.isArray(challenges)) return '';
  for (const challenge of challenges as { parameters?: unknown }[]) {
    const found = isRecord(challenge?.parameters) ? challenge.parameters.error : undefined;
    if (typeof found === 'string') return found;
  }
  return '';
}

const PROTOCOL_ROWS: readonly Row[] = [
  {
    name: 'ID token claim or time check',
    when: code('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED'),
    then: (facts) => ['id_token_invalid', claimNote(facts.detail)],
  },
  {
    name: 'ID token malformed',
    when: (facts) =>
      INVALID(facts) &&
      (facts.detail.claims !== undefined ||
        facts.detail.header !== undefined ||
        facts.detail.jwt !== undefined),
    then: () => ['id_token_invalid', ID_TOKEN_REFUSED],
  },
  {
    name: 'ID token missing from the token response',
    when: (facts) =>
      INVALID(facts) && facts.detail.body !== undefined && idTokenFailed(facts.detail.body, facts),
    then: () => ['id_token_invalid', ID_TOKEN_REFUSED],
  },
  {
    name: 'authorization response iss',
    when: (facts) => INVALID(facts) && issuerRefused(facts.detail),
    then: () => [
      'issuer_response_mismatch',
      'The sign-in reply did not come from the expected provider.',
    ],
  },
  {
    name: 'discovery issuer',
    when: attribute('issuer'),
    then: () => ['issuer_mismatch', "The provider's discovery document names a different issuer."],
  },
  {
    name: 'userinfo sub',
    when: attribute('sub'),
    then: () => [
      'userinfo_sub_mismatch',
      'The profile the provider returned belongs to someone else.',
    ],
  },
  {
    name: 'OAuth error response',
    when: (facts) =>
      (facts.error instanceof ResponseBodyError || code('OAUTH_RESPONSE_BODY_ERROR')(facts)) &&
      facts.oauthError !== undefined,
    then: (facts) => oauthErrorOutcome(facts.oauthError!, facts.phase, facts.status),
  },
  {
    name: 'authorization response access_denied',
    when: (facts) =>
      (facts.error instanceof AuthorizationResponseError ||
        code('OAUTH_AUTHORIZATION_RESPONSE_ERROR')(facts)) &&
      facts.oauthError === 'access_denied',
    then: () => ['access_denied', 'The sign-in was declined at the provider.'],
  },
  {
    name: 'authorization response error',
    when: (facts) =>
      facts.error instanceof AuthorizationResponseError ||
      code('OAUTH_AUTHORIZATION_RESPONSE_ERROR')(facts),
    then: () => ['authorization_error', 'The provider refused the sign-in request.'],
  },
  {
    name: 'WWW-Authenticate challenge',
    when: (facts) =>
      facts.error instanceof WWWAuthenticateChallengeError ||
      code('OAUTH_WWW_AUTHENTICATE_CHALLENGE')(facts),
    then: (facts) => oauthErrorOutcome(challengeError(facts.error), facts.phase, facts.status),
  },
];

const HTTP_ROWS: readonly Row[] = [
  {
    name: 'HTTP 429',
    when: statusIn(429, 429),
    then: (facts) => [
      'rate_limited',
      `The provider is limiting requests while ${during(facts)}. Try again in a moment.`,
    ],
  },
  {
    name: 'HTTP 5xx',
    when: statusIn(500, 599),
    then: (facts) => [
      'server_error',
      `The provider had a problem while ${during(facts)} (HTTP ${facts.status}).`,
    ],
  },
  {
    name: 'HTTP redirect',
    when: statusIn(300, 399),
    then: (facts) => [
      'invalid_response',
      `The provider answered with a redirect while ${during(facts)}; a captive portal or proxy may be in the way.`,
    ],
  },
  {
    // Some servers answer a bad refresh token with an empty 400: still "sign in again".
    name: 'refresh HTTP 400',
    when: (facts) => facts.phase === 'refresh' && statusIn(400, 400)(facts),
    then: () => ['session_expired', 'The session has ended. Sign in again.'],
  },
  {
    name: 'plain http refused',
    when: code('OAUTH_HTTP_REQUEST_FORBIDDEN', 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN'),
    then: () => ['insecure_issuer', 'Plain http is only allowed for providers on this computer.'],
  },
  {
    name: 'unusable discovery document',
    when: (facts) => facts.phase === 'discovery' && UNUSABLE(facts),
    then: () => ['discovery_failed', "The provider's configuration could not be read."],
  },
  {
    name: 'unusable answer',
    when: UNUSABLE,
    then: (facts) => [
      'invalid_response',
      `The provider sent an answer Gatehouse could not use while ${during(facts)}.`,
    ],
  },
];

/** The phases whose failure has a sentence of its own; the others say what was under way. */
const PHASE_SENTENCE: Partial<Record<Facts['phase'], string>> = {
  discovery: "The provider's configuration could not be read.",
  userinfo: 'Your profile could not be read from the provider.',
};

const FALLBACK: Row = {
  name: 'anything else',
  when: () => true,
  then: (facts) => [
    phaseFailure(facts.phase),
    PHASE_SENTENCE[facts.phase] ?? `Something went wrong while ${during(facts)}.`,
  ],
};

export const ROWS: readonly Row[] = [
  ...PROTOCOL_ROWS,
  ...JOSE_ROWS,
  ...NETWORK_ROWS,
  ...HTTP_ROWS,
  FALLBACK,
];
