/**
 * Finds an account's keychain item the way the engine does: a new account's item has an opaque
 * name (main/auth/item-keys.ts) that the index maps to the account, and the item names its
 * account. Tests that read or check the keychain directly go through these.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeStoredAccount } from '../../main/auth/stored-account';
import { INDEX_FILE_NAME } from '../../main/secrets/account-index';

interface ItemStore {
  get(key: string): Promise<string | null>;
  listAccountIds?(): Promise<string[]>;
}

/** The item name the index in `dataDir` gives the account (its id for an older entry). */
export function itemKeyIn(dataDir: string, accountId: string): string {
  const text = readFileSync(path.join(dataDir, INDEX_FILE_NAME), 'utf8');
  const { accounts } = JSON.parse(text) as {
    accounts: Array<{ accountId: string; itemKey?: string }>;
  };
  const entry = accounts.find((a) => a.accountId === accountId);
  if (!entry) throw new Error(`${accountId} is not in the index of ${dataDir}`);
  return entry.itemKey ?? accountId;
}

/** The raw item of an account the index in `dataDir` knows. */
export async function readAccountItem(
  store: ItemStore,
  dataDir: string,
  accountId: string,
): Promise<string | null> {
  return store.get(itemKeyIn(dataDir, accountId));
}

/** The names of every item in `store` that holds the account, whatever the index says. */
export async function itemsOfAccount(store: ItemStore, accountId: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of (await store.listAccountIds?.()) ?? []) {
    const raw = await store.get(key);
    const account = raw === null ? null : decodeStoredAccount(raw);
    if (account && `${account.providerId}:${account.sub}` === accountId) found.push(key);
  }
  return found;
}
