// File applets over the container's virtual filesystem, with busybox's messages.
import type { Program, ProgramContext } from '../shell/system.js';
import { decode } from '../shell/io.js';
import { FsError, normalizePath } from '../vfs.js';
import { strftime } from './format.js';
import { err, fsPath, inputs, out, parseArgs, readText } from './util.js';

const cat: Program = async (ctx) => {
  const { rest } = parseArgs(ctx.argv);
  let status = 0;
  for await (const { stream } of inputs(ctx, rest, async (f, e) => {
    status = 1;
    await err(ctx, `cat: can't open '${f}': ${e.message}\n`);
  })) {
    for (;;) {
      const chunk = await ctx.proc.race(stream.read());
      if (chunk === null) break;
      await ctx.stdout.write(chunk);
    }
  }
  return status;
};

function modeString(type: 'file' | 'dir', mode: number): string {
  const bits = 'rwxrwxrwx'.split('').map((c, i) => ((mode >> (8 - i)) & 1 ? c : '-')).join('');
  return (type === 'dir' ? 'd' : '-') + bits;
}

const ls: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const long = flags.has('-l');
  const all = flags.has('-a');
  const almost = flags.has('-A');
  const one = flags.has('-1') || long || !ctx.tty;
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const fs = ctx.sys.fs;
  const line = (name: string, path: string): string => {
    if (!long) return name;
    const st = fs.stat(path);
    if (!st) return name;
    const mtime = strftime('%b %e %H:%M', st.mtime);
    return `${modeString(st.type, st.mode)}    ${st.type === 'dir' ? 2 : 1} root     root     ${String(st.size).padStart(9)} ${mtime} ${name}`;
  };
  const blocks: string[] = [];
  for (const t of targets) {
    const path = fsPath(ctx, t);
    const st = fs.stat(path);
    if (!st) {
      await err(ctx, `ls: ${t}: No such file or directory\n`);
      status = 1;
      continue;
    }
    if (st.type === 'file' || flags.has('-d')) {
      blocks.push(line(t, path) + '\n');
      continue;
    }
    let names = fs.readdir(path).filter((n) => all || almost || !n.startsWith('.'));
    if (all) names = ['.', '..', ...names];
    const rows = names.map((n) => line(n, normalizePath(path, n)));
    const header = targets.length > 1 ? `${t}:\n` : '';
    const total = long ? `total ${names.length * 4}\n` : '';
    blocks.push(header + total + (rows.length ? (one ? rows.join('\n') : rows.join('  ')) + '\n' : ''));
  }
  await out(ctx, blocks.join(targets.length > 1 ? '\n' : ''));
  return status;
};

