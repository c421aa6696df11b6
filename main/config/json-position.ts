/**
 * Where a JSON text stops being JSON, as line:column, for "providers.json:3:14: not valid JSON".
 * V8 names the offset ("in JSON at position 7") for most faults but not for an unexpected token,
 * whose message quotes the text around it instead (which may be a secret, so it is never shown):
 * then a small scan of the grammar (RFC 8259) finds the offset itself.
 */

export interface TextPosition {
  line: number;
  column: number;
}

/** The fault's line and column (both from 1), or null when the text turns out to parse. */
export function jsonFaultPosition(text: string, message: string): TextPosition | null {
  const stated = /at position (\d+)/.exec(message);
  const offset = stated ? Number(stated[1]) : firstFault(text);
  return offset === null ? null : positionOf(text, offset);
}

export function positionOf(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.min(offset, text.length));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The offset of the first character that is not JSON (text.length at an early end), or null. */
export function firstFault(text: string): number | null {
  const scan = new Scanner(text);
  try {
    scan.space();
    scan.value();
    scan.space();
    if (scan.at < text.length) throw new Fault(scan.at);
    return null;
  } catch (error) {
    if (error instanceof Fault) return error.at;
    throw error;
  }
}

class Fault {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  space() {
    while (' \t\n\r'.includes(this.text[this.at] ?? '.')) this.at++;
  }

  value(): void {
    const c = this.text[this.at];
    if (c === '{') return this.list('}', () => this.member());
    if (c === '[') return this.list(']', () => this.value());
    if (c === '"') return this.string();
    const literal = LITERALS.find((word) => word[0] === c);
    if (literal) return this.literal(literal);
    NUMBER.lastIndex = this.at;
    if (!NUMBER.test(this.text)) throw new Fault(this.at);
    this.at = NUMBER.lastIndex;
  }

  /** "nope" fails at its "o", where it stops being "null", as V8 says. */
  literal(word: string) {
    for (const letter of word) {
      if (this.text[this.at] !== letter) throw new Fault(this.at);
      this.at++;
    }
  }

  member() {
    if (this.text[this.at] !== '"') throw new Fault(this.at);
    this.string();
    this.space();
    this.expect(':');
    this.space();
    this.value();
  }

  /** An object or array: items separated by commas, no trailing comma. */
  list(close: string, item: () => void) {
    this.at++;
    this.space();
    if (this.text[this.at] === close) return void this.at++;
    for (;;) {
      item();
      this.space();
      if (this.text[this.at] === close) return void this.at++;
      this.expect(',');
      this.space();
    }
  }

  string() {
    this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined || c < ' ') throw new Fault(this.at);
      this.at++;
      if (c === '"') return;
      if (c === '\\') this.escape();
    }
  }

  escape() {
    const c = this.text[this.at] ?? '';
    if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 1, this.at + 5)))
      this.at += 5;
    else if (c !== '' && '"\\/bfnrt'.includes(c)) this.at++;
    else throw new Fault(this.at);
  }

  expect(c: string) {
    if (this.text[this.at] !== c) throw new Fault(this.at);
    this.at++;
  }
}
