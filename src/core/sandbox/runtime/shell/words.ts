// The word-level lexer of the simulated shell: quotes, escapes, $VAR, ${...}, $(...), `...`, $((...)).
// The grammar (parser.ts) extends it and supplies the nested command lists.
import type { List, Word, WordPart } from './ast.js';
import { ShellSyntaxError } from './ast.js';

export const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

export abstract class WordLexer {
  constructor(
    protected readonly src: string,
    public pos: number,
  ) {}

  /** Parses the command list of a $( ... ) starting at pos; returns it with the position after ")". */
  protected abstract commandSubstitution(from: number): { body: List; end: number };
  /** Parses a whole nested script (backquotes). */
  protected abstract nestedScript(text: string): List;
  protected abstract expansionsOnly(text: string): Word;

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** The next token, as shells quote it in "unexpected ..." messages. */
  peekText(): string {
    const c = this.src[this.pos] ?? '';
    if (c === '' || c === '\n') return c === '' ? 'end of file' : 'newline';
    if (META.has(c)) return /^(;;|&&|\|\||>>|<<)/.exec(this.src.slice(this.pos))?.[0] ?? c;
    let end = this.pos;
    while (end < this.src.length && !META.has(this.src[end])) end++;
    return this.src.slice(this.pos, end);
  }

