// Text filters. Each reads line by line where it can, so `tail -f log | grep x` streams.
import type { Program, ProgramContext } from '../shell/system.js';
import type { InputStream } from '../shell/io.js';
import { err, inputs, out, parseArgs, readText } from './util.js';

/** Basic regular expressions (grep, sed) to JavaScript: \( \) \{ \} \| are the groups, bare ones literal. */
export function breToRegex(bre: string): string {
  let re = '';
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i];
    if (c === '\\' && i + 1 < bre.length) {
      const n = bre[++i];
      re += '(){}|+?'.includes(n) ? n : '\\' + n;
    } else if ('(){}|+?'.includes(c)) re += '\\' + c;
    else re += c;
  }
  return re;
}

async function* lines(ctx: ProgramContext, stream: InputStream): AsyncGenerator<string> {
  for (;;) {
    const line = await ctx.proc.race(stream.readLine());
    if (line === null) return;
    yield line;
  }
}

const grep: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-e', '-m', '-A', '-B', '-C']);
  const pattern = flags.get('-e') ?? rest.shift();
  if (pattern === undefined) {
    await err(ctx, 'Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n');
    return 2;
  }
  const extended = flags.has('-E') || ctx.argv[0].endsWith('egrep');
  const fixed = flags.has('-F');
  let src = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : extended ? pattern : breToRegex(pattern);
  if (flags.has('-w')) src = `\\b(?:${src})\\b`;
  if (flags.has('-x')) src = `^(?:${src})$`;
  const re = new RegExp(src, flags.has('-i') ? 'i' : '');
  const invert = flags.has('-v');
  const max = flags.has('-m') ? Number(flags.get('-m')) : Infinity;
  let matched = false;
  let status = 1;
  const multi = rest.length > 1;
  for await (const { name, stream } of inputs(ctx, rest, async (f, e) => {
    status = 2;
    if (!flags.has('-s')) await err(ctx, `grep: ${f}: ${e.message}\n`);
  })) {
    let count = 0;
    let n = 0;
    for await (const line of lines(ctx, stream)) {
      n++;
      if (re.test(line) === invert) continue;
      count++;
      matched = true;
      if (flags.has('-q')) return 0;
      if (flags.has('-l')) break;
      if (!flags.has('-c')) {
        const prefix = (multi && !flags.has('-h') ? `${name}:` : '') + (flags.has('-n') ? `${n}:` : '');
        if (flags.has('-o') && !invert) {
          for (const m of line.matchAll(new RegExp(src, flags.has('-i') ? 'gi' : 'g'))) await out(ctx, prefix + m[0] + '\n');
        } else await out(ctx, prefix + line + '\n');
      }
      if (count >= max) break;
    }
    if (flags.has('-c')) await out(ctx, (multi ? `${name}:` : '') + count + '\n');
    if (flags.has('-l') && count) await out(ctx, name === '-' ? '(standard input)\n' : name + '\n');
  }
  return status === 2 && !matched ? 2 : matched ? 0 : 1;
};

interface SedCommand {
  addr?: RegExp | number | '$';
  cmd: string;
  re?: RegExp;
  replacement?: string;
  global?: boolean;
  print?: boolean;
  text?: string;
}

function parseSed(script: string, extended: boolean): SedCommand[] {
  const cmds: SedCommand[] = [];
  for (const part of script.split(/;|\n/).map((s) => s.trim()).filter(Boolean)) {
    let s = part;
    let addr: SedCommand['addr'];
    const num = /^(\d+|\$)/.exec(s);
    if (num) {
      addr = num[1] === '$' ? '$' : Number(num[1]);
      s = s.slice(num[1].length);
    } else if (s.startsWith('/')) {
      const end = s.indexOf('/', 1);
      addr = new RegExp(extended ? s.slice(1, end) : breToRegex(s.slice(1, end)));
      s = s.slice(end + 1);
    }
    const cmd = s[0];
    if (cmd === 's') {
      const d = s[1];
      const fields: string[] = [];
      let cur = '';
      for (let i = 2; i < s.length; i++) {
        if (s[i] === '\\' && s[i + 1] === d) {
          cur += d;
          i++;
        } else if (s[i] === d) {
          fields.push(cur);
          cur = '';
        } else cur += s[i];
      }
      fields.push(cur);
      const [pat, rep, fl = ''] = fields;
      const replacement = rep.replace(/\\(\d)/g, '$$$1').replace(/(^|[^\\])&/g, '$1$$&').replace(/\\&/g, '&').replace(/\\n/g, '\n');
      cmds.push({ addr, cmd, re: new RegExp(extended ? pat : breToRegex(pat), (fl.includes('g') ? 'g' : '') + (fl.includes('I') || fl.includes('i') ? 'i' : '')), replacement, print: fl.includes('p') });
    } else cmds.push({ addr, cmd, text: s.slice(1).replace(/^\\?\s*/, '') });
  }
  return cmds;
}

