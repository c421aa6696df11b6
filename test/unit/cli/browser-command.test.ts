/**
 * $BROWSER's parts (main/cli/browser-command.ts): the list, the word splitter (Python's
 * shlex.split in POSIX mode is the reference; each expectation below is what it returns), and
 * where the URL goes.
 */
import { describe, expect, it } from 'vitest';
import { browserEntries, splitWords, withUrl } from '../../../main/cli/browser-command';

const URL = 'http://127.0.0.1:5000/signin?n=abc';

describe('splitWords', () => {
  it.each([
    ['firefox', ['firefox']],
    ['firefox --new-window', ['firefox', '--new-window']],
    ['  firefox \t --new-window\n', ['firefox', '--new-window']],
    ["'/opt/My Browser/bin' -p", ['/opt/My Browser/bin', '-p']],
    ['"/opt/My Browser/bin" -p', ['/opt/My Browser/bin', '-p']],
    ['/opt/My\\ Browser/bin -p', ['/opt/My Browser/bin', '-p']],
    ['a"b c"d', ['ab cd']],
    ["it''s", ['its']],
    ["'it'\\''s'", ["it's"]],
    ['"say \\"hi\\" \\\\ \\n"', ['say "hi" \\ \\n']],
    ['\'no \\escapes "here"\'', ['no \\escapes "here"']],
    ['\\"quoted\\"', ['"quoted"']],
    ['\'\' x ""', ['', 'x', '']],
    ['--url=%s', ['--url=%s']],
    ['$HOME `id` ;rm -rf / | cat', ['$HOME', '`id`', ';rm', '-rf', '/', '|', 'cat']],
    ['', []],
    ['   ', []],
  ])('%j → %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it.each([
    ["'open", 'a single quote is not closed'],
    ['"open', 'a double quote is not closed'],
    ['"open \\"', 'a double quote is not closed'],
    ['trailing\\', 'the command ends with a backslash'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => splitWords(text)).toThrow(new SyntaxError(message));
  });

  it('without backslash escapes (Windows), a backslash is a folder separator', () => {
    expect(
      splitWords('"C:\\Program Files\\Browser\\browser.exe" C:\\x', { backslashEscapes: false }),
    ).toEqual(['C:\\Program Files\\Browser\\browser.exe', 'C:\\x']);
  });
});

describe('browserEntries', () => {
  it('splits on the delimiter, in order, skipping empty entries', () => {
    expect(browserEntries('a --x::b %s: ', ':')).toEqual(['a --x', 'b %s']);
    expect(browserEntries('a;b', ';')).toEqual(['a', 'b']);
    expect(browserEntries(undefined)).toEqual([]);
    expect(browserEntries('')).toEqual([]);
  });
});

describe('withUrl', () => {
  it('appends the URL when no argument has %s', () => {
    expect(withUrl(['firefox', '--new-window'], URL)).toEqual(['firefox', '--new-window', URL]);
    expect(withUrl(['firefox'], URL)).toEqual(['firefox', URL]);
  });

  it('replaces every %s in the arguments, and then does not append', () => {
    expect(withUrl(['b', '--url=%s', '%s'], URL)).toEqual(['b', `--url=${URL}`, URL]);
  });

  it('the URL is one word, taken literally ($& means nothing)', () => {
    const odd = 'http://127.0.0.1:1/signin?n=$&$1 x';
    expect(withUrl(['b', '%s'], odd)).toEqual(['b', odd]);
  });

  it('the program itself is never substituted, and an empty command is refused', () => {
    expect(withUrl(['%s'], URL)).toEqual(['%s', URL]);
    expect(() => withUrl([], URL)).toThrow(SyntaxError);
  });
});
