/**
 * $BROWSER as xdg-open and Python's webbrowser read it: commands separated by the path
 * delimiter, tried in order; each split into words as shlex does (quotes, backslashes), with no
 * shell; "%s" in an argument is replaced by the URL, otherwise the URL is appended.
 */
import path from 'node:path';

/** The commands $BROWSER lists, in order; empty entries are skipped. */
export function browserEntries(
  value: string | undefined,
  delimiter: string = path.delimiter,
): string[] {
  return (value ?? '').split(delimiter).filter((entry) => entry.trim() !== '');
}

export interface SplitOptions {
  /** Off on Windows, where a backslash separates folders (`C:\Program Files\...`). */
  backslashEscapes?: boolean;
}

/**
 * Splits a command line into words the way Python's shlex.split does (POSIX mode): single
 * quotes keep everything, double quotes let a backslash escape only `"` and `\`, and outside
 * quotes a backslash escapes any character. Throws a SyntaxError on an unclosed quote.
 */
export function splitWords(text: string, options: SplitOptions = {}): string[] {
  const escapes = options.backslashEscapes ?? true;
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (escapes && c === '\\' && (next === '"' || next === '\\')) word += text[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (escapes && c === '\\') {
        if (next === undefined) throw new SyntaxError('the command ends with a backslash');
        word += text[++i];
      } else word += c;
    }
  }
  if (quote) throw new SyntaxError(`a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (inWord) words.push(word);
  return words;
}

/** The argv to run: `%s` in an argument becomes the URL; without one, the URL comes last. */
export function withUrl(words: readonly string[], url: string): string[] {
  const [program, ...args] = words;
  if (program === undefined) throw new SyntaxError('the command is empty');
  // split/join, not replaceAll: a replacement string would give `$&` and `$1` a meaning.
  if (args.some((arg) => arg.includes('%s')))
    return [program, ...args.map((arg) => arg.split('%s').join(url))];
  return [program, ...args, url];
}
