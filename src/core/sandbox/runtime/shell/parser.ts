// A recursive-descent parser for the POSIX shell language (plus the bash bits images' scripts use:
// [[ ]], (( )), `function`). Lexing happens inside the parser because what a character means depends
// on where it is (quotes, ${...}, $(...), case patterns, here-documents).
import { type Assign, type Command, type CondExpr, type List, type Pipeline, type AndOr, type Redir, type Word, type WordPart, ShellSyntaxError } from './ast.js';
import { META, WordLexer, findArithEnd, markQuoted } from './words.js';

const OPS = ['&&', '||', ';;', '<<<', '<<-', '<<', '>>', '>&', '<&', '>|', '<>', '&>', '|', ';', '&', '<', '>', '(', ')', '\n'];
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!', '[[', ']]', 'function']);
const REDIR_OPS = new Set(['<<<', '<<-', '<<', '>>', '>&', '<&', '>|', '<>', '&>', '<', '>']);

interface PendingHeredoc {
  redir: Redir;
  delim: string;
  quoted: boolean;
}

export function parseScript(src: string): List {
  const p = new Parser(src, 0);
  const list = p.parseList([]);
  p.skipWsNl();
  if (!p.eof()) throw new ShellSyntaxError(`syntax error: unexpected "${p.peekText()}"`);
  return list;
}

/** Parses the text of a here-document or an arithmetic expression: expansions only, quotes stay. */
export function parseExpansionsOnly(text: string): Word {
  const p = new Parser(text, 0);
  return p.readParts(() => false, 'heredoc');
}

class Parser extends WordLexer {
  private pending: PendingHeredoc[] = [];

  protected commandSubstitution(from: number): { body: List; end: number } {
    const sub = new Parser(this.src, from);
    const body = sub.parseList([]);
    sub.skipWsNl();
    if (sub.ch() !== ')') throw new ShellSyntaxError('syntax error: missing ")" of $(...)');
    return { body, end: sub.pos + 1 };
  }

  protected nestedScript(text: string): List {
    return parseScript(text);
  }

  protected expansionsOnly(text: string): Word {
    return parseExpansionsOnly(text);
  }



  skipWsNl(): void {
    for (;;) {
      this.skipWs();
      if (this.ch() !== '\n') return;
      this.consumeNewline();
    }
  }

  private consumeNewline(): void {
    this.pos++;
    const pending = this.pending;
    this.pending = [];
    for (const h of pending) this.readHeredoc(h);
  }

  private readHeredoc(h: PendingHeredoc): void {
    const lines: string[] = [];
    while (!this.eof()) {
      let end = this.src.indexOf('\n', this.pos);
      if (end < 0) end = this.src.length;
      let line = this.src.slice(this.pos, end);
      this.pos = Math.min(end + 1, this.src.length);
      if (h.redir.stripTabs) line = line.replace(/^\t+/, '');
      if (line === h.delim) break;
      lines.push(line + '\n');
    }
    const text = lines.join('');
    h.redir.heredoc = h.quoted ? { parts: [{ t: 'lit', v: text, q: true }], raw: text } : markQuoted(parseExpansionsOnly(text));
  }

  private atOp(): string | undefined {
    for (const op of OPS) if (this.src.startsWith(op, this.pos)) return op;
    return undefined;
  }

  private peekReserved(): string | undefined {
    let i = this.pos;
    while (i < this.src.length && /[A-Za-z{}!\[\]]/.test(this.src[i])) i++;
    const w = this.src.slice(this.pos, i);
    const next = this.src[i] ?? '';
    if (RESERVED.has(w) && (next === '' || META.has(next))) return w;
    return undefined;
  }

