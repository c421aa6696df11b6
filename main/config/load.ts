/**
 * Loads the provider configuration: the file named by GATEHOUSE_CONFIG or the app's config
 * directory, with "${NAME}" values (references.ts) from the environment and the .env beside that
 * file. A bad file never stops the app, and one bad provider entry never stops the others: each
 * problem is named by file, line:column for JSON, provider id and field, all of them at once. A
 * file that cannot be used at all lists no provider: the demo is never a stand-in for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderKind } from '../../shared/provider-kinds';
import { defaultConfig } from './defaults';
import { checkEntry, listed, type EntryVerdict, type Refused } from './entries';
import { readDotEnvFiles } from './env';
import { describeIssues, pathText } from './issues';
import { jsonFaultPosition } from './json-position';
import { expandProvider, fieldLocation, referenceRules, type ReferenceRules } from './references';
import { configFileTopSchema, type ProviderConfig } from './schema';

export interface ResolvedProvider {
  config: ProviderConfig;
  /** Plain-language problems; a provider with any cannot sign in. */
  problems: string[];
}

/** An entry with a usable id and kind but something wrong: listed, refusing to sign in. */
export interface UnusableProvider {
  id: string;
  kind: ProviderKind;
  displayName?: string;
  /** What is wrong, field by field ("isuer: is not a known key; did you mean "issuer"?"). */
  problems: string[];
  /** Its place among the listed providers (`providers` and these), as in the file. */
  position: number;
}

export interface LoadedConfig {
  path: string;
  exists: boolean;
  providers: ResolvedProvider[];
  unusable: UnusableProvider[];
  signInTimeoutMs: number;
  httpTimeoutMs: number;
  refreshConcurrency: number;
  /** Every problem, one a line, each starting with the file; set when anything was bad. */
  error: { file: string; message: string } | null;
}

export interface LoadConfigOptions {
  configDir: string;
  env?: Record<string, string | undefined>;
  /** A packaged build (Electron's app.isPackaged): no demo provider unless the file lists one. */
  packaged?: boolean;
}

export const CONFIG_FILE_NAME = 'providers.json';

export function resolveConfigPath(configDir: string, env: Record<string, string | undefined>) {
  return env.GATEHOUSE_CONFIG
    ? path.resolve(env.GATEHOUSE_CONFIG)
    : path.join(configDir, CONFIG_FILE_NAME);
}

export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const processEnv = options.env ?? process.env;
  const file = resolveConfigPath(options.configDir, processEnv);
  let dotEnv: Record<string, string>;
  try {
    // Only beside the configuration: a .env in the working directory is anyone's to plant.
    dotEnv = readDotEnvFiles([path.join(path.dirname(file), '.env')]);
  } catch (error) {
    // A malformed .env line (named as file:line) is a configuration error like a bad JSON file.
    return failed(file, existsSync(file), (error as Error).message);
  }
  // The real environment wins over .env, as with every dotenv loader.
  const env = { ...dotEnv, ...processEnv };

  const read = readConfigFile(file, options.packaged ?? false);
  if ('fault' in read) return failed(file, true, read.fault);
  const { raw, exists } = read;
  const top = configFileTopSchema.safeParse(raw);
  // Around the providers (not an object, no providers array, a bad setting): the whole file.
  if (!top.success) {
    const known = Object.keys(configFileTopSchema.shape);
    const problems = describeIssues(top.error.issues, raw, known);
    const message = lines(
      file,
      problems.map((p) => `${pathText(p.path)}: ${p.message}`),
    );
    return failed(file, exists, message);
  }
  const where = exists ? path.basename(file) : '.env';
  const entries = resolveEntries(
    top.data.providers,
    referenceRules(top.data.env, top.data.providers),
    env,
    where,
  );
  const error = entries.lines.length ? { file, message: lines(file, entries.lines) } : null;
  return { ...build(file, exists, top.data, entries.providers, error), unusable: entries.unusable };
}

interface Entries {
  providers: ResolvedProvider[];
  unusable: UnusableProvider[];
  /** The file error's lines, "location: problem". */
  lines: string[];
}

