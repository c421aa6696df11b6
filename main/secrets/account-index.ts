/**
 * The account index in the app's data folder: display claims only, never a token (a strict
 * schema refuses any other field). Written atomically; a torn or invalid file is moved aside
 * and the index rebuilt from the keychain at restore.
 */
import { mkdirSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PROVIDER_KINDS } from '../../shared/provider-kinds';
import type { AccountIndexPort, IndexEntry } from '../ports/account-index';
import { SLOT_KEY_PATTERN } from '../ports/item-key';
import {
  markSaved,
  markUnsaved,
  readJsonFile,
  writeFileAtomic,
  writeFileAtomicSync,
  type ExitWriter,
} from './atomic-file';

const claimsSchema = z.strictObject({
  name: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  email: z.string().optional(),
  emailVerified: z.boolean().optional(),
  picture: z.string().optional(),
  login: z.string().optional(),
});

const entrySchema = z.strictObject({
  accountId: z.string().min(1),
  providerId: z.string().min(1),
  providerKind: z.enum(PROVIDER_KINDS),
  sub: z.string().min(1),
  claims: claimsSchema,
  expiresAt: z.number().nullable(),
  lastsUntilSignOut: z.boolean(),
  profileId: z.string().nullable(),
  updatedAt: z.number(),
  itemKey: z.string().regex(SLOT_KEY_PATTERN).optional(),
});

/**
 * Version 2 adds `itemKey`, the keychain item's name where it is not the account id; a version-1
 * file (no item names) reads as it is, and is written back as version 2.
 */
export const indexFileSchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(2)]),
  accounts: z.array(entrySchema),
});
const INDEX_VERSION = 2;
/** How long a change that may wait (upsertSoon) waits for others to share its write. */
const SOON_MS = 250;

export const INDEX_FILE_NAME = 'accounts.json';

export class AccountIndex implements AccountIndexPort, ExitWriter {
  readonly file: string;
  #entries = new Map<string, IndexEntry>();
  #queue: Promise<void> = Promise.resolve();
  #loaded = false;
  #loading: Promise<unknown> | null = null;
  /** Changes made, and how many of them (in order) a finished write holds. */
  #changed = 0;
  #saved = 0;
  /** The write not yet started, which later changes join; `hurry` starts it without its delay. */
  #batch: { changes: Array<() => void>; done: Promise<void>; hurry: () => void } | null = null;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, INDEX_FILE_NAME);
  }

  /** Reads the file; a corrupt one is set aside (accounts.json.corrupt-<time>) and treated as empty. */
  async load(): Promise<{ corrupt: string | null }> {
    const result = await readJsonFile(this.file, indexFileSchema);
    this.#loaded = true;
    if (result.kind === 'ok') {
      this.#entries = new Map(result.value.accounts.map((e) => [e.accountId, e as IndexEntry]));
      return { corrupt: null };
    }
    this.#entries = new Map();
    if (result.kind === 'corrupt') {
      await rename(this.file, `${this.file}.corrupt-${Date.now()}`).catch(() => undefined);
      return { corrupt: result.reason };
    }
    return { corrupt: null };
  }

  async list(): Promise<IndexEntry[]> {
    await this.#ready();
    return [...this.#entries.values()].map((e) => structuredClone(e));
  }

  async upsert(entry: IndexEntry): Promise<void> {
    // Validate before keeping: anything that is not a display claim never reaches the disk.
    const clean = entrySchema.parse(entry) as IndexEntry;
    return this.#write(() => this.#entries.set(clean.accountId, clean), 0);
  }

  /**
   * A refresh storm of 100 accounts otherwise rewrote the whole file about 90 times, since
   * refreshes end one by one: changes kept within SOON_MS share one write.
   */
  upsertSoon(entry: IndexEntry): void {
    const clean = entrySchema.parse(entry) as IndexEntry;
    if (this.#loaded) this.#entries.set(clean.accountId, clean);
    this.#write(() => this.#entries.set(clean.accountId, clean), SOON_MS).catch(() => undefined);
  }

  async remove(accountId: string): Promise<void> {
    return this.#write(() => this.#entries.delete(accountId), 0);
  }

  async flush(): Promise<void> {
    this.#batch?.hurry();
    await this.#queue;
  }

  /** Process exit: every change made so far, written at once (nothing can await it). */
  writeUnsavedSync(): void {
    if (!this.#loaded || this.#saved === this.#changed) return;
    for (const apply of this.#batch?.changes ?? []) apply();
    this.#batch = null;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    } catch {
      return; // no folder, no file: restore rebuilds the index from the keychain
    }
    writeFileAtomicSync(this.file, this.#render());
    this.#saved = this.#changed;
  }

  #render(): string {
    return JSON.stringify(
      { version: INDEX_VERSION, accounts: [...this.#entries.values()] },
      null,
      2,
    );
  }

  /** One lazy load shared by all first callers: two loads ending out of order would drop a write. */
  #ready(): Promise<unknown> {
    if (this.#loaded) return Promise.resolve();
    this.#loading ??= this.load();
    return this.#loading;
  }

  /**
   * Changes queued behind a write in progress, or made while a write is waiting to start, wait
   * together and go to disk in one write: in a storm of 100 refreshes, each change would
   * otherwise serialize and rewrite the whole file (100 × 100 entries) on the main thread. Each
   * caller's promise still settles only once a write holding its change is on disk; a change
   * that may wait (`delayMs`) starts its write after that delay, unless a change that may not
   * joins it first.
   */
  #write(change: () => void, delayMs: number): Promise<void> {
    if (this.#batch) {
      this.#changed++;
      this.#batch.changes.push(change);
      if (delayMs === 0) this.#batch.hurry();
      return this.#batch.done;
    }
    this.#changed++;
    markUnsaved(this);
    const changes = [change];
    let hurry = () => {};
    const due =
      delayMs === 0
        ? undefined
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delayMs);
            hurry = () => {
              clearTimeout(timer);
              resolve();
            };
          });
    const run = async () => {
      if (this.#batch?.changes === changes) this.#batch = null;
      await this.#ready();
      for (const apply of changes) apply();
      const holds = this.#changed - (this.#batch?.changes.length ?? 0);
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, this.#render());
      this.#saved = Math.max(this.#saved, holds);
      if (this.#saved === this.#changed) markSaved(this);
    };
    // Writes are serialized: two quick changes never race to rename over each other.
    const done = this.#queue.then(() => due).then(run);
    this.#batch = { changes, done, hurry: () => hurry() };
    this.#queue = done.catch(() => undefined);
    return done;
  }
}