  private expectReserved(w: string): void {
    this.skipWsNl();
    if (this.peekReserved() !== w) throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}" (expecting "${w}")`);
    this.pos += w.length;
  }

  parseList(stopWords: string[]): List {
    const list: List = { items: [] };
    for (;;) {
      this.skipWsNl();
      if (this.eof()) break;
      const r = this.peekReserved();
      if (r && stopWords.includes(r)) break;
      const op = this.atOp();
      if (op === ')' || op === ';;') break;
      if (op && op !== '(' && !REDIR_OPS.has(op)) throw new ShellSyntaxError(`syntax error: unexpected "${op === '\n' ? 'newline' : op}"`);
      const ao = this.parseAndOr();
      this.skipWs();
      const sep = this.atOp();
      if (sep === ';' || sep === '&') {
        this.pos++;
        list.items.push({ ao, bg: sep === '&' });
      } else if (sep === '\n') {
        this.consumeNewline();
        list.items.push({ ao, bg: false });
      } else {
        list.items.push({ ao, bg: false });
        break;
      }
    }
    return list;
  }

  private parseAndOr(): AndOr {
    const ao: AndOr = { first: this.parsePipeline(), rest: [] };
    for (;;) {
      this.skipWs();
      const op = this.atOp();
      if (op !== '&&' && op !== '||') return ao;
      this.pos += 2;
      this.skipWsNl();
      ao.rest.push({ op, p: this.parsePipeline() });
    }
  }

  private parsePipeline(): Pipeline {
    this.skipWs();
    let negate = false;
    if (this.peekReserved() === '!') {
      negate = true;
      this.pos++;
      this.skipWs();
    }
    const cmds = [this.parseCommand()];
    for (;;) {
      this.skipWs();
      if (this.atOp() !== '|') return { negate, cmds };
      this.pos++;
      this.skipWsNl();
      cmds.push(this.parseCommand());
    }
  }

  private parseCommand(): Command {
    this.skipWs();
    const r = this.peekReserved();
    let cmd: Command;
    if (r === 'if') cmd = this.parseIf();
    else if (r === 'while' || r === 'until') {
      this.pos += r.length;
      const cond = this.parseList(['do']);
      this.expectReserved('do');
      const body = this.parseList(['done']);
      this.expectReserved('done');
      cmd = { t: 'loop', until: r === 'until', cond, body, redirs: [] };
    } else if (r === 'for') cmd = this.parseFor();
    else if (r === 'case') cmd = this.parseCase();
    else if (r === '{') {
      this.pos++;
      const body = this.parseList(['}']);
      this.expectReserved('}');
      cmd = { t: 'group', body, subshell: false, redirs: [] };
    } else if (r === '[[') {
      this.pos += 2;
      const expr = this.parseCondOr();
      this.skipWs();
      if (!this.src.startsWith(']]', this.pos)) throw new ShellSyntaxError('syntax error: expected "]]"');
      this.pos += 2;
      cmd = { t: 'cond', expr, redirs: [] };
    } else if (r === 'function') {
      this.pos += r.length;
      this.skipWs();
      const name = this.readWord()?.raw ?? '';
      this.skipWs();
      if (this.src.startsWith('()', this.pos)) this.pos += 2;
      this.skipWsNl();
      return { t: 'func', name, body: this.parseCommand(), redirs: [] };
    } else if (this.src.startsWith('((', this.pos)) {
      const end = findArithEnd(this.src, this.pos + 2);
      cmd = { t: 'arithcmd', expr: parseExpansionsOnly(this.src.slice(this.pos + 2, end)), redirs: [] };
      this.pos = end + 2;
    } else if (this.atOp() === '(') {
      this.pos++;
      const body = this.parseList([]);
      this.skipWsNl();
      if (this.ch() !== ')') throw new ShellSyntaxError('syntax error: missing ")"');
      this.pos++;
      cmd = { t: 'group', body, subshell: true, redirs: [] };
    } else if (r && r !== '!' && r !== '{' && r !== '[[') {
      throw new ShellSyntaxError(`syntax error: unexpected "${r}"`);
    } else {
      return this.parseSimple();
    }
    for (;;) {
      this.skipWs();
      const redir = this.tryRedir();
      if (!redir) return cmd;
      cmd.redirs.push(redir);
    }
  }

  private parseIf(): Command {
    this.pos += 2;
    const clauses: { cond: List; body: List }[] = [];
    let otherwise: List | undefined;
    for (;;) {
      const cond = this.parseList(['then']);
      this.expectReserved('then');
      const body = this.parseList(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      this.skipWsNl();
      const r = this.peekReserved();
      if (r === 'elif') {
        this.pos += 4;
        continue;
      }
      if (r === 'else') {
        this.pos += 4;
        otherwise = this.parseList(['fi']);
      }
      this.expectReserved('fi');
      return { t: 'if', clauses, otherwise, redirs: [] };
    }
  }

  private parseFor(): Command {
    this.pos += 3;
    this.skipWs();
    const name = this.readWord()?.raw ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ShellSyntaxError(`syntax error: bad for loop variable`);
    this.skipWsNl();
    let items: Word[] | undefined;
    if (this.peekReserved() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipWs();
        const op = this.atOp();
        if (op === ';' || op === '\n') {
          this.pos++;
          if (op === '\n') this.pending = [];
          break;
        }
        const w = this.readWord();
        if (!w) break;
        items.push(w);
      }
    } else if (this.ch() === ';') this.pos++;
    this.expectReserved('do');
    const body = this.parseList(['done']);
    this.expectReserved('done');
    return { t: 'for', name, items, body, redirs: [] };
  }

  private parseCase(): Command {
    this.pos += 4;
    this.skipWs();
    const word = this.readWord();
    if (!word) throw new ShellSyntaxError('syntax error: case without word');
    this.expectReserved('in');
    const items: { patterns: Word[]; body: List }[] = [];
    for (;;) {
      this.skipWsNl();
      if (this.peekReserved() === 'esac') {
        this.pos += 4;
        return { t: 'case', word, items, redirs: [] };
      }
      if (this.ch() === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipWs();
        const w = this.readWord();
        if (!w) throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}" in case pattern`);
        patterns.push(w);
        this.skipWs();
        if (this.ch() === '|') this.pos++;
        else if (this.ch() === ')') {
          this.pos++;
          break;
        } else throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}" in case pattern`);
      }
      const body = this.parseList(['esac']);
      items.push({ patterns, body });
      this.skipWsNl();
      if (this.src.startsWith(';;', this.pos)) this.pos += 2;
    }
  }

  private parseCondOr(): CondExpr {
    let a = this.parseCondAnd();
    for (;;) {
      this.skipWs();
      if (!this.src.startsWith('||', this.pos)) return a;
      this.pos += 2;
      a = { t: 'or', a, b: this.parseCondAnd() };
    }
  }

  private parseCondAnd(): CondExpr {
    let a = this.parseCondNot();
    for (;;) {
      this.skipWs();
      if (!this.src.startsWith('&&', this.pos)) return a;
      this.pos += 2;
      a = { t: 'and', a, b: this.parseCondNot() };
    }
  }

  private parseCondNot(): CondExpr {
    this.skipWs();
    if (this.ch() === '!' && META.has(this.ch(1))) {
      this.pos++;
      return { t: 'not', a: this.parseCondNot() };
    }
    if (this.ch() === '(') {
      this.pos++;
      const e = this.parseCondOr();
      this.skipWs();
      if (this.ch() === ')') this.pos++;
      return e;
    }
    const first = this.readWord();
    if (!first) throw new ShellSyntaxError(`syntax error in conditional expression near "${this.peekText()}"`);
    if (/^-[a-zA-Z]$/.test(first.raw)) {
      this.skipWs();
      const operand = this.readWord();
      if (operand) return { t: 'unary', op: first.raw, a: operand };
    }
    this.skipWs();
    let op: string | undefined;
    if (this.ch() === '<' || this.ch() === '>') op = this.src[this.pos++];
    else if (!this.src.startsWith(']]', this.pos) && !this.src.startsWith('&&', this.pos) && !this.src.startsWith('||', this.pos) && this.ch() !== ')') {
      const save = this.pos;
      const w = this.readWord();
      if (w && /^(==?|!=|=~|-(eq|ne|lt|le|gt|ge|nt|ot|ef))$/.test(w.raw)) op = w.raw;
      else this.pos = save;
    }
    if (!op) return { t: 'word', a: first };
    this.skipWs();
    const b = op === '=~' ? this.readRegexWord() : this.readWord();
    if (!b) throw new ShellSyntaxError(`syntax error: missing operand after "${op}"`);
    return { t: 'binary', op, a: first, b };
  }

  private parseSimple(): Command {
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.skipWs();
      const redir = this.tryRedir();
      if (redir) {
        redirs.push(redir);
        continue;
      }
      const op = this.atOp();
      if (op || this.eof()) {
        if (op === '(' && words.length === 1 && !assigns.length && this.src.startsWith('()', this.pos)) {
          this.pos += 2;
          this.skipWsNl();
          return { t: 'func', name: words[0].raw, body: this.parseCommand(), redirs: [] };
        }
        break;
      }
      const w = this.readWord();
      if (!w) break;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(w.raw);
      if (!words.length && m && w.parts[0]?.t === 'lit' && !w.parts[0].q && w.parts[0].v.startsWith(m[0])) {
        const first = w.parts[0];
        const rest: WordPart[] = [{ ...first, v: first.v.slice(m[0].length) }, ...w.parts.slice(1)];
        assigns.push({ name: m[1], append: m[2] === '+', value: { parts: rest, raw: w.raw.slice(m[0].length) } });
      } else words.push(w);
    }
    if (!words.length && !assigns.length && !redirs.length) throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}"`);
    return { t: 'simple', assigns, words, redirs };
  }

  private tryRedir(): Redir | undefined {
    const save = this.pos;
    let fd: number | undefined;
    const m = /^(\d+)(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 4));
    if (m) {
      fd = Number(m[1]);
      this.pos += m[1].length;
    }
    const op = this.atOp();
    if (!op || !REDIR_OPS.has(op)) {
      this.pos = save;
      return undefined;
    }
    this.pos += op.length;
    this.skipWs();
    const target = this.readWord();
    if (!target) throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}" after "${op}"`);
    const defaultFd = op.startsWith('<') && op !== '<>' ? 0 : 1;
    if (op === '<<' || op === '<<-') {
      const redir: Redir = { fd: fd ?? 0, op: '<<', target, stripTabs: op === '<<-' };
      const quoted = /['"\\]/.test(target.raw);
      this.pending.push({ redir, delim: target.raw.replace(/['"\\]/g, ''), quoted });
      return redir;
    }
    return { fd: fd ?? defaultFd, op: op as Redir['op'], target };
  }

}
