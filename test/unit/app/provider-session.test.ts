/**
 * Attack: someone who later reads the data folder (a backup, a shared or stolen disk) finds the
 * provider traffic Chromium kept there: cookies and cached GitHub /user and /user/emails answers.
 * The decision is providerSessionOptions(); main/window.ts's providerFetch applies it and
 * main/index.ts hands that fetch to the core. The Electron spec checks the session itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providerSessionOptions } from '../../../main/app/provider-session';

const windowSource = readFileSync('main/window.ts', 'utf8');
const indexSource = readFileSync('main/index.ts', 'utf8');

describe('provider traffic leaves no disk cache', () => {
  it('uses an in-memory partition (no persist: prefix, not the default session) with no cache', () => {
    const { partition, cache } = providerSessionOptions();
    expect(partition).not.toMatch(/^persist:/);
    expect(partition).not.toBe(''); // '' is the default session, kept on disk
    expect(cache).toBe(false);
  });

  it('the fetch given to the core runs on that session, never on the default one', () => {
    const body = /export function providerFetch\(\)[^]*?\n\}/.exec(windowSource)?.[0] ?? '';
    expect(body).toContain('providerSessionOptions()');
    expect(body).toContain('session.fromPartition(partition, { cache })');
    expect(body).toContain('providers.fetch(');
    expect(body).not.toContain('net.fetch');
    expect(indexSource).toContain('fetch: providerFetch(),');
    // net.fetch is the default session: left only for the app's own files (file: URLs).
    expect(indexSource).not.toMatch(/\bnet\.fetch\b|\bdefaultSession\.fetch\b/);
    expect(windowSource.match(/\bnet\.fetch\(/g)).toHaveLength(1);
    expect(windowSource).toContain('net.fetch(pathToFileURL(file).toString())');
  });
});
