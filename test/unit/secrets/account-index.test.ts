/**
 * The account index (main/secrets/account-index.ts) in real temp folders: display claims only,
 * owner-only files, a torn or invalid file set aside and treated as empty, and writes that never
 * lose each other, however they overlap.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../main/ports/account-index';
import { AccountIndex, INDEX_FILE_NAME } from '../../../main/secrets/account-index';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'gh-index-'));

function entry(sub: string, extra: Partial<IndexEntry> = {}): IndexEntry {
  return {
    accountId: `demo:${sub}`,
    providerId: 'demo',
    providerKind: 'demo',
    sub,
    claims: { name: `User ${sub}`, email: `${sub}@example.test`, emailVerified: true },
    expiresAt: 1_700_000_000_000,
    lastsUntilSignOut: false,
    profileId: null,
    updatedAt: 1,
    ...extra,
  };
}

const fileOf = (dir: string) => path.join(dir, INDEX_FILE_NAME);
const onDisk = (dir: string) =>
  JSON.parse(readFileSync(fileOf(dir), 'utf8')) as { version: number; accounts: IndexEntry[] };
const ids = (entries: IndexEntry[]) => entries.map((e) => e.accountId).sort();

describe('AccountIndex: reading and writing', () => {
  it('starts empty without a file, and reading creates none', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    expect(await index.load()).toEqual({ corrupt: null });
    expect(await index.list()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads a version-1 file (no item names) and writes it back as version 2, with item names', async () => {
    const dir = fresh();
    writeFileSync(fileOf(dir), JSON.stringify({ version: 1, accounts: [entry('old')] }));
    const index = new AccountIndex(dir);
    expect(await index.list()).toEqual([entry('old')]);
    const itemKey = 'item-' + 'A'.repeat(22);
    await index.upsert(entry('new', { itemKey }));
    expect(onDisk(dir)).toEqual({
      version: 2,
      accounts: [entry('old'), entry('new', { itemKey })],
    });
  });

  it('refuses an item name that is not a slot name (a path, a token, an account id)', async () => {
    const index = new AccountIndex(fresh());
    for (const itemKey of ['../x', 'demo:bob', 'item-short', 'eyJhbGciOi'])
      await expect(index.upsert(entry('alice', { itemKey }))).rejects.toThrow();
  });

  it('writes an owner-only file in an owner-only folder, read back by the next process', async () => {
    const dir = path.join(fresh(), 'data', 'nested');
    await new AccountIndex(dir).upsert(entry('alice'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(fileOf(dir)).mode & 0o777).toBe(0o600);
    expect(onDisk(dir)).toEqual({ version: 2, accounts: [entry('alice')] });
    expect(await new AccountIndex(dir).list()).toEqual([entry('alice')]);
  });

  it('replaces an entry by account id, removes one, and ignores removing an unknown one', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.upsert(entry('alice'));
    await index.upsert(entry('bob'));
    await index.upsert(entry('alice', { profileId: 'p1', updatedAt: 2 }));
    await index.remove('demo:bob');
    await index.remove('demo:nobody');
    expect(onDisk(dir).accounts).toEqual([entry('alice', { profileId: 'p1', updatedAt: 2 })]);
  });

  it('hands out copies: changing a listed entry changes nothing stored', async () => {
    const index = new AccountIndex(fresh());
    await index.upsert(entry('alice'));
    const [listed] = await index.list();
    listed!.claims.name = 'Mallory';
    expect((await index.list())[0]!.claims.name).toBe('User alice');
  });

  it.each([
    ['a token beside the claims', { accessToken: 'at-secret' }],
    ['a token among the claims', { claims: { name: 'A', refreshToken: 'rt-secret' } }],
    ['an unknown provider kind', { providerKind: 'evil' }],
    ['an empty sub', { sub: '' }],
  ])('refuses %s, and nothing reaches the disk', async (_name, extra) => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.upsert(entry('alice'));
    const before = readFileSync(fileOf(dir), 'utf8');
    await expect(index.upsert({ ...entry('bob'), ...extra } as IndexEntry)).rejects.toThrow();
    expect(readFileSync(fileOf(dir), 'utf8')).toBe(before);
    expect(before).not.toContain('secret');
    expect(ids(await index.list())).toEqual(['demo:alice']);
  });
});

describe('AccountIndex: a damaged file', () => {
  it.each([
    ['torn JSON', '{"version":1,"accounts":[{"accountId":', 'not valid JSON'],
    ['an empty file', '', 'not valid JSON'],
    ['a newer version', '{"version":3,"accounts":[]}', 'invalid at version'],
    [
      'an entry with a token in it',
      JSON.stringify({ version: 1, accounts: [{ ...entry('alice'), accessToken: 'x' }] }),
      'invalid at accounts.0',
    ],
  ])('%s is set aside, reported, and the index starts empty', async (_name, text, reason) => {
    const dir = fresh();
    writeFileSync(fileOf(dir), text);
    const index = new AccountIndex(dir);
    expect(await index.load()).toEqual({ corrupt: reason });
    expect(await index.list()).toEqual([]);
    const aside = readdirSync(dir).filter((n) => /^accounts\.json\.corrupt-\d+$/.test(n));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
    await index.upsert(entry('bob'));
    expect(onDisk(dir)).toEqual({ version: 2, accounts: [entry('bob')] });
  });

  it('a folder in place of the file is unreadable: set aside too', async () => {
    const dir = fresh();
    mkdirSync(fileOf(dir));
    expect(await new AccountIndex(dir).load()).toEqual({ corrupt: 'EISDIR' });
    expect(readdirSync(dir).some((n) => n.startsWith('accounts.json.corrupt-'))).toBe(true);
  });

  it('a failed write is reported, leaves no temp file, and the next write still lands', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.load();
    mkdirSync(fileOf(dir)); // the rename over it now fails
    await expect(index.upsert(entry('alice'))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    rmdirSync(fileOf(dir));
    await index.upsert(entry('bob'));
    expect(ids(onDisk(dir).accounts)).toEqual(['demo:alice', 'demo:bob']);
  });
});

describe('AccountIndex: overlapping writes', () => {
  it('many writes at once all land, in order', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    const subs = Array.from({ length: 25 }, (_, i) => `u${i}`);
    await Promise.all([
      ...subs.map((s) => index.upsert(entry(s))),
      index.remove('demo:u3'),
      index.upsert(entry('u7', { updatedAt: 99 })),
    ]);
    const stored = onDisk(dir).accounts;
    expect(ids(stored)).toEqual(ids(subs.filter((s) => s !== 'u3').map((s) => entry(s))));
    expect(stored.find((e) => e.sub === 'u7')!.updatedAt).toBe(99);
    expect(readdirSync(dir)).toEqual([INDEX_FILE_NAME]);
  });

  // Issue 15: in a storm of 100 refreshes each upsert rewrote the whole file on the main thread.
  it('100 upserts at once share a few writes, and each settles only once its entry is on disk', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        index.upsert(entry(`s${i}`)).then(() => {
          const accounts = onDisk(dir).accounts;
          expect(accounts.some((e) => e.sub === `s${i}`)).toBe(true);
          seen.push(accounts.length);
        }),
      ),
    );
    // One write per upsert would show the file growing 1, 2, 3, … 100 entries.
    expect(new Set(seen).size).toBeLessThanOrEqual(3);
    expect(onDisk(dir).accounts).toHaveLength(100);
  });

  it('a first list() and a first upsert() at once never drop the write (shared lazy load)', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = fresh();
      writeFileSync(fileOf(dir), JSON.stringify({ version: 1, accounts: [entry('old')] }));
      const index = new AccountIndex(dir);
      await Promise.all([index.list(), index.upsert(entry('new')), index.list()]);
      expect(ids(await new AccountIndex(dir).list())).toEqual(['demo:new', 'demo:old']);
      expect(ids(await index.list())).toEqual(['demo:new', 'demo:old']);
    }
  });
});

// Issue 15: refreshes end one by one, so upsert() still rewrote the file about 90 times in a
// storm of 100; a refresh's entry (what the keychain already holds) may wait for others.
describe('AccountIndex: changes that may wait (upsertSoon)', () => {
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const entriesOnDisk = (dir: string) => {
    try {
      return onDisk(dir).accounts.length;
    } catch {
      return -1; // no file yet
    }
  };

  it('changes made one after another share a write instead of one write each', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.load();
    const states: number[] = [];
    for (let i = 0; i < 20; i++) {
      index.upsertSoon(entry(`r${i}`));
      await tick(5);
      states.push(entriesOnDisk(dir));
    }
    // One write per change would show the file at 1, 2, 3, … 20 entries.
    expect(new Set(states).size).toBeLessThanOrEqual(3);
    await index.flush();
    expect(onDisk(dir).accounts).toHaveLength(20);
  });

  it('list() sees the change at once, and the file gets it without a flush, shortly after', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.load();
    index.upsertSoon(entry('alice', { expiresAt: 42 }));
    expect(await index.list()).toEqual([entry('alice', { expiresAt: 42 })]);
    for (let waited = 0; entriesOnDisk(dir) < 1 && waited < 5_000; waited += 20) await tick(20);
    expect(onDisk(dir).accounts).toEqual([entry('alice', { expiresAt: 42 })]);
  });

  it('an upsert() meanwhile takes the waiting change along, without waiting itself', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.load();
    index.upsertSoon(entry('waiting'));
    await index.upsert(entry('now'));
    expect(ids(onDisk(dir).accounts)).toEqual(['demo:now', 'demo:waiting']);
  });

  it('refuses a change that is not a display entry at once, and writes nothing', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    expect(() => index.upsertSoon(entry('alice', { itemKey: 'eyJhbGciOi' }))).toThrow();
    await index.flush();
    expect(readdirSync(dir)).toEqual([]);
  });

  // Electron quits without draining the event loop; `exit` here is what its quit leaves.
  it('a process that exits while a change waits still writes it, at exit', () => {
    const dir = fresh();
    const script = path.join(dir, 'exit-early.mts');
    const module = fileURLToPath(
      new URL('../../../main/secrets/account-index.ts', import.meta.url),
    );
    writeFileSync(
      script,
      `import { AccountIndex } from ${JSON.stringify(module)};
const index = new AccountIndex(${JSON.stringify(path.join(dir, 'data'))});
await index.load();
index.upsertSoon(${JSON.stringify(entry('quit', { expiresAt: 7 }))});
process.exit(0);
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(onDisk(path.join(dir, 'data')).accounts).toEqual([entry('quit', { expiresAt: 7 })]);
    expect(readdirSync(path.join(dir, 'data'))).toEqual([INDEX_FILE_NAME]);
  });

  it('a removal after a waiting change wins, in order', async () => {
    const dir = fresh();
    const index = new AccountIndex(dir);
    await index.load();
    index.upsertSoon(entry('gone'));
    index.upsertSoon(entry('kept'));
    await index.remove('demo:gone');
    expect(ids(onDisk(dir).accounts)).toEqual(['demo:kept']);
    expect(ids(await index.list())).toEqual(['demo:kept']);
  });
});
