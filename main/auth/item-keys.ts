/**
 * The names of keychain items. An account first signed in by an earlier release keeps its item
 * under its account id. A new account's item gets an opaque name, made when its sign-in starts,
 * so that the keychain can open that item's entry (on the Secret Service, a D-Bus session and a
 * key exchange, about 5 ms on the keychain thread) while the browser and the provider are busy,
 * instead of after the token exchange, when the account, and so its id, is first known. The
 * index maps the account to its item (IndexEntry.itemKey); the item itself names its account
 * (stored-account.ts, format 3), so a lost index is rebuilt from the keychain as before.
 */
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../ports/secret-store';

export { isSlotKey } from '../ports/item-key';

/** `item-` and 16 random bytes, as ports/item-key.ts's pattern accepts. */
export function newSlotKey(): string {
  return `item-${randomBytes(16).toString('base64url')}`;
}

/**
 * Opaque item names with their entries opened ahead. Only a store whose entries are costly to
 * open (one with `warm`, the keychain) gets them; any other keeps account ids as item names.
 * A name not used by the sign-in it was made for (it failed, or it was an account already
 * known, whose item keeps its name) is kept for the next one: its entry is already open.
 */
export class SlotKeys {
  readonly #store: SecretStore;
  readonly #spare: string[] = [];

  constructor(store: SecretStore) {
    this.#store = store;
  }

  /** A name for a sign-in that is starting, its entry opening now; null for a cheap store. */
  reserve(): string | null {
    if (!this.#store.warm) return null;
    const key = this.#spare.pop() ?? newSlotKey();
    this.#store.warm(key);
    return key;
  }

  /** The sign-in ended without writing under `key`: the next one takes it. */
  giveBack(key: string): void {
    if (this.#spare.length < MAX_SPARE && !this.#spare.includes(key)) this.#spare.push(key);
  }
}

/** Sign-ins at once, in practice one per provider: more spares would only hold connections. */
const MAX_SPARE = 4;
