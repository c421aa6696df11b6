/**
 * What a sign-in log entry read back from disk may hold: exactly shared/log.ts's LogEntry, with
 * its closed vocabularies (steps, outcomes, error codes, event details). The file lies in a
 * folder anyone with this user's rights can edit, and `log:list` hands it to the window, so an
 * entry that does not fit is dropped and unknown fields are stripped, never passed on.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors';
import type { LogEntry, LogStep } from '../../shared/log';
import type { SafeDetail } from '../auth/sign-in-log';
import { isAccountId, PROVIDER_ID_PATTERN } from '../ports/account-id';

// Records, so the compiler checks both ways: a step or detail added to its union fails here.
const STEPS: Record<LogStep, true> = {
  started: true,
  'port-bound': true,
  'redirect-probed': true,
  'browser-opened': true,
  'browser-reached-loopback': true,
  'callback-received': true,
  'callback-ignored': true,
  'exchange-succeeded': true,
  'start-failed': true,
  'browser-open-failed': true,
  'browser-wait-failed': true,
  'device-poll-failed': true,
  'exchange-failed': true,
  'save-failed': true,
  'keychain-written': true,
  'keychain-write-failed': true,
  refreshed: true,
  'refresh-failed': true,
  'signed-out': true,
  cancelled: true,
  finished: true,
};

const DETAILS: Record<SafeDetail, true> = {
  'duplicate parameters': true,
  'not this attempt': true,
  superseded: true,
  'not remembered': true,
  revoked: true,
  'no revocation': true,
  'revocation refused': true,
  'provider unreachable': true,
  'nothing to revoke': true,
  'provider not configured': true,
  rotated: true,
  'kept refresh token': true,
  'adopted from another process': true,
  'read from the keychain': true,
  'device flow': true,
  accepted: true,
  refused: true,
  unknown: true,
};

const keysOf = <K extends string>(record: Record<K, true>) => Object.keys(record) as [K, ...K[]];

const OUTCOMES = ['pending', 'signed-in', 'failed', 'cancelled', 'refresh', 'sign-out'] as const;
const ms = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const eventSchema = z.object({
  step: z.enum(keysOf(STEPS)),
  at: z.number().int().max(Number.MAX_SAFE_INTEGER),
  port: z.number().int().min(1).max(65535).optional(),
  code: z.enum(ERROR_CODES).optional(),
  detail: z.enum(keysOf(DETAILS)).optional(),
  count: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

const entrySchema = z.object({
  attemptId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  providerId: z.string().regex(PROVIDER_ID_PATTERN),
  startedAt: ms,
  durationMs: ms.nullable(),
  outcome: z.enum(OUTCOMES),
  browserReachedLoopback: z.boolean(),
  accountId: z.string().refine(isAccountId).nullable(),
  events: z.array(eventSchema).max(100),
}) satisfies z.ZodType<LogEntry>;

/** The entries that are well-formed LogEntry values, each with only LogEntry's fields. */
export function validLogEntries(entries: readonly unknown[]): LogEntry[] {
  return entries.flatMap((entry) => {
    const parsed = entrySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
