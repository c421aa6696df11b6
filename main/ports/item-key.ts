/**
 * The one rule for opaque keychain item names (main/auth/item-keys.ts says why they exist): the
 * engine makes them, the index schema (main/secrets/account-index.ts) accepts exactly these.
 */
/** `item-` and 16 random bytes: no colon, so never an account id, and not the probe's `__`. */
export const SLOT_KEY_PATTERN = /^item-[A-Za-z0-9_-]{22}$/;

export function isSlotKey(key: string): boolean {
  return SLOT_KEY_PATTERN.test(key);
}
