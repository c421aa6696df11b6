/**
 * Writing an account at rest, in the order that keeps it safe: the keychain item first (the
 * truth), then its index entry (display claims only, repaired from the keychain at restore).
 * A keychain failure leaves the account "not remembered" for this run, never a plaintext copy.
 * AccountRepository (account-repository.ts) decides what to write; this module writes it.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { AccountIndexPort } from '../../ports/account-index';
import type { SecretStore } from '../../ports/secret-store';
import type { RefreshResult } from '../providers/types';
import type { SignInLog } from '../sign-in-log';
import { encodeStoredAccount, readStoredAccount, type StoredAccount } from '../stored-account';
import { indexEntryOf, recordId, type AccountRecord } from './account-record';

export interface Persistence {
  store: SecretStore;
  index: AccountIndexPort;
  log: SignInLog;
  now: () => number;
  /** Whether the account stays signed in until signed out (no expiry, or no refresh). */
  lastsUntilSignOut: (record: AccountRecord) => boolean;
}

/**
 * Keychain first, then the index; `attemptId` (when given) gets the keychain step logged. With
 * `index: 'soon'` (a sign-in, a refresh) the call settles once the keychain is written, and the
 * index entry follows shortly after with other changes: restore repairs it from the keychain if
 * the process is killed in between.
 */
export async function persist(
  p: Persistence,
  record: AccountRecord,
  attemptId: string | null,
  index: 'now' | 'soon' = 'now',
): Promise<void> {
  // A placeholder has no tokens to write: only its index entry changes, never its keychain one.
  if (!record.placeholder && !(await writeKeychain(p, record, attemptId))) return;
  // The keychain entry is the truth; a lost index write is repaired at restore.
  if (index === 'now') return p.index.upsert(entryOf(p, record)).catch(() => undefined);
  reindexSoon(p, record);
}

/** Writes the account's index entry shortly after, from what the record (the keychain) holds. */
export function reindexSoon(p: Persistence, record: AccountRecord): void {
  try {
    p.index.upsertSoon(entryOf(p, record));
  } catch {
    // Refused as upsert() would refuse it; the keychain holds the account all the same.
  }
}

function entryOf(p: Persistence, record: AccountRecord) {
  const timing = {
    expiresAt: record.stored.tokens.expiresAt,
    lastsUntilSignOut: p.lastsUntilSignOut(record),
  };
  return indexEntryOf(record, timing, p.now());
}

/** The keychain write of persist(); true when the account is remembered. */
async function writeKeychain(
  p: Persistence,
  record: AccountRecord,
  attemptId: string | null,
): Promise<boolean> {
  try {
    await p.store.set(record.itemKey, encodeStoredAccount(record.stored));
    record.remembered = p.store.backend.kind === 'keychain';
    const detail = record.remembered ? {} : ({ detail: 'not remembered' } as const);
    if (attemptId) p.log.record(attemptId, 'keychain-written', detail);
  } catch (error) {
    record.remembered = false;
    const code = (error as { code?: ErrorCode }).code ?? 'keychain_write_failed';
    if (attemptId) p.log.record(attemptId, 'keychain-write-failed', { code });
  }
  return record.remembered;
}

/**
 * Saves a refresh's tokens into `record`; true when the refresh token rotated. RFC 9700 §4.14:
 * the rotated refresh token reaches the keychain before anything uses or announces the new
 * access token, so the caller awaits this before either.
 */
export async function persistRefreshed(
  p: Persistence,
  record: AccountRecord,
  result: RefreshResult,
  attemptId: string,
): Promise<boolean> {
  const { stored } = record;
  const rotated = result.tokens.refreshToken !== stored.tokens.refreshToken;
  const claims = result.claims ? { ...stored.claims, ...result.claims } : stored.claims;
  const next: StoredAccount = { ...stored, claims, tokens: result.tokens, savedAt: p.now() };
  const candidate: AccountRecord = { ...record, stored: next };
  await persist(p, candidate, attemptId, 'soon');
  if (record.remembered && !candidate.remembered && rotated)
    p.log.record(attemptId, 'keychain-write-failed', { code: 'keychain_write_failed' });
  record.stored = next;
  record.remembered = candidate.remembered;
  return rotated;
}

/** Re-reads the keychain; adopts newer tokens another process (the command line) wrote. */
export async function adoptNewer(p: Persistence, record: AccountRecord): Promise<boolean> {
  if (!record.remembered) return false;
  const raw = await p.store.get(record.itemKey).catch(() => null);
  const read = raw ? readStoredAccount(raw, record.itemKey, recordId(record)) : null;
  const latest = read?.kind === 'account' ? read.account : null;
  const { stored } = record;
  if (!latest) return false;
  const same =
    latest.tokens.refreshToken === stored.tokens.refreshToken &&
    latest.tokens.accessToken === stored.tokens.accessToken;
  if (same || latest.savedAt < stored.savedAt) return false;
  record.stored = latest;
  return true;
}

/** The session ended: the tokens go; the index keeps the card ("sign in again"). */
export async function deleteTokens(p: Persistence, record: AccountRecord): Promise<void> {
  await p.store.delete(record.itemKey).catch(() => undefined);
  const ended = { expiresAt: 0, lastsUntilSignOut: false };
  await p.index.upsert(indexEntryOf(record, ended, p.now())).catch(() => undefined);
}
