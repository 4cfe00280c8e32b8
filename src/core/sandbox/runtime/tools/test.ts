// test / [ : file, string and integer tests with POSIX exit statuses (0 true, 1 false, 2 error).
import type { Vfs } from '../vfs.js';
import { normalizePath } from '../vfs.js';

export function testExpression(args: string[], fs: Vfs, cwd: string): number {
  let pos = 0;
  const peek = (): string | undefined => args[pos];
  const fileTest = (op: string, path: string): boolean => {
    const st = fs.stat(normalizePath(cwd, path));
    switch (op) {
      case '-e': case '-a': return !!st;
      case '-f': return st?.type === 'file';
      case '-d': return st?.type === 'dir';
      case '-s': return !!st && st.size > 0;
      case '-r': case '-w': return !!st;
      case '-x': return !!st && (st.type === 'dir' || (st.mode & 0o111) !== 0);
      case '-L': case '-h': case '-p': case '-S': case '-b': case '-c': return false;
    }
    return false;
  };
  const int = (s: string): number => {
    if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`${s}: bad number`);
    return Number(s);
  };
  function primary(): boolean {
    const a = args[pos++];
    if (a === undefined) return false;
    if (a === '!') return !primary();
    if (a === '(') {
      const v = or();
      pos++;
      return v;
    }
    const op = peek();
    if (op !== undefined && pos + 1 <= args.length - 1 && /^(=|==|!=|<|>|-eq|-ne|-lt|-le|-gt|-ge)$/.test(op)) {
      pos++;
      const b = args[pos++];
      switch (op) {
        case '=': case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '>': return a > b;
        case '-eq': return int(a) === int(b);
        case '-ne': return int(a) !== int(b);
        case '-lt': return int(a) < int(b);
        case '-le': return int(a) <= int(b);
        case '-gt': return int(a) > int(b);
        case '-ge': return int(a) >= int(b);
      }
    }
    if (a === '-n' && op !== undefined) return args[pos++] !== '';
    if (a === '-z' && op !== undefined) return args[pos++] === '';
    if (/^-[eafdsrwxLhpSbc]$/.test(a) && op !== undefined) return fileTest(a, args[pos++]);
    return a !== '';
  }
  function and(): boolean {
    let v = primary();
    while (peek() === '-a') {
      pos++;
      const b = primary();
      v = v && b;
    }
    return v;
  }
  function or(): boolean {
    let v = and();
    while (peek() === '-o') {
      pos++;
      const b = and();
      v = v || b;
    }
    return v;
  }
  try {
    if (!args.length) return 1;
    return or() ? 0 : 1;
  } catch {
    return 2;
  }
}