const sed: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-e', '-i']);
  const inPlace = flags.has('-i') || ctx.argv.some((a) => a.startsWith('-i'));
  const script = flags.get('-e') || (flags.has('-e') ? '' : rest.shift()) || (flags.get('-i') && !flags.has('-e') ? '' : '');
  if (!script) {
    await err(ctx, 'sed: no script specified\n');
    return 1;
  }
  let cmds: SedCommand[];
  try {
    cmds = parseSed(script, flags.has('-E') || flags.has('-r'));
  } catch {
    await err(ctx, `sed: bad command '${script}'\n`);
    return 1;
  }
  const quiet = flags.has('-n');
  const apply = (line: string, n: number, last: boolean): string[] => {
    const outLines: string[] = [];
    let cur = line;
    let deleted = false;
    for (const c of cmds) {
      if (c.addr !== undefined) {
        const hit = c.addr === '$' ? last : typeof c.addr === 'number' ? n === c.addr : c.addr.test(cur);
        if (!hit) continue;
      }
      if (c.cmd === 's' && c.re) {
        const next = cur.replace(c.re, c.replacement ?? '');
        if (next !== cur || c.re.test(cur)) {
          cur = next;
          if (c.print) outLines.push(cur);
        }
      } else if (c.cmd === 'd') {
        deleted = true;
        break;
      } else if (c.cmd === 'p') outLines.push(cur);
      else if (c.cmd === 'q') {
        outLines.push(cur);
        return [...outLines, '\u0000quit'];
      }
    }
    if (!deleted && !quiet) outLines.push(cur);
    return outLines;
  };
  if (inPlace) {
    for (const f of rest) {
      const path = f.startsWith('/') ? f : `${ctx.cwd}/${f}`;
      const text = ctx.sys.fs.readText(path);
      const ls = text.split('\n');
      if (ls[ls.length - 1] === '') ls.pop();
      const result = ls.flatMap((l, i) => apply(l, i + 1, i === ls.length - 1)).filter((l) => l !== '\u0000quit');
      ctx.sys.fs.writeFile(path, result.map((l) => l + '\n').join(''));
    }
    return 0;
  }
  let n = 0;
  for await (const { stream } of inputs(ctx, rest, async (f, e) => void (await err(ctx, `sed: ${f}: ${e.message}\n`)))) {
    for await (const line of lines(ctx, stream)) {
      const res = apply(line, ++n, false);
      for (const l of res) {
        if (l === '\u0000quit') return 0;
        await out(ctx, l + '\n');
      }
    }
  }
  return 0;
};

/** awk: enough for `{print $1}`, `-F:`, `NR==2`, `/re/ {print}`, NF and $NF. */
const awk: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-F', '-v']);
  const program = rest.shift() ?? '';
  const fs = flags.get('-F');
  const m = /^\s*(?:(BEGIN|END)|\/(.*)\/|(NR\s*[=<>!]=?\s*\d+))?\s*(?:\{(.*)\})?\s*$/s.exec(program);
  if (!m) {
    await err(ctx, `awk: cmd. line:1: syntax error in '${program}' (the sandbox's awk prints fields only)\n`);
    return 2;
  }
  const [, special, re, nrCond, action = 'print $0'] = m;
  let nr = 0;
  const run = async (fields: string[], line: string): Promise<void> => {
    for (const stmt of action.split(';').map((s) => s.trim()).filter(Boolean)) {
      const pm = /^print(?:f)?\s*(.*)$/.exec(stmt);
      if (!pm) continue;
      const args = pm[1].trim() ? pm[1].split(/\s*,\s*/) : ['$0'];
      const vals = args.map((a) =>
        a
          .split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/)
          .map((tok) => {
            if (/^".*"$/.test(tok)) return tok.slice(1, -1).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
            if (tok === 'NR') return String(nr);
            if (tok === 'NF') return String(fields.length);
            const f = /^\$(NF|\d+)$/.exec(tok);
            if (f) return f[1] === 'NF' ? (fields[fields.length - 1] ?? '') : f[1] === '0' ? line : (fields[Number(f[1]) - 1] ?? '');
            return tok;
          })
          .join(''),
      );
      await out(ctx, vals.join(' ') + '\n');
    }
  };
  if (special === 'BEGIN') {
    await run([], '');
    return 0;
  }
  const regex = re !== undefined ? new RegExp(re) : undefined;
  for await (const { stream } of inputs(ctx, rest, async (f, e) => void (await err(ctx, `awk: cannot open "${f}" (${e.message})\n`)))) {
    for await (const line of lines(ctx, stream)) {
      nr++;
      if (special === 'END') continue;
      if (regex && !regex.test(line)) continue;
      if (nrCond) {
        const c = /NR\s*([=<>!]=?)\s*(\d+)/.exec(nrCond);
        const v = Number(c?.[2]);
        const op = c?.[1];
        const ok = op === '==' || op === '=' ? nr === v : op === '!=' ? nr !== v : op === '<' ? nr < v : op === '<=' ? nr <= v : op === '>' ? nr > v : nr >= v;
        if (!ok) continue;
      }
      const fields = fs ? line.split(fs === '\\t' ? '\t' : fs) : line.trim().split(/\s+/).filter(Boolean);
      await run(fields, line);
    }
  }
  return 0;
};

