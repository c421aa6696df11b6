/**
 * Loads the provider configuration: the file named by GATEHOUSE_CONFIG or the app's config
 * directory, with "${NAME}" values from the environment and .env. A bad file never stops the
 * app: the error names the file and the field, and only the demo provider stays available.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from './defaults';
import { readDotEnvFiles, substituteEnv } from './env';
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
  /** Extra .env files to read (the app's working directory in development). */
  extraDotEnv?: string[];
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
    dotEnv = readDotEnvFiles([
      ...(options.extraDotEnv ?? []),
      path.join(path.dirname(file), '.env'),
    ]);
  } catch (error) {
    // A malformed .env line (named as file:line) is a configuration error like a bad JSON file.
    return fallback(file, existsSync(file), (error as Error).message);
  }
  // The real environment wins over .env, as with every dotenv loader.
  const env = { ...dotEnv, ...processEnv };

  let raw: unknown = DEFAULT_CONFIG;
  let exists = false;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
    exists = true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      const message =
        error instanceof SyntaxError
          ? `not valid JSON (${error.message})`
          : `cannot be read (${code ?? 'unknown error'})`;
      return fallback(file, true, `${file}: ${message}`);
    }
  }

  const shape = configFileSchema.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue ? formatPath(issue.path) : '(file)';
    return fallback(file, exists, `${file}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const [i, provider] of shape.data.providers.entries()) {
    if (ids.has(provider.id))
      return fallback(file, exists, `${file}: providers[${i}].id: "${provider.id}" is used twice`);
    ids.add(provider.id);
  }

  const providers = shape.data.providers.map((provider): ResolvedProvider => {
    const { value, missing } = substituteEnv(provider, env);
    const where = exists ? path.basename(file) : '.env';
    const problems = missing.map(
      (name) => `${name} is not set in ${where === '.env' ? '.env' : `.env or ${where}`}`,
    );
    return { config: value, problems };
  });
  return build(file, exists, shape.data, providers, null);
}

function fallback(file: string, exists: boolean, message: string): LoadedConfig {
  const demo = DEFAULT_CONFIG.providers.filter((p) => p.kind === 'demo');
  return build(
    file,
    exists,
    { providers: demo },
    demo.map((config) => ({ config, problems: [] })),
    {
      file,
      message,
    },
  );
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

function formatPath(parts: PropertyKey[]): string {
  return parts.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  );
}
