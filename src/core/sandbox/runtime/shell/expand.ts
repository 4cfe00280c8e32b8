// Word expansion in POSIX order: parameters, command substitution and arithmetic, then field
// splitting of unquoted results, then pathname expansion.
import type { List, Word, WordPart } from './ast.js';
import { evaluateArith, ArithError } from './arith.js';
import { escapeGlob, globMatch, hasGlob, removeAffix, replacePattern } from './pattern.js';
import { ShellError, type ShellState } from './state.js';
import type { Vfs } from '../vfs.js';
import { normalizePath } from '../vfs.js';

export interface ExpandHost {
  state: ShellState;
  fs: Vfs;
  pid: number;
  /** bash expands {a,b} and {1..5}; POSIX sh does not. */
  readonly braceExpansion?: boolean;
  /** Runs a command substitution and returns its output (trailing newlines are stripped here). */
  capture(body: List): Promise<string>;
}

interface Field {
  text: string;
  pattern: string;
  glob: boolean;
}

export async function expandWords(host: ExpandHost, words: Word[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of host.braceExpansion ? words.flatMap(braceExpand) : words) out.push(...(await expandWord(host, w)));
  return out;
}

/** bash brace expansion within one unquoted literal part: pre{a,b}post, {1..5}, {a..e}, {10..0..2}. */
export function braceExpand(word: Word): Word[] {
  for (let i = 0; i < word.parts.length; i++) {
    const part = word.parts[i];
    if (part.t !== 'lit' || part.q) continue;
    const m = /\{([^{}]*)\}/.exec(part.v);
    if (!m) continue;
    const inner = m[1];
    let items: string[] | undefined;
    const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner);
    if (range) {
      const numeric = /\d/.test(range[1]);
      const a = numeric ? Number(range[1]) : range[1].charCodeAt(0);
      const b = numeric ? Number(range[2]) : range[2].charCodeAt(0);
      const step = Math.abs(Number(range[3] ?? 1)) || 1;
      items = [];
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) items.push(numeric ? String(v) : String.fromCharCode(v));
    } else if (inner.includes(',')) items = inner.split(',');
    if (!items) continue;
    const before = part.v.slice(0, m.index);
    const after = part.v.slice(m.index + m[0].length);
    return items.flatMap((item) => braceExpand({ raw: word.raw, parts: [...word.parts.slice(0, i), { t: 'lit', v: before + item + after, q: false }, ...word.parts.slice(i + 1)] }));
  }
  return [word];
}