  protected ch(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  skipWs(): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') this.pos += 2;
      else if (c === '#') {
        while (!this.eof() && this.ch() !== '\n') this.pos++;
      } else return;
    }
  }

  protected readRegexWord(): Word {
    const start = this.pos;
    let depth = 0;
    let text = '';
    while (!this.eof()) {
      const c = this.ch();
      if ((c === ' ' || c === '\t' || c === '\n') && depth === 0) break;
      if (c === '\\') {
        text += c + this.ch(1);
        this.pos += 2;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') depth--;
      text += c;
      this.pos++;
    }
    return { parts: [{ t: 'lit', v: text, q: true }], raw: this.src.slice(start, this.pos) };
  }

  readWord(): Word | undefined {
    const start = this.pos;
    const w = this.readParts((c) => META.has(c), 'word');
    if (this.pos === start) return undefined;
    w.raw = this.src.slice(start, this.pos);
    return w;
  }

  /** Reads word parts until stop(char) is true outside quotes. */
  readParts(stop: (c: string) => boolean, mode: 'word' | 'dq' | 'brace' | 'heredoc'): Word {
    const parts: WordPart[] = [];
    const start = this.pos;
    const q = mode === 'dq';
    let lit = '';
    let litQuoted = q;
    const flush = (): void => {
      if (lit) parts.push({ t: 'lit', v: lit, q: litQuoted });
      lit = '';
    };
    const addLit = (s: string, quoted: boolean): void => {
      if (lit && litQuoted !== quoted) flush();
      litQuoted = quoted;
      lit += s;
    };
    let braceDepth = 0;
    while (!this.eof()) {
      const c = this.ch();
      if (mode === 'brace') {
        if (c === '{') braceDepth++;
        if (c === '}' && braceDepth-- === 0) break;
      } else if (stop(c)) break;
      if (c === '\\') {
        const n = this.ch(1);
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (mode === 'word' || mode === 'brace' || '$`"\\'.includes(n)) {
          if (mode === 'heredoc' && n === '"') addLit('\\', q);
          addLit(n, true);
          this.pos += 2;
        } else {
          addLit('\\', q);
          this.pos++;
        }
        continue;
      }
      if (c === "'" && (mode === 'word' || mode === 'brace')) {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        if (end === this.pos + 1) {
          flush();
          parts.push({ t: 'lit', v: '', q: true });
        } else addLit(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && (mode === 'word' || mode === 'brace')) {
        this.pos++;
        flush();
        const inner = this.readParts((ch) => ch === '"', 'dq');
        if (this.ch() !== '"') throw new ShellSyntaxError('syntax error: unterminated quoted string');
        this.pos++;
        parts.push(...(inner.parts.length ? inner.parts : [{ t: 'lit' as const, v: '', q: true }]));
        continue;
      }
      if (c === '$') {
        const part = this.parseDollar(q);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
        addLit('$', q);
        this.pos++;
        continue;
      }
      if (c === '`') {
        flush();
        parts.push(this.parseBackquote(q));
        continue;
      }
      if (c === '~' && this.pos === start && mode === 'word' && (META.has(this.ch(1)) || this.ch(1) === '/' || this.ch(1) === '')) {
        flush();
        parts.push({ t: 'param', name: 'HOME', q: true });
        this.pos++;
        continue;
      }
      addLit(c, q);
      this.pos++;
    }
    flush();
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  private parseBackquote(q: boolean): WordPart {
    let i = this.pos + 1;
    let inner = '';
    while (i < this.src.length && this.src[i] !== '`') {
      if (this.src[i] === '\\' && '`$\\'.includes(this.src[i + 1] ?? '')) {
        inner += this.src[i + 1];
        i += 2;
      } else inner += this.src[i++];
    }
    if (i >= this.src.length) throw new ShellSyntaxError('syntax error: unterminated backquote');
    this.pos = i + 1;
    return { t: 'cmd', body: this.nestedScript(inner), q };
  }

  private parseDollar(q: boolean): WordPart | undefined {
    const n = this.ch(1);
    if (n === '(' && this.ch(2) === '(') {
      const end = findArithEnd(this.src, this.pos + 3);
      const expr = this.expansionsOnly(this.src.slice(this.pos + 3, end));
      this.pos = end + 2;
      return { t: 'arith', expr, q };
    }
    if (n === '(') {
      const { body, end } = this.commandSubstitution(this.pos + 2);
      this.pos = end;
      return { t: 'cmd', body, q };
    }
    if (n === '{') return this.parseBraceParam(q);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!\-])/.exec(this.src.slice(this.pos + 1, this.pos + 200));
    if (!m) return undefined;
    this.pos += 1 + m[1].length;
    return { t: 'param', name: m[1], q };
  }

  private parseBraceParam(q: boolean): WordPart {
    this.pos += 2;
    let length = false;
    if (this.ch() === '#' && this.ch(1) !== '}') {
      length = true;
      this.pos++;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?|[0-9]+|[?$#@*!\-])/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) throw new ShellSyntaxError(`syntax error: bad substitution`);
    this.pos += m[1].length;
    const name = m[1].replace(/\[(@|\*)\]$/, '');
    if (length) {
      this.expectChar('}');
      return { t: 'param', name, op: 'len', q };
    }
    if (this.ch() === '}') {
      this.pos++;
      return { t: 'param', name, q };
    }
    const opMatch = /^(:-|:=|:\+|:\?|##|%%|\/\/|[-=+?#%\/:^,])/.exec(this.src.slice(this.pos, this.pos + 2));
    if (!opMatch) throw new ShellSyntaxError(`syntax error: bad substitution`);
    const op = opMatch[1];
    this.pos += op.length;
    if (op === '/' || op === '//') {
      const pat = this.readParts((c) => c === '/' || c === '}', 'word');
      let rep: Word = { parts: [], raw: '' };
      if (this.ch() === '/') {
        this.pos++;
        rep = this.readParts(() => false, 'brace');
      }
      this.expectChar('}');
      return { t: 'param', name, op, arg: pat, arg2: rep, q };
    }
    const arg = this.readParts(() => false, 'brace');
    this.expectChar('}');
    return { t: 'param', name, op, arg, q };
  }

  private expectChar(c: string): void {
    if (this.ch() !== c) throw new ShellSyntaxError(`syntax error: bad substitution (missing "${c}")`);
    this.pos++;
  }
}

export function findArithEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    if (src[i] === '(') depth++;
    else if (src[i] === ')') {
      if (depth === 0 && src[i + 1] === ')') return i;
      depth--;
    }
  }
  throw new ShellSyntaxError('syntax error: missing "))"');
}

export function markQuoted(w: Word): Word {
  return { raw: w.raw, parts: w.parts.map((p) => ({ ...p, q: true })) };
}

