/**
 * The floor for P1 and P7: the bare script (bench/bare.ts) plus the least a desktop app must do
 * before it may say "signed in" and remember the account — write the tokens to a new keychain
 * item (the entry opened while the browser is away, so its Secret Service session set-up
 * overlaps the round trips) and, alongside, one small file through the durable sequence
 * (temporary file, fsync, rename, fsync of the folder: the engine's own writeFileAtomic), as an
 * account list needs. No logs, no index schema, no lock, no window. Gatehouse over this shows what its engine adds beyond the
 * unavoidable cost of a durable save; Gatehouse over bench/bare.ts includes that cost.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as client from 'openid-client';
import { writeFileAtomic } from '../main/secrets/atomic-file';
import { bareSignIn, type Open } from './bare';

type Keyring = typeof import('@napi-rs/keyring');
type AsyncEntry = InstanceType<Keyring['AsyncEntry']>;

const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

export interface DurableBare {
  signIn(user: string): Promise<{ elapsed: number; page: Promise<void> }>;
  /** Deletes every item it wrote and its folder. */
  close(): Promise<void>;
}

export function durableBare(
  config: client.Configuration,
  open: Open,
  service: string,
): DurableBare {
  const { AsyncEntry } = createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-floor-'));
  const written: AsyncEntry[] = [];
  const accounts: string[] = [];
  return {
    async signIn(user) {
      let entry: AsyncEntry | undefined;
      // Opened once the authorization request is on its way: the constructor's synchronous
      // session set-up then overlaps the browser's round trips, as Gatehouse's worker does.
      const openAndSetUp: Open = (url, who) => {
        const page = open(url, who);
        entry = new AsyncEntry(service, randomUUID(), ENTRY_OPTIONS);
        return page;
      };
      return bareSignIn(config, openAndSetUp, user, async (tokens) => {
        accounts.push(user);
        written.push(entry!);
        await Promise.all([
          entry!.setPassword(JSON.stringify(tokens)),
          writeFileAtomic(path.join(dir, 'accounts.json'), JSON.stringify(accounts)),
        ]);
      });
    },
    async close() {
      for (const entry of written) await entry.deleteCredential().catch(() => false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
