/**
 * Leftovers a review found, kept from coming back: exports nobody imports (a name exported is a
 * promise that someone uses it), an option the core passes to loadConfig although loadConfig no
 * longer takes it, a provider module writing its ProviderInfo by hand, and ProviderKind taken
 * from two places. Read with the TypeScript parser, never with regular expressions over code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOTS = ['main', 'renderer', 'shared', 'test', 'bench', 'scripts'];
const SOURCE = /\.(ts|tsx|mts)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) {
    const text = readFileSync(file, 'utf8');
    source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    parsed.set(file, source);
  }
  return source;
}

/** The file a relative specifier names (`./x`, `./x.js`, `./x/index`), or null. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.join(path.dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')])
    if (SOURCE.test(candidate) && safeIsFile(candidate)) return path.normalize(candidate);
  return null;
}
const safeIsFile = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Every name each file is asked for by the others; '*' for a namespace or dynamic import. */
function importedNames(): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  const want = (file: string | null, name: string) => {
    if (file) wanted.set(file, (wanted.get(file) ?? new Set()).add(name));
  };
  for (const file of ROOTS.flatMap(walk)) {
    const visit = (node: ts.Node): void => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        const target = resolve(file, node.moduleSpecifier.text);
        const bindings = ts.isImportDeclaration(node)
          ? node.importClause?.namedBindings
          : node.exportClause;
        if (ts.isImportDeclaration(node) && node.importClause?.name) want(target, 'default');
        if (!bindings || ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings))
          want(target, '*');
        else
          for (const element of bindings.elements)
            want(target, (element.propertyName ?? element.name).text);
      }
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        want(resolve(file, node.arguments[0].text), '*');
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
  }
  return wanted;
}

const exported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a file exports itself or re-exports. */
function exportsOf(file: string): string[] {
  const names: string[] = [];
  for (const statement of parse(file).statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause) {
      if (ts.isNamedExports(statement.exportClause))
        names.push(...statement.exportClause.elements.map((e) => e.name.text));
    } else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      exported(statement) &&
      statement.name
    )
      names.push(statement.name.text);
  }
  return names;
}

describe('exports with no importer', () => {
  const wanted = importedNames();
  it.each([
    'main/auth/providers/oidc.ts',
    'main/auth/http.ts',
    'main/app/log-file.ts',
    'main/cli/cli-fetch.ts',
    'main/config/references.ts',
    'main/auth/device-flow.ts',
  ])('%s exports only what another file imports', (file) => {
    const asked = wanted.get(path.normalize(file)) ?? new Set<string>();
    const unused = asked.has('*') ? [] : exportsOf(file).filter((name) => !asked.has(name));
    expect(unused).toEqual([]);
  });
});

/** The property names of every object literal inside `node`, spreads' branches included. */
function literalKeys(node: ts.Node): string[] {
  const keys: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n))
      for (const p of n.properties)
        if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name)
          keys.push(p.name.getText());
    ts.forEachChild(n, visit);
  };
  visit(node);
  return keys;
}

function interfaceMembers(file: string, name: string): string[] {
  const found = parse(file).statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!found) throw new Error(`${name} is not declared in ${file}`);
  return found.members.flatMap((m) => (m.name ? [m.name.getText()] : []));
}

describe('options the core passes on', () => {
  it('the core passes loadConfig only options it takes (extraDotEnv is gone from both)', () => {
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.expression.getText() === 'loadConfig') calls.push(n);
      ts.forEachChild(n, visit);
    };
    visit(parse('main/app/core.ts'));
    expect(calls).toHaveLength(1);
    const accepted = interfaceMembers('main/config/load.ts', 'LoadConfigOptions');
    const passed = literalKeys(calls[0]!.arguments[0]!);
    expect(passed.filter((key) => !accepted.includes(key))).toEqual([]);
    expect(interfaceMembers('main/app/core.ts', 'CoreOptions')).not.toContain('extraDotEnv');
  });
});

describe('ProviderInfo and ProviderKind, each from one place', () => {
  it('no provider module writes a ProviderInfo by hand: each calls providerInfo()', () => {
    const dir = 'main/auth/providers';
    const byHand: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'info.ts')) {
      const visit = (n: ts.Node): void => {
        if (ts.isObjectLiteralExpression(n)) {
          const keys = n.properties.flatMap((p) => (p.name ? [p.name.getText()] : []));
          if (['id', 'kind', 'configErrors'].every((k) => keys.includes(k))) byHand.push(name);
        }
        ts.forEachChild(n, visit);
      };
      visit(parse(path.join(dir, name)));
    }
    expect(byHand).toEqual([]);
  });

  it('main/ and renderer/ import ProviderKind from shared/provider-kinds only', () => {
    const elsewhere: string[] = [];
    for (const file of ['main', 'renderer'].flatMap(walk)) {
      for (const statement of parse(file).statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
          continue;
        const bindings = statement.importClause?.namedBindings;
        const names =
          bindings && ts.isNamedImports(bindings)
            ? bindings.elements.map((e) => (e.propertyName ?? e.name).text)
            : [];
        const from = resolve(file, statement.moduleSpecifier.text);
        if (names.includes('ProviderKind') && from !== path.normalize('shared/provider-kinds.ts'))
          elsewhere.push(file);
      }
    }
    expect(elsewhere).toEqual([]);
  });
});
