/**
 * What a sign-out tells the provider (RFC 7009), as one SignOutOutcome. An ended session and a
 * provider that is no longer configured send nothing; a failed request becomes `refused` when
 * the provider answered with a status, else `unreachable` with the transport's own sentence.
 */
import { revocationError, type SignOutOutcome } from '../../../shared/sign-out';
import { GatehouseError } from '../../ports/errors';
import { collectFacts } from '../errors-map/facts';
import { mapProviderError } from '../oauth-errors';
import type { ProviderModule } from '../providers/types';
import type { AccountRecord } from './account-repository';

export async function revokeAtProvider(
  module: ProviderModule | undefined,
  record: AccountRecord,
): Promise<SignOutOutcome> {
  if (!module) return { kind: 'not-configured' };
  const { tokens } = record.stored;
  // An expired account (or one known only from its index entry) holds nothing to revoke.
  if (record.status.kind === 'expired' || !tokens.accessToken) return { kind: 'nothing-to-revoke' };
  if (!module.revoke) return { kind: 'no-revocation' };
  try {
    return await module.revoke(tokens);
  } catch (error) {
    return failedRevocation(error);
  }
}

/** By the HTTP status along the error's chain, never by its message text. */
export function failedRevocation(error: unknown): SignOutOutcome {
  const facts = collectFacts(error, 'revoke');
  if (!(facts instanceof GatehouseError) && facts.status !== undefined && facts.status >= 400) {
    const known = revocationError(facts.oauthError);
    return { kind: 'refused', status: facts.status, ...(known ? { error: known } : {}) };
  }
  // A transport failure was already mapped (main/auth/http.ts): its sentence names the host.
  const mapped = facts instanceof GatehouseError ? facts : mapProviderError(error, 'revoke');
  return { kind: 'unreachable', cause: mapped.message };
}