function resolveEntries(
  list: unknown[],
  rules: ReferenceRules,
  env: Record<string, string | undefined>,
  where: string,
): Entries {
  const out: Entries = { providers: [], unusable: [], lines: [] };
  const firstIndex = new Map<string, number>();
  for (const [index, entry] of list.entries()) {
    const id = (entry as { id?: unknown } | null)?.id;
    const first = typeof id === 'string' ? firstIndex.get(id) : undefined;
    if (first !== undefined) {
      const location = fieldLocation(index, id, ['id']);
      out.lines.push(
        `${location}: is used twice (first by providers[${first}]); give each provider its own id`,
      );
      continue;
    }
    if (typeof id === 'string') firstIndex.set(id, index);
    const verdict = resolveEntry(checkEntry(entry, rules), env, where);
    if (verdict.verdict === 'valid') out.providers.push(verdict.resolved);
    else record(out, index, id, verdict);
  }
  return out;
}

type Resolved = Refused | { verdict: 'valid'; resolved: ResolvedProvider };

/** A valid entry's variables filled in; unset ones are problems on the provider, as before. */
function resolveEntry(
  verdict: EntryVerdict,
  env: Record<string, string | undefined>,
  where: string,
): Resolved {
  if (verdict.verdict !== 'valid') return verdict;
  const { config, missing, error } = expandProvider(verdict.config, env);
  if (error) return listed(verdict.config, error);
  const problems = missing.map(
    (name) => `${name} is not set in ${where === '.env' ? '.env' : `.env or ${where}`}`,
  );
  return { verdict: 'valid', resolved: { config, problems } };
}

function record(out: Entries, index: number, id: unknown, verdict: Refused) {
  out.lines.push(
    ...verdict.problems.map((p) => `${fieldLocation(index, id, p.path)}: ${p.message}`),
  );
  if (verdict.verdict !== 'listed') return;
  const { problems, verdict: _, ...named } = verdict;
  out.unusable.push({
    ...named,
    problems: problems.map((p) =>
      p.path.length ? `${pathText(p.path)}: ${p.message}` : p.message,
    ),
    position: out.providers.length + out.unusable.length,
  });
}

/** One problem a line, each naming the file, as a compiler does. */
function lines(file: string, problems: string[]): string {
  return problems.map((problem) => `${file}: ${problem}`).join('\n');
}

/** The parsed file, the default configuration when there is none, or why it cannot be read. */
function readConfigFile(
  file: string,
  packaged: boolean,
): { raw: unknown; exists: boolean } | { fault: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { raw: defaultConfig({ packaged }), exists: false };
    return { fault: `${file}: cannot be read (${code ?? 'unknown error'})` };
  }
  try {
    return { raw: JSON.parse(text), exists: true };
  } catch (error) {
    const { message } = error as Error;
    const at = jsonFaultPosition(text, message);
    // V8 may quote the text around the fault, which can be a secret written into the file.
    const reason = message
      .replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')
      .replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?$/, '');
    return { fault: `${file}${at ? `:${at.line}:${at.column}` : ''}: not valid JSON (${reason})` };
  }
}

/** A broken file lists no provider at all: the demo is never a silent stand-in for it. */
function failed(file: string, exists: boolean, message: string): LoadedConfig {
  return { ...build(file, exists, {}, [], { file, message }), unusable: [] };
}

/** The file's settings beside its providers. */
interface Settings {
  signInTimeoutSeconds?: number | undefined;
  httpTimeoutSeconds?: number | undefined;
  refreshConcurrency?: number | undefined;
}

function build(
  file: string,
  exists: boolean,
  data: Settings,
  providers: ResolvedProvider[],
  error: LoadedConfig['error'],
): Omit<LoadedConfig, 'unusable'> {
  return {
    path: file,
    exists,
    providers,
    signInTimeoutMs: (data.signInTimeoutSeconds ?? 300) * 1000,
    httpTimeoutMs: (data.httpTimeoutSeconds ?? 10) * 1000,
    refreshConcurrency: data.refreshConcurrency ?? 4,
    error,
  };
}
