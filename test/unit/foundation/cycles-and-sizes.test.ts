/**
 * The module-cycle and size rules are real. The cycle rule reads imported files from disk, so its
 * proof writes two real files that import each other inside main/ (removed in `finally`; the
 * tsconfigs and .prettierignore skip the folder should a run die first). Sizes lint generated text.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eslint, ruleMessages } from './lint';

/** Two modules in a fresh folder under main/auth/; `cyclic` makes b import a back. */
async function lintPair(cyclic: boolean): Promise<string[]> {
  const dir = path.join('main', 'auth', `__cycle-fixture-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'a.ts'),
      "import { b } from './b';\n\nexport const a = (): number => b() + 1;\n",
    );
    writeFileSync(
      path.join(dir, 'b.ts'),
      cyclic
        ? "import { a } from './a';\n\nexport const b = (): number => a() - 1;\n"
        : 'export const b = (): number => 1;\n',
    );
    const [result] = await eslint.lintFiles([path.join(dir, 'a.ts')]);
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'import-x/no-cycle')
      .map((m) => m.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('module cycles', () => {
  it('two .ts files in main/ that import each other fail lint', async () => {
    expect(await lintPair(true)).toEqual(['Dependency cycle detected']);
  });

  it('the same files importing one way pass', async () => {
    expect(await lintPair(false)).toEqual([]);
  });
});

const lines = (n: number, make: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => make(i)).join('\n') + '\n';
/** A function `total` lines long, counting its first and last lines. */
const fn = (total: number) =>
  `export function f(): number {\n  let x = 0;\n${lines(total - 4, () => '  x += 1;')}  return x;\n}\n`;

describe('size rules on main/', () => {
  it('a file of 351 lines fails max-lines; 350 pass', async () => {
    const file = (n: number) => lines(n, (i) => `export const v${i} = ${i};`);
    expect(await ruleMessages('main/auth/long.ts', file(351), 'max-lines')).toHaveLength(1);
    expect(await ruleMessages('main/auth/long.ts', file(350), 'max-lines')).toEqual([]);
  });

  it('a function of 61 lines fails max-lines-per-function; 60 pass', async () => {
    const rule = 'max-lines-per-function';
    expect(await ruleMessages('main/secrets/long.ts', fn(61), rule)).toHaveLength(1);
    expect(await ruleMessages('main/secrets/long.ts', fn(60), rule)).toEqual([]);
  });

  it('blank lines and comments are not counted', async () => {
    const padded = fn(60).replace(
      '  let x = 0;\n',
      `  let x = 0;\n${lines(40, () => '')}${lines(40, () => '  // why')}`,
    );
    expect(await ruleMessages('main/app/long.ts', padded, 'max-lines-per-function')).toEqual([]);
    const file = lines(350, (i) => `export const v${i} = ${i};\n// why`);
    expect(await ruleMessages('main/app/long.ts', file, 'max-lines')).toEqual([]);
  });

  it('the rules cover every folder of main/', async () => {
    for (const file of [
      'main/index.ts',
      'main/cli/commands/x.ts',
      'main/demo/x.ts',
      'main/ports/x.ts',
    ]) {
      expect(await ruleMessages(file, fn(61), 'max-lines-per-function'), file).toHaveLength(1);
    }
  });
});
