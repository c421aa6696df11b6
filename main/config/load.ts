/**
 * Loads the provider configuration: the file named by GATEHOUSE_CONFIG or the app's config
 * directory, with "${NAME}" values (references.ts) from the environment and the .env beside that
 * file. A bad file never stops the app: the error names the file and the field, and no provider
 * stands in for the ones it meant to configure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig } from './defaults';
import { readDotEnvFiles } from './env';
import { checkReferences, expandProvider, fieldLocation } from './references';
import { configFileSchema, type ConfigFile, type ProviderConfig } from './schema';

export interface ResolvedProvider {
  config: ProviderConfig;
  /** Plain-language problems; a provider with any cannot sign in. */
  problems: string[];
}

export interface LoadedConfig {
  path: string;
  exists: boolean;
  providers: ResolvedProvider[];
  signInTimeoutMs: number;
  httpTimeoutMs: number;
  refreshConcurrency: number;
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
  if (typeof read === 'string') return failed(file, true, `${file}: ${read}`);
  const { raw, exists } = read;
  const shape = configFileSchema.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue ? issueLocation(raw, issue.path) : '(file)';
    return failed(file, exists, `${file}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const refused = duplicateId(shape.data) ?? checkReferences(shape.data);
  if (refused) return failed(file, exists, `${file}: ${refused}`);

  const where = exists ? path.basename(file) : '.env';
  const providers: ResolvedProvider[] = [];
  for (const [index, provider] of shape.data.providers.entries()) {
    const { config, missing, error } = expandProvider(index, provider, env);
    if (error) return failed(file, exists, `${file}: ${error}`);
    const problems = missing.map(
      (name) => `${name} is not set in ${where === '.env' ? '.env' : `.env or ${where}`}`,
    );
    providers.push({ config, problems });
  }
  return build(file, exists, shape.data, providers, null);
}

/** The parsed file, the default configuration when there is none, or why it cannot be read. */
function readConfigFile(
  file: string,
  packaged: boolean,
): { raw: unknown; exists: boolean } | string {
  try {
    return { raw: JSON.parse(readFileSync(file, 'utf8')), exists: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { raw: defaultConfig({ packaged }), exists: false };
    // V8 may quote the text around the fault, which can be a secret written into the file.
    return error instanceof SyntaxError
      ? `not valid JSON (${error.message.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')})`
      : `cannot be read (${code ?? 'unknown error'})`;
  }
}

function duplicateId(data: ConfigFile): string | null {
  const ids = new Set<string>();
  for (const [i, provider] of data.providers.entries()) {
    if (ids.has(provider.id)) return `providers[${i}].id: "${provider.id}" is used twice`;
    ids.add(provider.id);
  }
  return null;
}

/** A broken file lists no provider at all: the demo is never a silent stand-in for it. */
function failed(file: string, exists: boolean, message: string): LoadedConfig {
  return build(file, exists, { providers: [] }, [], { file, message });
}

function build(
  file: string,
  exists: boolean,
  data: ConfigFile,
  providers: ResolvedProvider[],
  error: LoadedConfig['error'],
): LoadedConfig {
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

/** A schema issue's path; inside a provider it names the provider's id too, when it has one. */
function issueLocation(raw: unknown, parts: readonly PropertyKey[]): string {
  const [head, index, ...rest] = parts;
  if (head === 'providers' && typeof index === 'number') {
    const list = (raw as { providers?: unknown[] }).providers;
    const id = (list?.[index] as { id?: unknown } | undefined)?.id;
    return fieldLocation(index, id, rest);
  }
  return parts.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  );
}
