/**
 * The keychain entry of one account: tokens plus what is needed to rebuild its index entry
 * (the keychain is the source of truth; the index only mirrors display claims).
 */
import { z } from 'zod';
import { PROVIDER_KINDS } from '../../shared/provider-kinds';
import type { DisplayClaims, ProviderKind } from '../../shared/session';
import type { TokenSet } from './providers/types';

export interface StoredAccount {
  v: 1;
  providerId: string;
  providerKind: ProviderKind;
  sub: string;
  claims: DisplayClaims;
  tokens: TokenSet;
  profileId: string | null;
  savedAt: number;
}

const tokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().optional(),
  expiresAt: z.number().nullable(),
  idToken: z.string().optional(),
  tokenType: z.string().optional(),
  scope: z.string().optional(),
});

const storedSchema = z.object({
  v: z.literal(1),
  providerId: z.string(),
  providerKind: z.enum(PROVIDER_KINDS),
  sub: z.string().min(1),
  claims: z.record(z.string(), z.unknown()),
  tokens: tokenSchema,
  profileId: z.string().nullable(),
  savedAt: z.number(),
});

export function accountIdOf(providerId: string, sub: string): string {
  return `${providerId}:${sub}`;
}

export function encodeStoredAccount(account: StoredAccount): string {
  return JSON.stringify(account);
}

/** Null for anything that is not a well-formed entry (a corrupt item is repaired, not crashed on). */
export function decodeStoredAccount(raw: string): StoredAccount | null {
  try {
    const parsed = storedSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const data = parsed.data;
    const tokens: TokenSet = {
      accessToken: data.tokens.accessToken,
      expiresAt: data.tokens.expiresAt,
    };
    for (const key of ['refreshToken', 'idToken', 'tokenType', 'scope'] as const) {
      const value = data.tokens[key];
      if (value !== undefined) tokens[key] = value;
    }
    return { ...data, claims: data.claims as DisplayClaims, tokens };
  } catch {
    return null;
  }
}
