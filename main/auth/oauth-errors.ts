/**
 * Turns whatever openid-client, jose or the transport threw into a GatehouseError with a code and
 * a sentence, by class, `code` and properties (the table in errors-map/rows.ts), never by message
 * text. Server-supplied text (error_description) is never copied: it is attacker-controlled.
 */
import { GatehouseError } from '../ports/errors';
import { collectFacts, type Phase } from './errors-map/facts';
import { oauthErrorOutcome } from './errors-map/oauth-codes';
import { ROWS } from './errors-map/rows';

export type { Phase } from './errors-map/facts';

export function mapProviderError(error: unknown, phase: Phase): GatehouseError {
  const facts = collectFacts(error, phase);
  if (facts instanceof GatehouseError) return facts;
  // The last row always matches.
  const row = ROWS.find((candidate) => candidate.when(facts))!;
  const [code, message] = row.then(facts);
  return new GatehouseError(code, message, { cause: error });
}

/**
 * An OAuth error answer (RFC 6749 §5.2, RFC 8628 §3.5) read by hand rather than by
 * openid-client, as GitHub's device flow does: its `error` code and HTTP status.
 */
export function mapOAuthErrorResponse(error: string, status: number, phase: Phase): GatehouseError {
  const [code, message] = oauthErrorOutcome(error, phase, status);
  return new GatehouseError(code, message);
}

/** OIDC Core §5.3.2: fetchUserInfo refused a userinfo `sub` other than the ID token's. */
export function isUserinfoSubMismatch(error: unknown): boolean {
  const facts = collectFacts(error, 'userinfo');
  if (facts instanceof GatehouseError) return facts.code === 'userinfo_sub_mismatch';
  return (
    facts.codes.includes('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') &&
    facts.detail.attribute === 'sub'
  );
}

/** The ID token claim openid-client refused (`err.cause.cause.claim`), e.g. "iss" or "nonce". */
export function refusedClaim(error: unknown): string | undefined {
  const facts = collectFacts(error, 'exchange');
  if (facts instanceof GatehouseError) return undefined;
  return typeof facts.detail.claim === 'string' ? facts.detail.claim : undefined;
}