const mkdir: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-m']);
  let status = 0;
  for (const d of rest) {
    try {
      ctx.sys.fs.mkdir(fsPath(ctx, d), flags.has('-p'));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      await err(ctx, `mkdir: can't create directory '${d}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

const touch: Program = async (ctx) => {
  const { rest } = parseArgs(ctx.argv);
  let status = 0;
  for (const f of rest) {
    try {
      ctx.sys.fs.touch(fsPath(ctx, f));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      await err(ctx, `touch: ${f}: ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

const rm: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const recursive = flags.has('-r') || flags.has('-R');
  const force = flags.has('-f');
  let status = 0;
  for (const f of rest) {
    const path = fsPath(ctx, f);
    try {
      if (ctx.sys.fs.isDir(path) && !recursive) {
        await err(ctx, `rm: '${f}' is a directory\n`);
        status = 1;
        continue;
      }
      ctx.sys.fs.remove(path, recursive);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (force && e.code === 'ENOENT') continue;
      await err(ctx, `rm: can't remove '${f}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

const copyOrMove = (move: boolean): Program => async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const name = move ? 'mv' : 'cp';
  if (rest.length < 2) {
    await err(ctx, `${name}: missing destination file operand\n`);
    return 1;
  }
  const dest = fsPath(ctx, rest[rest.length - 1]);
  const sources = rest.slice(0, -1);
  const destIsDir = ctx.sys.fs.isDir(dest);
  let status = 0;
  for (const s of sources) {
    const src = fsPath(ctx, s);
    const target = destIsDir ? normalizePath(dest, src.split('/').pop() ?? '') : dest;
    try {
      if (!ctx.sys.fs.exists(src)) throw new FsError('ENOENT', s);
      if (!move && ctx.sys.fs.isDir(src) && !flags.has('-r') && !flags.has('-R') && !flags.has('-a')) {
        await err(ctx, `cp: omitting directory '${s}'\n`);
        status = 1;
        continue;
      }
      if (move) ctx.sys.fs.rename(src, target);
      else ctx.sys.fs.copyTree(src, target);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      await err(ctx, `${name}: can't stat '${s}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

async function headTail(ctx: ProgramContext, which: 'head' | 'tail'): Promise<number> {
  const argv = ctx.argv.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const { flags, rest } = parseArgs(argv, ['-n', '-c']);
  const nText = flags.get('-n') ?? '10';
  const fromStart = which === 'tail' && nText.startsWith('+');
  const n = Number(nText.replace(/^[+-]/, ''));
  let status = 0;
  const multi = rest.length > 1;
  let first = true;
  for await (const { name, stream } of inputs(ctx, rest, async (f, e) => {
    status = 1;
    await err(ctx, `${which}: can't open '${f}': ${e.message}\n`);
  })) {
    if (multi) await out(ctx, `${first ? '' : '\n'}==> ${name} <==\n`);
    first = false;
    if (which === 'head') {
      for (let i = 0; i < n; i++) {
        const line = await ctx.proc.race(stream.readLine());
        if (line === null) break;
        await out(ctx, line + '\n');
      }
      continue;
    }
    const text = await readText(stream, ctx);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const chosen = fromStart ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
    if (chosen.length) await out(ctx, chosen.join('\n') + '\n');
    if (flags.has('-f') && name !== '-') return follow(ctx, fsPath(ctx, name), text.length);
  }
  return status;
}

/** tail -f: polls the file once a second, as busybox does, printing what was appended. */
async function follow(ctx: ProgramContext, path: string, offset: number): Promise<number> {
  let seen = offset;
  for (;;) {
    await ctx.proc.sleep(1000);
    if (!ctx.sys.fs.exists(path)) continue;
    const text = decode(ctx.sys.fs.readFile(path));
    if (text.length < seen) seen = 0;
    if (text.length > seen) {
      await out(ctx, text.slice(seen));
      seen = text.length;
    }
  }
}

const wc: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const pick = ['-l', '-w', '-c', '-m'].filter((f) => flags.has(f));
  const show = pick.length ? pick : ['-l', '-w', '-c'];
  let status = 0;
  const totals = [0, 0, 0];
  let count = 0;
  for await (const { name, stream } of inputs(ctx, rest, async (f, e) => {
    status = 1;
    await err(ctx, `wc: can't open '${f}': ${e.message}\n`);
  })) {
    const bytes = await ctx.proc.race(stream.readAll());
    const text = decode(bytes);
    const nums = [(text.match(/\n/g) ?? []).length, text.split(/\s+/).filter(Boolean).length, bytes.length];
    nums.forEach((v, i) => (totals[i] += v));
    count++;
    await out(ctx, format(nums, name === '-' ? '' : name));
  }
  if (count > 1) await out(ctx, format(totals, 'total'));
  return status;
  function format(nums: number[], name: string): string {
    const cols = show.map((f) => nums[f === '-l' ? 0 : f === '-w' ? 1 : 2]);
    const single = cols.length === 1 && !name;
    return (single ? String(cols[0]) : cols.map((c) => String(c).padStart(show.length === 1 ? 0 : 7)).join(' ')) + (name ? ` ${name}` : '') + '\n';
  }
};

const tee: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv);
  const paths = rest.map((f) => fsPath(ctx, f));
  for (const p of paths) if (!flags.has('-a')) ctx.sys.fs.writeFile(p, '');
  for (;;) {
    const chunk = await ctx.proc.race(ctx.stdin.read());
    if (chunk === null) return 0;
    for (const p of paths) ctx.sys.fs.writeFile(p, chunk, { append: true });
    await ctx.stdout.write(chunk);
  }
};

export const fileTools: Record<string, Program> = {
  cat,
  ls,
  mkdir,
  touch,
  rm,
  rmdir: rm,
  cp: copyOrMove(false),
  mv: copyOrMove(true),
  head: (ctx) => headTail(ctx, 'head'),
  tail: (ctx) => headTail(ctx, 'tail'),
  wc,
  tee,
};
