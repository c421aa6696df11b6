/**
 * One list of provider kinds (shared/provider-kinds.ts). A kind added there, or left out of one
 * consumer's map, fails the type check: each case type-checks the real files, with one of them
 * changed in memory, through the TypeScript compiler API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../../shared/provider-kinds';

const root = process.cwd();
const KINDS_FILE = 'shared/provider-kinds.ts';
/** The consumers that map every kind: each must fail until it handles a new one. */
const MAPS = [
  'main/config/schema.ts',
  'main/auth/providers/registry.ts',
  'renderer/src/components/ProviderMark.tsx',
];
/** The consumers that derive from the list (zod enums): they follow it with no change. */
const DERIVED = ['main/auth/stored-account.ts', 'main/secrets/account-index.ts'];
const FILES = [...MAPS, ...DERIVED];

const abs = (rel: string) => path.join(root, rel);
const read = (rel: string) => readFileSync(abs(rel), 'utf8');

const parsed = ts.getParsedCommandLineOfConfigFile(abs('tsconfig.test.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
})!;
const options: ts.CompilerOptions = {
  ...parsed.options,
  noEmit: true,
  composite: false,
  declaration: false,
  emitDeclarationOnly: false,
  incremental: false,
};
// Unchanged files (the libraries' types above all) are parsed once for every case.
const parsedFiles = new Map<string, ts.SourceFile>();

/** Type errors in FILES, by file, with `overrides` (path → text) in place of the real files. */
function typeErrors(overrides: Record<string, string> = {}): Record<string, string[]> {
  const host = ts.createCompilerHost(options, true);
  const fromDisk = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError) => {
    const text = overrides[path.relative(root, fileName).split(path.sep).join('/')];
    if (text !== undefined) return ts.createSourceFile(fileName, text, language, true);
    let file = parsedFiles.get(fileName);
    if (!file) {
      file = fromDisk(fileName, language, onError);
      if (file) parsedFiles.set(fileName, file);
    }
    return file;
  };
  const program = ts.createProgram(FILES.map(abs), options, host);
  const errors: Record<string, string[]> = {};
  for (const rel of FILES) {
    const file = program.getSourceFile(abs(rel))!;
    const found = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    errors[rel] = found.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return errors;
}

describe('one list of provider kinds', () => {
  it('the tree as it is type-checks', () => {
    expect(typeErrors()).toEqual(Object.fromEntries(FILES.map((f) => [f, []])));
  }, 120_000);

  it('a kind added to the list fails every consumer map until it handles the kind', () => {
    const kinds = read(KINDS_FILE);
    const added = kinds.replace("'xwms'] as const", "'xwms', 'acme'] as const");
    expect(added).not.toBe(kinds);
    const errors = typeErrors({ [KINDS_FILE]: added });
    for (const rel of MAPS) {
      expect(errors[rel]!.join('\n'), rel).toContain("Property 'acme' is missing");
    }
    // The enums derive from the list: a saved account of the new kind is never taken as corrupt.
    for (const rel of DERIVED) expect(errors[rel], rel).toEqual([]);
  }, 120_000);

  it.each(MAPS)(
    '%s: leaving a kind out fails the type check',
    (rel) => {
      const text = read(rel);
      // The whole entry, up to the next key or the map's closing brace.
      const without = text.replace(/^ {2}xwms: [\s\S]*?\n(?= {2}\w+:|\})/m, '');
      expect(without).not.toBe(text);
      expect(typeErrors({ [rel]: without })[rel]!.join('\n')).toContain(
        "Property 'xwms' is missing",
      );
    },
    120_000,
  );

  it('styles.css gives every kind its mark colour', () => {
    const css = read('renderer/src/styles.css');
    for (const kind of PROVIDER_KINDS) expect(css, kind).toMatch(new RegExp(`\\.mark-${kind} \\{`));
  });
});
