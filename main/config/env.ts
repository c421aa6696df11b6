/**
 * .env reading (node:util parseEnv) and "${NAME}" substitution. A missing variable is not fatal:
 * it becomes a configuration problem on the provider that needs it ("WEBEX_CLIENT_ID is not set
 * in .env"). "${NAME?}" marks an optional variable, which becomes an absent value.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { GatehouseError } from '../ports/errors';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * parseEnv merges a line without "=" into the next key ("oops\nA=1" gives the key "oops\nA"),
 * so any key that is not a variable name is refused, naming the line it starts on.
 */
export function parseDotEnv(text: string, file = '.env'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (!NAME.test(key))
      throw new GatehouseError(
        'config_invalid',
        `${file}:${lineOf(text, key)}: "${firstLine(key)}" is not a NAME=value line`,
      );
    out[key] = value ?? '';
  }
  return out;
}

/** The 1-based line where parseEnv's key `key` starts (0 if it cannot be found). */
function lineOf(text: string, key: string): number {
  const start = firstLine(key).trim();
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((raw) => {
    const line = raw.trim().replace(/^export\s+/, '');
    return key.includes('\n') ? line === start : line.startsWith(start) && line.includes('=');
  });
  return index + 1;
}

const firstLine = (key: string) => key.split(/\r?\n/)[0] ?? '';

/** Later files win. An absent or unreadable file is skipped; a malformed one throws. */
export function readDotEnvFiles(paths: string[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // An absent .env is normal.
      continue;
    }
    Object.assign(merged, parseDotEnv(text, path));
  }
  return merged;
}

export interface Substituted<T> {
  value: T;
  missing: string[];
}

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(\?)?\}$/;

/** Replaces whole-string "${NAME}" values (deeply) from env; lists the names that are unset. */
export function substituteEnv<T>(
  input: T,
  env: Record<string, string | undefined>,
): Substituted<T> {
  const missing: string[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const ref = REFERENCE.exec(node);
      if (!ref) return node;
      const found = env[ref[1]!];
      if (found !== undefined && found !== '') return found;
      if (!ref[2]) missing.push(ref[1]!);
      return ref[2] ? undefined : '';
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        const next = walk(value);
        if (next !== undefined) out[key] = next;
      }
      return out;
    }
    return node;
  };
  return { value: walk(input) as T, missing };
}
