/**
 * The one rule for account ids, `${providerId}:${sub}`: the engine makes them and the IPC schema
 * (main/ipc/schemas.ts) accepts exactly these, so every account the engine holds can be named
 * from the window. A sub is whatever the provider chose (spaces, any script), bounded in bytes.
 */

/** Provider ids appear in loopback paths (/callback/{id}) and keychain keys, so they are narrow. */
export const PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Subs longer than this are refused at sign-in: keychain keys and the window need a bound. */
export const MAX_SUB_BYTES = 1024;

/** The longest account id in UTF-16 code units (a sub has at most one unit per byte). */
export const MAX_ACCOUNT_ID_LENGTH = 40 + 1 + MAX_SUB_BYTES;

export function accountIdOf(providerId: string, sub: string): string {
  return `${providerId}:${sub}`;
}

// In a u-mode pattern only a lone surrogate is a Cs code point: it has no UTF-8 form.
const LONE_SURROGATE = /\p{Cs}/u;

/** A sub the engine stores: not empty, well-formed Unicode, at most MAX_SUB_BYTES in UTF-8. */
export function isAcceptableSub(sub: string): boolean {
  if (sub.length === 0 || LONE_SURROGATE.test(sub)) return false;
  return Buffer.byteLength(sub, 'utf8') <= MAX_SUB_BYTES;
}

/** True for exactly the ids accountIdOf makes from a provider id and an acceptable sub. */
export function isAccountId(value: string): boolean {
  if (value.length > MAX_ACCOUNT_ID_LENGTH) return false;
  const colon = value.indexOf(':');
  if (colon < 1) return false;
  return PROVIDER_ID_PATTERN.test(value.slice(0, colon)) && isAcceptableSub(value.slice(colon + 1));
}
