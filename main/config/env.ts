/**
 * .env reading and "${NAME}" substitution. A missing variable is not fatal: it becomes a
 * configuration problem on the provider that needs it ("WEBEX_CLIENT_ID is not set in .env").
 * "${NAME?}" marks an optional variable, which becomes an absent value.
 */
import { readFileSync } from 'node:fs';

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quoted = /^(['"])(.*?)\1(\s+#.*)?$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    out[match[1]!] = value;
  }
  return out;
}

export function readDotEnvFiles(paths: string[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const path of paths) {
    try {
      Object.assign(merged, parseDotEnv(readFileSync(path, 'utf8')));
    } catch {
      // An absent .env is normal.
    }
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
