/**
 * The keychain entry of one account, defined once and versioned: tokens, what they are bound to
 * (the issuer or origin and the client id, providers/binding.ts) and what is needed to rebuild
 * its index entry (the keychain is the source of truth; the index only mirrors display claims).
 * Every version this release knows is read by `readStoredAccount`; only the current one is
 * written. Anything else is left in the keychain untouched: another version may own it.
 */
import { z } from 'zod';
import { PROVIDER_KINDS, type ProviderKind } from '../../shared/provider-kinds';
import type { DisplayClaims } from '../../shared/session';
import { accountIdOf } from '../ports/account-id';
import { isSlotKey } from './item-keys';
import type { AccountBinding, TokenSet } from './providers/types';

export { accountIdOf } from '../ports/account-id';

/**
 * The format this release writes. Format 3 is format 2's fields under a new rule for the item's
 * name: an opaque slot name (main/auth/item-keys.ts) as well as the account id. A release that
 * knows only 1 and 2 reports a format-3 item as unreadable and leaves it alone, instead of
 * mistaking an item under another name for a foreign one.
 */
export const STORED_ACCOUNT_VERSION = 3;

export interface StoredAccount {
  v: typeof STORED_ACCOUNT_VERSION;
  providerId: string;
  providerKind: ProviderKind;
  sub: string;
  claims: DisplayClaims;
  tokens: TokenSet;
  /** Null for an account the first release stored (format 1): it must sign in again once. */
  binding: AccountBinding | null;
  profileId: string | null;
  savedAt: number;
}

/** What one keychain item holds, as far as this release can tell. */
export type StoredRead =
  | { kind: 'account'; account: StoredAccount }
  /** Not JSON, not a known version, not a well-formed entry, or not under a name of its own. */
  | { kind: 'unreadable'; version: number | null };

const tokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().optional(),
  expiresAt: z.number().nullable(),
  idToken: z.string().optional(),
  tokenType: z.string().optional(),
  scope: z.string().optional(),
});

const clientId = z.string();
const bindingSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('oidc'),
    issuer: z.string(),
    endpoints: z.string().optional(),
    clientId,
  }),
  z.strictObject({
    kind: z.literal('webex'),
    wellKnownUrl: z.string(),
    issuerFamily: z.string(),
    clientId,
  }),
  z.strictObject({
    kind: z.literal('github'),
    origin: z.string(),
    apiOrigin: z.string(),
    clientId,
  }),
  z.strictObject({ kind: z.literal('xwms'), origin: z.string(), clientId }),
  z.strictObject({ kind: z.literal('demo'), origin: z.string(), clientId }),
]) satisfies z.ZodType<AccountBinding>;

/** Format 1 (the first release): no binding. */
const v1Schema = z.object({
  v: z.literal(1),
  providerId: z.string(),
  providerKind: z.enum(PROVIDER_KINDS),
  sub: z.string().min(1),
  claims: z.record(z.string(), z.unknown()),
  tokens: tokenSchema,
  profileId: z.string().nullable(),
  savedAt: z.number(),
});

const v2Schema = v1Schema.extend({
  v: z.literal(2),
  binding: bindingSchema.nullable(),
});

const v3Schema = v2Schema.extend({ v: z.literal(3) });

export function encodeStoredAccount(account: StoredAccount): string {
  return JSON.stringify(account);
}

/**
 * Reads one keychain item. Under `key` (when given) it must be stored under a name of its own:
 * its account id, or from format 3 on a slot name. With `accountId`, it must also be that
 * account's (the one the index maps to `key`). A known version becomes the current format;
 * anything else is reported with its `v`.
 */
export function readStoredAccount(raw: string, key?: string, accountId?: string): StoredRead {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'unreadable', version: null };
  }
  const version = versionOf(json);
  const account = fromVersion(version, json);
  if (!account) return { kind: 'unreadable', version };
  const id = accountIdOf(account.providerId, account.sub);
  const named = key === undefined || key === id || (version === 3 && isSlotKey(key));
  if (!named || (accountId !== undefined && accountId !== id))
    return { kind: 'unreadable', version };
  return { kind: 'account', account };
}

/** The account in an item, or null for anything that is not a well-formed entry. */
export function decodeStoredAccount(raw: string): StoredAccount | null {
  const read = readStoredAccount(raw);
  return read.kind === 'account' ? read.account : null;
}

function versionOf(json: unknown): number | null {
  if (!json || typeof json !== 'object' || !('v' in json)) return null;
  return typeof json.v === 'number' && Number.isSafeInteger(json.v) ? json.v : null;
}

/** One case per known format; a later one (keyed differently, say) adds its own here. */
function fromVersion(version: number | null, json: unknown): StoredAccount | null {
  switch (version) {
    case 1: {
      const parsed = v1Schema.safeParse(json);
      // A format-1 account has no binding: it asks to sign in again, with no network call.
      return parsed.success ? current({ ...parsed.data, binding: null }) : null;
    }
    case 2: {
      const parsed = v2Schema.safeParse(json);
      return parsed.success ? current(parsed.data) : null;
    }
    case 3: {
      const parsed = v3Schema.safeParse(json);
      return parsed.success ? current(parsed.data) : null;
    }
    default:
      return null;
  }
}

function current(data: Omit<z.infer<typeof v2Schema>, 'v'>): StoredAccount {
  const tokens: TokenSet = {
    accessToken: data.tokens.accessToken,
    expiresAt: data.tokens.expiresAt,
  };
  for (const key of ['refreshToken', 'idToken', 'tokenType', 'scope'] as const) {
    const value = data.tokens[key];
    if (value !== undefined) tokens[key] = value;
  }
  const { providerId, providerKind, sub, binding, profileId, savedAt } = data;
  const claims = data.claims as DisplayClaims;
  const v = STORED_ACCOUNT_VERSION;
  return { v, providerId, providerKind, sub, claims, tokens, binding, profileId, savedAt };
}
