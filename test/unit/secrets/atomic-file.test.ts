/**
 * main/secrets/atomic-file.ts in real temp folders: a reader sees the old file or the new one,
 * never a torn mix, no temp file is left behind even when the rename fails, and every way a
 * JSON file can be unusable is reported as a value, never thrown.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic, type ReadResult } from '../../../main/secrets/atomic-file';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'gh-atomic-'));
const temps = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));
const schema = z.strictObject({ n: z.number(), pad: z.string().optional() });

describe('writeFileAtomic', () => {
  it('writes the data owner-only by default, or with the mode given', async () => {
    const dir = fresh();
    await writeFileAtomic(path.join(dir, 'a.json'), '{"n":1}');
    expect(readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe('{"n":1}');
    expect(statSync(path.join(dir, 'a.json')).mode & 0o777).toBe(0o600);
    await writeFileAtomic(path.join(dir, 'b.json'), 'ü', 0o640);
    expect(statSync(path.join(dir, 'b.json')).mode & 0o777).toBe(0o640 & ~process.umask());
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe('ü');
    expect(temps(dir)).toEqual([]);
  });

  it('replaces an existing file whole', async () => {
    const dir = fresh();
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'x'.repeat(10_000));
    await writeFileAtomic(file, 'short');
    expect(readFileSync(file, 'utf8')).toBe('short');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('removes its temp file when the rename fails, and reports the failure', async () => {
    const dir = fresh();
    const target = path.join(dir, 'a.json');
    mkdirSync(target); // a folder where the file should go: rename(2) refuses with EISDIR
    await expect(writeFileAtomic(target, '{}')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(temps(dir)).toEqual([]);
    expect(statSync(target).isDirectory()).toBe(true);
  });

  it('does not create a missing folder (callers decide its mode)', async () => {
    const dir = fresh();
    await expect(writeFileAtomic(path.join(dir, 'no', 'a.json'), '{}')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('concurrent writers and readers: every read is one whole version', async () => {
    const dir = fresh();
    const file = path.join(dir, 'a.json');
    const version = (n: number) => JSON.stringify({ n, pad: String(n).repeat(50_000) });
    await writeFileAtomic(file, version(0));
    const reads: Promise<ReadResult<z.infer<typeof schema>>>[] = [];
    const writes: Promise<void>[] = [];
    for (let n = 1; n <= 20; n++) {
      writes.push(writeFileAtomic(file, version(n)));
      reads.push(readJsonFile(file, schema));
    }
    await Promise.all(writes);
    for (const result of await Promise.all(reads)) {
      expect(result.kind).toBe('ok');
      if (result.kind === 'ok')
        expect(result.value.pad).toBe(String(result.value.n).repeat(50_000));
    }
    const last = await readJsonFile(file, schema);
    expect(last.kind === 'ok' && last.value.n >= 1 && last.value.n <= 20).toBe(true);
    expect(temps(dir)).toEqual([]);
  });
});

describe('readJsonFile', () => {
  const cases: [string, string | null, unknown][] = [
    ['a valid file', '{"n":3}', { kind: 'ok', value: { n: 3 } }],
    ['no file', null, { kind: 'missing' }],
    ['an empty file', '', { kind: 'corrupt', reason: 'not valid JSON' }],
    ['a torn file', '{"n":', { kind: 'corrupt', reason: 'not valid JSON' }],
    ['a field of the wrong type', '{"n":"3"}', { kind: 'corrupt', reason: 'invalid at n' }],
    [
      'an unknown field',
      '{"n":3,"token":"x"}',
      { kind: 'corrupt', reason: expect.stringMatching(/^invalid at/) },
    ],
    ['the wrong shape', '[]', { kind: 'corrupt', reason: expect.stringMatching(/^invalid at/) }],
  ];
  it.each(cases)('%s', async (_name, text, expected) => {
    const dir = fresh();
    const file = path.join(dir, 'a.json');
    if (text !== null) writeFileSync(file, text);
    expect(await readJsonFile(file, schema)).toEqual(expected);
  });

  it('a file that cannot be read is corrupt, with the system code', async () => {
    const dir = fresh();
    mkdirSync(path.join(dir, 'a.json'));
    expect(await readJsonFile(path.join(dir, 'a.json'), schema)).toEqual({
      kind: 'corrupt',
      reason: 'EISDIR',
    });
  });
});
