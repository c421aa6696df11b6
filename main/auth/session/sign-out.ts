/**
 * Sign-out, and what it tells the provider (RFC 7009), as one SignOutOutcome. An ended session and a
 * provider that is no longer configured send nothing; a failed request becomes `refused` when
 * the provider answered with a status, else `unreachable` with the transport's own sentence.
 */
import { SIGN_OUT_LOG_DETAIL } from '../../../shared/sign-out-messages';
import { revocationError, type SignOutOutcome } from '../../../shared/sign-out';
import { GatehouseError } from '../../ports/errors';
import { collectFacts } from '../errors-map/facts';
import { mapProviderError } from '../oauth-errors';
import type { ProviderModule } from '../providers/types';
import type { SignInLog } from '../sign-in-log';
import { bindingProblem } from './account-binding';
import type { AccountRecord, AccountRepository } from './account-repository';
import type { RefreshScheduler } from './refresh-scheduler';

export interface SignOutContext {
  accounts: AccountRepository;
  scheduler: RefreshScheduler;
  log: SignInLog;
  providers: () => ReadonlyMap<string, ProviderModule>;
}

/**
 * Revokes where the provider can (RFC 7009), then forgets locally whatever the outcome. The
 * facade runs it through the scheduler's `exclusive`: after the refresh in flight, under the
 * account's lock, so no refresh saves (or re-arms) the account once it is gone.
 */
export async function signOutAccount(
  ctx: SignOutContext,
  accountId: string,
): Promise<SignOutOutcome> {
  const record = ctx.accounts.require(accountId);
  const attemptId = ctx.log.start(record.stored.providerId, 'sign-out', accountId);
  ctx.scheduler.cancel(accountId);
  const configured = ctx.providers().get(record.stored.providerId);
  // Bound to another server or client than configured now: that provider is not told.
  const module = bindingProblem(record.stored, configured) ? undefined : configured;
  const outcome = await revokeAtProvider(module, record);
  ctx.log.record(attemptId, 'signed-out', { detail: SIGN_OUT_LOG_DETAIL[outcome.kind] });
  await ctx.accounts.remove(accountId);
  ctx.log.finish(attemptId, 'sign-out', accountId);
  // The timelines stay (why a sign-in failed); the account's id, its sub, goes.
  ctx.log.forgetAccount(accountId);
  return outcome;
}

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
