/**
 * One refresh of one account (RFC 6749 §6), run by the facade under the scheduler's lock and
 * limit: the provider's refresh, the rotated token saved before it is used, and what a failure
 * means — the session ended (invalid_grant), another process rotated first, or network trouble.
 */
import { GatehouseError } from '../../ports/errors';
import type { ProviderModule } from '../providers/types';
import type { SignInLog } from '../sign-in-log';
import { bindingProblem } from './account-binding';
import { recordId, type AccountRecord, type AccountRepository } from './account-repository';
import type { RefreshScheduler } from './refresh-scheduler';
import { SESSION_ENDED, type SessionEvent } from './state-machine';

export interface RefreshContext {
  accounts: AccountRepository;
  scheduler: RefreshScheduler;
  log: SignInLog;
  now: () => number;
  /** Applies a state-machine event to the account's status. */
  apply(record: AccountRecord, event: SessionEvent): void;
  /** Arms the account's next refresh after good tokens. */
  schedule(record: AccountRecord): void;
  emit(): void;
}

export async function refreshAccount(
  ctx: RefreshContext,
  module: ProviderModule,
  record: AccountRecord,
): Promise<void> {
  if (record.placeholder) return rereadPlaceholder(ctx, module, record);
  if (!module.refresh)
    throw new GatehouseError(
      'refresh_failed',
      `${module.info.displayName} sessions cannot be renewed; they last until sign-out.`,
    );
  const accountId = recordId(record);
  const attemptId = ctx.log.start(record.stored.providerId, 'refresh', accountId);
  ctx.apply(record, { type: 'refresh-started', expiresAt: record.stored.tokens.expiresAt });
  ctx.emit();
  // Another process (the command line, a second copy) may have rotated the token already.
  await ctx.accounts.adoptNewerFromStore(record);
  const problem = bindingProblem(record.stored, module);
  if (problem) return bindingChanged(ctx, record, attemptId, problem);
  try {
    const { sub, claims } = record.stored;
    const result = await module.refresh(record.stored.tokens, { sub, claims });
    const rotated = await ctx.accounts.saveRefreshed(record, result, attemptId);
    if (rotated === null) return replacedMeanwhile(ctx, attemptId, accountId);
    ctx.apply(record, { type: 'refreshed', expiresAt: record.stored.tokens.expiresAt });
    ctx.log.record(attemptId, 'refreshed', { detail: rotated ? 'rotated' : 'kept refresh token' });
    ctx.log.finish(attemptId, 'refresh', accountId);
    ctx.schedule(record);
    ctx.emit();
  } catch (error) {
    await refreshFailed(ctx, record, attemptId, error);
  }
}

/** The provider now names another server or client: "sign in again", and nothing is sent. */
function bindingChanged(
  ctx: RefreshContext,
  record: AccountRecord,
  attemptId: string,
  problem: GatehouseError,
): never {
  const accountId = recordId(record);
  ctx.log.record(attemptId, 'refresh-failed', { code: problem.code });
  ctx.log.finish(attemptId, 'failed', accountId, problem.code);
  ctx.scheduler.cancel(accountId);
  ctx.apply(record, { type: 'expired', reason: problem.message });
  ctx.emit();
  throw problem;
}

/** Ends the session on invalid_grant (unless another process rotated first); else retries. */
async function refreshFailed(
  ctx: RefreshContext,
  record: AccountRecord,
  attemptId: string,
  error: unknown,
): Promise<void> {
  const e =
    error instanceof GatehouseError
      ? error
      : new GatehouseError('refresh_failed', 'The session could not be renewed.', {
          cause: error,
        });
  const accountId = recordId(record);
  ctx.log.record(attemptId, 'refresh-failed', { code: e.code });
  ctx.log.finish(attemptId, 'failed', accountId, e.code);
  // Signed out or signed in again meanwhile: the account's timers and tokens are not this one's.
  if (!ctx.accounts.isCurrent(record)) throw e;
  if (e.code === 'session_expired' && (await ctx.accounts.adoptNewerFromStore(record))) {
    // invalid_grant because another process rotated first: its token is good.
    ctx.log.record(attemptId, 'refreshed', { detail: 'adopted from another process' });
    ctx.apply(record, { type: 'refreshed', expiresAt: record.stored.tokens.expiresAt });
    ctx.schedule(record);
    ctx.emit();
    return;
  }
  if (e.code === 'session_expired' || e.code === 'refresh_identity_changed') {
    ctx.scheduler.cancel(accountId);
    ctx.apply(record, { type: 'expired', reason: e.message });
    // The tokens are useless now; only the display claims stay, so the card says "sign in again".
    await ctx.accounts.forgetTokens(record);
    ctx.emit();
    throw e;
  }
  // Network trouble: the session stays while its access token lasts; retried with backoff.
  ctx.apply(record, { type: 'refresh-failed', code: e.code, message: e.message, now: ctx.now() });
  ctx.scheduler.retryLater(accountId);
  ctx.emit();
  throw e;
}

/** The account was replaced meanwhile (signed in again): its refreshed tokens were not kept. */
function replacedMeanwhile(ctx: RefreshContext, attemptId: string, accountId: string): void {
  ctx.log.record(attemptId, 'refresh-failed', { code: 'superseded' });
  ctx.log.finish(attemptId, 'failed', accountId, 'superseded');
}

/**
 * An account known from its index entry only (the keychain was locked at startup): "Refresh now"
 * reads the keychain again, and asks the provider only if the tokens read back need it. While
 * the keychain still fails, the account shows the keychain's own code; nothing is written.
 */
async function rereadPlaceholder(
  ctx: RefreshContext,
  module: ProviderModule,
  record: AccountRecord,
): Promise<void> {
  const accountId = recordId(record);
  const attemptId = ctx.log.start(record.stored.providerId, 'refresh', accountId);
  ctx.apply(record, { type: 'refresh-started', expiresAt: record.stored.tokens.expiresAt });
  ctx.emit();
  let read: AccountRecord;
  try {
    read = await ctx.accounts.reread(record);
    if (read === record) throw new GatehouseError('session_expired', SESSION_ENDED);
  } catch (error) {
    const e =
      error instanceof GatehouseError
        ? error
        : new GatehouseError('keychain_unavailable', 'The keychain could not be read.', {
            cause: error,
          });
    ctx.log.record(attemptId, 'refresh-failed', { code: e.code });
    ctx.log.finish(attemptId, 'failed', accountId, e.code);
    const ended = e.code === 'session_expired';
    const { code, message } = e;
    ctx.apply(
      record,
      ended
        ? { type: 'expired', reason: message }
        : { type: 'refresh-failed', code, message, now: ctx.now() },
    );
    ctx.emit();
    throw e;
  }
  ctx.log.record(attemptId, 'refreshed', { detail: 'read from the keychain' });
  ctx.log.finish(attemptId, 'refresh', accountId);
  ctx.emit();
  // Expired tokens read back are renewed now, in this same turn of the account's lock.
  if (read.status.kind === 'refreshing') await refreshAccount(ctx, module, read);
}
