/**
 * .env reading (node:util parseEnv) and the "${NAME}" reference syntax. Where references are
 * expanded, and which names, is references.ts's rule.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { GatehouseError } from '../ports/errors';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * parseEnv merges a line without "=" into the next key ("oops\nA=1" gives the key "oops\nA"),
 * so any key that is not a variable name is refused, naming the line it starts on. The line's
 * text is never quoted: a mistyped `SECRET value` or a pasted token would reach the window.
 */
export function parseDotEnv(text: string, file = '.env'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (!NAME.test(key))
      throw new GatehouseError(
        'config_invalid',
        `${file}:${lineOf(text, key)}: not a NAME=value line (its text is not shown: it may hold a secret)`,
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

export interface Reference {
  name: string;
  /** "${NAME?}": an unset variable leaves the field out instead of being a problem. */
  optional: boolean;
}

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(\?)?\}$/;

/** A whole-string "${NAME}" or "${NAME?}" value; anything else (even "x${NAME}") is literal. */
export function parseReference(value: unknown): Reference | null {
  const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return match ? { name: match[1]!, optional: Boolean(match[2]) } : null;
}