/** Expansion with field splitting and globbing (command words, for-lists). */
export async function expandWord(host: ExpandHost, word: Word): Promise<string[]> {
  const fields: Field[] = [];
  let cur: Field | undefined;
  const ifs = host.state.get('IFS') ?? ' \t\n';
  const start = (): Field => (cur ??= { text: '', pattern: '', glob: false });
  const quoted = (s: string): void => {
    const f = start();
    f.text += s;
    f.pattern += escapeGlob(s);
  };
  const splittable = (s: string): void => {
    if (!ifs) return quoted(s);
    let i = 0;
    while (i < s.length) {
      if (ifs.includes(s[i])) {
        if (cur) fields.push(cur);
        cur = undefined;
        while (i < s.length && ifs.includes(s[i]) && /\s/.test(s[i])) i++;
        if (i < s.length && ifs.includes(s[i]) && !/\s/.test(s[i])) i++;
        continue;
      }
      const f = start();
      f.text += s[i];
      f.pattern += s[i];
      if ('*?['.includes(s[i])) f.glob = true;
      i++;
    }
  };
  for (const part of word.parts) {
    if (part.t === 'lit') {
      if (part.q) quoted(part.v);
      else {
        const f = start();
        f.text += part.v;
        f.pattern += part.v;
        if (/[*?[]/.test(part.v)) f.glob = true;
      }
      continue;
    }
    if (part.t === 'param' && (part.name === '@' || part.name === '*') && !part.op) {
      const args = host.state.positional;
      if (part.q && part.name === '@') {
        args.forEach((a, i) => {
          if (i > 0) {
            fields.push(start());
            cur = undefined;
          }
          quoted(a);
        });
        continue;
      }
      if (part.q) quoted(args.join(ifs[0] ?? ''));
      else
        args.forEach((a, i) => {
          if (i > 0 && cur) {
            fields.push(cur);
            cur = undefined;
          }
          splittable(a);
        });
      continue;
    }
    const value = await expandPart(host, part);
    if (part.q) quoted(value);
    else splittable(value);
  }
  if (cur) fields.push(cur);
  const out: string[] = [];
  for (const f of fields) {
    if (f.glob && !host.state.options.noglob && hasGlob(f.pattern)) {
      const matches = glob(host, f.pattern);
      if (matches.length) {
        out.push(...matches);
        continue;
      }
    }
    out.push(f.text);
  }
  return out;
}

/** Expansion without splitting or globbing (assignments, redirection targets, case words). */
export async function expandString(host: ExpandHost, word: Word): Promise<string> {
  let s = '';
  for (const part of word.parts) s += part.t === 'lit' ? part.v : await expandPart(host, part);
  return s;
}

/** Expansion to a glob pattern: quoted text is escaped so it matches literally. */
export async function expandPattern(host: ExpandHost, word: Word): Promise<string> {
  let s = '';
  for (const part of word.parts) {
    const v = part.t === 'lit' ? part.v : await expandPart(host, part);
    s += part.q ? escapeGlob(v) : v;
  }
  return s;
}

function special(host: ExpandHost, name: string): string | undefined {
  const st = host.state;
  switch (name) {
    case '?': return String(st.status);
    case '$': return String(host.pid);
    case '#': return String(st.positional.length);
    case '@':
    case '*': return st.positional.join(' ');
    case '!': return st.lastBg ? String(st.lastBg) : '';
    case '-': return (st.options.errexit ? 'e' : '') + (st.options.xtrace ? 'x' : '') + (st.options.nounset ? 'u' : '');
    case '0': return st.arg0;
    case 'RANDOM': return st.get('RANDOM') ?? String(Math.floor(Math.random() * 32768));
    case 'PPID': return st.get('PPID') ?? '0';
  }
  if (/^\d+$/.test(name)) return st.positional[Number(name) - 1];
  const arr = /^(\w+)\[(\d+)\]$/.exec(name);
  if (arr && arr[2] === '0') return st.get(`${arr[1]}[0]`) ?? st.get(arr[1]);
  return st.get(name);
}

async function expandPart(host: ExpandHost, part: Exclude<WordPart, { t: 'lit' }>): Promise<string> {
  if (part.t === 'cmd') return (await host.capture(part.body)).replace(/\n+$/, '');
  if (part.t === 'arith') {
    const text = await expandString(host, part.expr);
    try {
      return String(evaluateArith(text, host.state));
    } catch (e) {
      throw new ShellError(e instanceof ArithError ? e.message : String(e), 2);
    }
  }
  const value = special(host, part.name);
  const op = part.op;
  const arg = async (): Promise<string> => (part.arg ? expandString(host, part.arg) : '');
  switch (op) {
    case undefined:
      if (value === undefined && host.state.options.nounset && !/^[@*]$/.test(part.name)) throw new ShellError(`${part.name}: parameter not set`, 2);
      return value ?? '';
    case 'len':
      return String((value ?? '').length);
    case ':-':
    case '-':
      return (op === ':-' ? !value : value === undefined) ? arg() : (value ?? '');
    case ':=':
    case '=':
      if (op === ':=' ? !value : value === undefined) {
        const v = await arg();
        host.state.set(part.name, v);
        return v;
      }
      return value ?? '';
    case ':+':
    case '+':
      return (op === ':+' ? value : value !== undefined) ? arg() : '';
    case ':?':
    case '?':
      if (op === ':?' ? !value : value === undefined) {
        const msg = await arg();
        throw new ShellError(`${part.name}: ${msg || (value === undefined ? 'parameter not set' : 'parameter null or not set')}`, 1);
      }
      return value ?? '';
    case '#':
    case '##':
    case '%':
    case '%%':
      return removeAffix(value ?? '', part.arg ? await expandPattern(host, part.arg) : '', op);
    case '/':
    case '//':
      return replacePattern(value ?? '', part.arg ? await expandPattern(host, part.arg) : '', part.arg2 ? await expandString(host, part.arg2) : '', op === '//');
    case ':': {
      const [offText, lenText] = (await arg()).split(':');
      const v = value ?? '';
      let off = Number(evaluateArith(offText || '0', host.state));
      if (off < 0) off = Math.max(0, v.length + off);
      if (lenText === undefined) return v.slice(off);
      const len = Number(evaluateArith(lenText, host.state));
      return len < 0 ? v.slice(off, v.length + len) : v.slice(off, off + len);
    }
    case '^':
      return value ? value[0].toUpperCase() + value.slice(1) : '';
    case ',':
      return value ? value[0].toLowerCase() + value.slice(1) : '';
  }
  return value ?? '';
}

function glob(host: ExpandHost, pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter(Boolean);
  let paths: string[] = [absolute ? '/' : ''];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of paths) {
      const dir = normalizePath(host.state.cwd, base || '.');
      if (!hasGlob(seg)) {
        const candidate = base ? (base.endsWith('/') ? base + unescape(seg) : `${base}/${unescape(seg)}`) : unescape(seg);
        if (host.fs.exists(normalizePath(host.state.cwd, candidate))) next.push(candidate);
        continue;
      }
      if (!host.fs.isDir(dir)) continue;
      for (const name of host.fs.readdir(dir)) {
        if (name.startsWith('.') && !seg.startsWith('.')) continue;
        if (globMatch(seg, name)) next.push(base ? (base.endsWith('/') ? base + name : `${base}/${name}`) : name);
      }
    }
    paths = next;
  }
  return paths.sort();
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
