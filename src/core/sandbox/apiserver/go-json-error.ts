// Go's encoding/json syntax errors for a body that is not JSON ("invalid character 'a' looking for
// beginning of value"), so a malformed request fails with kube-apiserver's words, not V8's.
// A small scanner that stops at the first byte Go's scanner would refuse.

export function goJsonSyntaxError(text: string): string {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value();
    scanner.skipSpace();
    if (scanner.pos < text.length) throw scanner.invalid('after top-level value');
    return 'unexpected end of JSON input';
  } catch (error) {
    if (error instanceof SyntaxMessage) return error.message;
    throw error;
  }
}

class SyntaxMessage extends Error {}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  invalid(context: string): SyntaxMessage {
    if (this.pos >= this.text.length) return new SyntaxMessage('unexpected end of JSON input');
    return new SyntaxMessage(`invalid character ${quoteChar(this.text[this.pos])} ${context}`);
  }

  value(): void {
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (c === literal[0]) {
        for (let i = 1; i < literal.length; i++) {
          this.pos++;
          if (this.text[this.pos] !== literal[i]) throw this.invalid(`in literal ${literal} (expecting ${quoteChar(literal[i])})`);
        }
        this.pos++;
        return;
      }
    }
    throw this.invalid('looking for beginning of value');
  }

  private object(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') return void this.pos++;
    for (;;) {
      if (this.text[this.pos] !== '"') throw this.invalid('looking for beginning of object key string');
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.invalid('after object key');
      this.pos++;
      this.skipSpace();
      this.value();
      this.skipSpace();
      if (this.text[this.pos] === '}') return void this.pos++;
      if (this.text[this.pos] !== ',') throw this.invalid('after object key:value pair');
      this.pos++;
      this.skipSpace();
    }
  }

  private array(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') return void this.pos++;
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.text[this.pos] === ']') return void this.pos++;
      if (this.text[this.pos] !== ',') throw this.invalid('after array element');
      this.pos++;
      this.skipSpace();
    }
  }

  private string(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') return void this.pos++;
      if (c < ' ') throw this.invalid('in string literal');
      if (c === '\\') {
        this.pos++;
        if (!'"\\/bfnrtu'.includes(this.text[this.pos] ?? '')) throw this.invalid('in string escape code');
      }
      this.pos++;
    }
    throw this.invalid('in string literal');
  }

  private number(): void {
    if (this.text[this.pos] === '-') this.pos++;
    const digits = () => {
      const start = this.pos;
      while (this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
      return this.pos > start;
    };
    if (this.text[this.pos] === '0') this.pos++;
    else if (!digits()) throw this.invalid('in numeric literal');
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (!digits()) throw this.invalid('after decimal point in numeric literal');
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (!digits()) throw this.invalid('in exponent of numeric literal');
    }
  }
}

/** Go's quoteChar: 'x', with ' and " escaped as Go prints them. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const quoted = JSON.stringify(c).slice(1, -1);
  return `'${quoted}'`;
}
