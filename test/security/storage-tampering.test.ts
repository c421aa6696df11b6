/**
 * Attacks on the data folder: a symlink planted at the log's temp path (which once made the
 * log overwrite the link's target), a data folder left open to other users, and a tampered
 * sign-in log whose extra fields, HTML or token-looking text must never reach the window.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../main/app/core';
import { openStores } from '../../main/app/open-stores';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { keyringReady } from '../support/keyring/ready';

const keyring = keyringReady('storage-tampering.test');
const service = 'gatehouse-test-storage-tampering';

function dataDir() {
  return mkdtempSync(path.join(tmpdir(), 'gh-storage-'));
}

describe.skipIf(!keyring || process.platform === 'win32')('attack: the data folder', () => {
  it('a symlink planted at the log temp path leaves its target untouched', async () => {
    const dir = dataDir();
    const victim = path.join(mkdtempSync(path.join(tmpdir(), 'gh-victim-')), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const log = path.join(dir, 'sign-in-log.json');
    // The names earlier versions used, pid-based and so predictable.
    for (const name of [`${log}.${process.pid}.tmp`, `${log}.tmp`]) symlinkSync(victim, name);
    const stores = await openStores(dir, { service });
    stores.log.start('demo');
    await stores.log.flush();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(log, 'utf8')).toContain('"providerId":"demo"');
  });

  it('an existing data folder open to other users is tightened to 0700', async () => {
    const dir = dataDir();
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, 'locks'), { mode: 0o777 });
    chmodSync(path.join(dir, 'locks'), 0o777);
    await openStores(dir, { service });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'locks')).mode & 0o777).toBe(0o700);
  });
});

const GOOD = {
  attemptId: '5b0b9d8e-6c43-4d55-9d0e-3f1f0b7c2a11',
  providerId: 'demo',
  startedAt: 1_700_000_000_000,
  durationMs: 1200,
  outcome: 'signed-in',
  browserReachedLoopback: true,
  accountId: 'demo:alice',
  events: [
    { step: 'started', at: 0 },
    { step: 'port-bound', at: 3, port: 51234 },
    { step: 'keychain-written', at: 1100 },
    { step: 'finished', at: 1200 },
  ],
};
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const HTML = '<img src=x onerror="alert(document.domain)">';

describe.skipIf(!keyring)('attack: a tampered sign-in log', () => {
  it('extra fields, HTML and a token in a free-text field never reach log:list', async () => {
    const dir = dataDir();
    const tampered = [
      GOOD,
      { ...GOOD, attemptId: 'a1', note: HTML, events: [{ step: 'started', at: 0, html: HTML }] },
      { ...GOOD, attemptId: 'a2', events: [{ step: 'refreshed', at: 1, detail: TOKEN }] },
      { ...GOOD, attemptId: 'a3', providerId: HTML },
      { ...GOOD, attemptId: 'a4', outcome: HTML },
      { ...GOOD, attemptId: 'a5', events: [{ step: HTML, at: 1 }] },
      { ...GOOD, attemptId: 'a6', events: [{ step: 'refresh-failed', at: 1, code: TOKEN }] },
      'not an entry',
    ];
    writeFileSync(
      path.join(dir, 'sign-in-log.json'),
      JSON.stringify({ version: 1, entries: tampered }),
    );
    const stores = await openStores(dir, { service });
    const core = new GatehouseCore({
      configDir: dir,
      dataDir: dir,
      env: {},
      ...stores,
      openBrowser: async () => undefined,
    });
    try {
      const listed = await dispatch(createHandlers(core), 'log:list', undefined);
      const text = JSON.stringify(listed);
      expect(text).not.toContain('<img');
      expect(text).not.toContain('onerror');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('not an entry');
      expect(listed.ok).toBe(true);
      const entries = (listed as { value: Array<{ attemptId: string }> }).value;
      // The untouched entry survives whole; an entry with an extra field keeps only known fields.
      expect(entries.find((e) => e.attemptId === GOOD.attemptId)).toEqual(GOOD);
      expect(entries.find((e) => e.attemptId === 'a1')).toEqual({
        ...GOOD,
        attemptId: 'a1',
        events: [{ step: 'started', at: 0 }],
      });
    } finally {
      await core.dispose();
    }
  });
});
