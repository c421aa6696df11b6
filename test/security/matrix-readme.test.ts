/**
 * The negative-matrix table in docs/security.md is checked against the tests: every row names a case that
 * exists in the test sources, and the matrix holds at least 60 cases across its groups.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const security = readFileSync('docs/security.md', 'utf8');
const block = security.slice(
  security.indexOf('<!-- matrix:start'),
  security.indexOf('<!-- matrix:end -->'),
);
const rows = block
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| group') && !/^\| -+/.test(l))
  .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim()));

const sources = [
  'test/security',
  'test/unit/ipc',
  'test/integration/keychain',
  'test/integration/crash',
]
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(dir, f), 'utf8')),
  )
  .join('\n');

/** The literal a row's title comes from: it.each names, or the title itself. */
function literalOf(title: string): string[] {
  const t = title.replace(/\\\|/g, '|');
  return [
    t,
    t.replace(/, and the flow keeps waiting$/, ''),
    t.replace(/ → id_token_invalid$/, ''),
    t.replace(/^refuses /, ''),
    t.replace(/^(sign-in|refresh|sign-out) killed /, ''),
  ];
}

describe('docs/security.md negative matrix', () => {
  it('holds at least 60 cases in at least 8 groups, all passing', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r[0])).size).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r[2] !== 'pass')).toEqual([]);
  });

  it('every row names a case that exists in the test sources', () => {
    const missing = rows.filter(
      (r) => !literalOf(r[1]!).some((lit) => lit.length > 3 && sources.includes(lit)),
    );
    expect(missing).toEqual([]);
  });
});