const sort: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-k', '-t']);
  const all: string[] = [];
  for await (const { stream } of inputs(ctx, rest, async (f, e) => void (await err(ctx, `sort: ${f}: ${e.message}\n`)))) {
    const text = await readText(stream, ctx);
    all.push(...text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''));
  }
  const key = (l: string): string => {
    const k = flags.get('-k');
    if (!k) return l;
    const idx = Number(k.split(',')[0]) - 1;
    const sep = flags.get('-t');
    return (sep ? l.split(sep) : l.trim().split(/\s+/))[idx] ?? '';
  };
  const numeric = flags.has('-n') || flags.has('-h');
  all.sort((a, b) => (numeric ? parseFloat(key(a)) - parseFloat(key(b)) || (key(a) < key(b) ? -1 : 1) : key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (flags.has('-r')) all.reverse();
  const result = flags.has('-u') ? all.filter((l, i) => i === 0 || l !== all[i - 1]) : all;
  if (result.length) await out(ctx, result.join('\n') + '\n');
  return 0;
};

const uniq: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  let prev: string | undefined;
  let count = 0;
  const emit = async (): Promise<void> => {
    if (prev === undefined) return;
    if (flags.has('-d') && count < 2) return;
    if (flags.has('-u') && count > 1) return;
    await out(ctx, (flags.has('-c') ? `${String(count).padStart(7)} ` : '') + prev + '\n');
  };
  for await (const { stream } of inputs(ctx, rest.slice(0, 1), async (f, e) => void (await err(ctx, `uniq: ${f}: ${e.message}\n`)))) {
    for await (const line of lines(ctx, stream)) {
      if (line === prev) count++;
      else {
        await emit();
        prev = line;
        count = 1;
      }
    }
  }
  await emit();
  return 0;
};

function expandSet(s: string): string {
  const classes: Record<string, string> = { '[:upper:]': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '[:lower:]': 'abcdefghijklmnopqrstuvwxyz', '[:digit:]': '0123456789', '[:space:]': ' \t\n\r\v\f' };
  for (const [k, v] of Object.entries(classes)) s = s.split(k).join(v);
  s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return s.replace(/(.)-(.)/g, (_m, a: string, b: string) => {
    let r = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) r += String.fromCharCode(c);
    return r;
  });
}

const tr: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const from = expandSet(rest[0] ?? '');
  const to = expandSet(rest[1] ?? '');
  for (;;) {
    const chunk = await ctx.proc.race(ctx.stdin.read());
    if (chunk === null) return 0;
    let text = new TextDecoder().decode(chunk);
    if (flags.has('-d')) text = [...text].filter((c) => !from.includes(c)).join('');
    else {
      text = [...text].map((c) => (from.includes(c) ? (to[Math.min(from.indexOf(c), to.length - 1)] ?? c) : c)).join('');
      if (flags.has('-s')) text = text.replace(new RegExp(`([${(to || from).replace(/[\]\\^-]/g, '\\$&')}])\\1+`, 'g'), '$1');
    }
    await out(ctx, text);
  }
};

const cut: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-d', '-f', '-c']);
  const spec = flags.get('-f') ?? flags.get('-c') ?? '';
  const ranges = spec.split(',').map((r) => {
    const [a, b] = r.split('-');
    return [a ? Number(a) : 1, r.includes('-') ? (b ? Number(b) : Infinity) : Number(a)] as const;
  });
  const pick = <T>(items: T[]): T[] => items.filter((_x, i) => ranges.some(([a, b]) => i + 1 >= a && i + 1 <= b));
  const delim = flags.get('-d') ?? '\t';
  for await (const { stream } of inputs(ctx, rest, async (f, e) => void (await err(ctx, `cut: ${f}: ${e.message}\n`)))) {
    for await (const line of lines(ctx, stream)) {
      if (flags.has('-c')) await out(ctx, pick([...line]).join('') + '\n');
      else if (!line.includes(delim)) await out(ctx, flags.has('-s') ? '' : line + '\n');
      else await out(ctx, pick(line.split(delim)).join(delim) + '\n');
    }
  }
  return 0;
};

const xargs: Program = async (ctx) => {
  const cmd = ctx.argv.slice(1).length ? ctx.argv.slice(1) : ['echo'];
  const words = (await readText(ctx.stdin, ctx)).split(/\s+/).filter(Boolean);
  const program = ctx.sys.findProgram(cmd[0]);
  if (!program) {
    await err(ctx, `xargs: ${cmd[0]}: No such file or directory\n`);
    return 127;
  }
  return program({ ...ctx, argv: [...cmd, ...words] });
};

export const textTools: Record<string, Program> = { grep, egrep: grep, sed, awk, sort, uniq, tr, cut, xargs };
