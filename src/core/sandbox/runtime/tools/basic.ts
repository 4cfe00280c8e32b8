// Everyday busybox applets: output, time, identity, processes.
import type { Program, ProgramContext } from '../shell/system.js';
import { signalNumber, signalName } from '../shell/process.js';
import { busyboxDate, formatBytesHuman, printfFormat, strftime } from './format.js';
import { testExpression } from './test.js';
import { err, out, parseArgs, toolName } from './util.js';

const echo: Program = async (ctx) => {
  let args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = printfFormat(text.replace(/%/g, '%%'), []);
  }
  await out(ctx, text + (newline ? '\n' : ''));
  return 0;
};

const sleep: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    await err(ctx, 'sleep: missing operand\n');
    return 1;
  }
  let ms = 0;
  for (const a of args) {
    if (a === 'infinity' || a === 'inf') ms = Number.MAX_SAFE_INTEGER;
    const m = /^(\d*\.?\d+)([smhd]?)$/.exec(a);
    if (!m && !/^inf/.test(a)) {
      await err(ctx, `sleep: invalid number '${a}'\n`);
      return 1;
    }
    if (m) ms += Number(m[1]) * ({ '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as Record<string, number>)[m[2]];
  }
  // Timers beyond 2^31 ms are not portable; sleeping a day at a time is indistinguishable.
  while (ms > 0) {
    const step = Math.min(ms, 86_400_000);
    await ctx.proc.sleep(step);
    ms -= step;
  }
  return 0;
};

const date: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-d', '-D', '-r']);
  let when = ctx.sys.clock.now();
  const d = flags.get('-d');
  if (d !== undefined) {
    const parsed = d.startsWith('@') ? new Date(Number(d.slice(1)) * 1000) : new Date(d.includes('Z') || /[+-]\d\d:?\d\d$/.test(d) ? d : d + 'Z');
    if (Number.isNaN(parsed.getTime())) {
      await err(ctx, `date: invalid date '${d}'\n`);
      return 1;
    }
    when = parsed;
  }
  const fmt = rest.find((a) => a.startsWith('+'));
  if (flags.has('-I')) await out(ctx, strftime('%Y-%m-%d', when) + '\n');
  else if (flags.has('-R')) await out(ctx, strftime('%a, %d %b %Y %H:%M:%S +0000', when) + '\n');
  else await out(ctx, (fmt ? strftime(fmt.slice(1), when) : busyboxDate(when)) + '\n');
  return 0;
};

const env: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const vars: Record<string, string> = { ...ctx.env };
  let i = 0;
  if (args[0] === '-i') {
    for (const k of Object.keys(vars)) delete vars[k];
    i++;
  }
  for (; i < args.length && /^[A-Za-z_]\w*=/.test(args[i]); i++) {
    const eq = args[i].indexOf('=');
    vars[args[i].slice(0, eq)] = args[i].slice(eq + 1);
  }
  if (i < args.length) {
    const program = ctx.sys.findProgram(args[i]);
    if (!program) {
      await err(ctx, `env: can't execute '${args[i]}': No such file or directory\n`);
      return 127;
    }
    return program({ ...ctx, argv: args.slice(i), env: vars });
  }
  await out(ctx, Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

const printenv: Program = async (ctx) => {
  const names = ctx.argv.slice(1);
  if (!names.length) return env({ ...ctx, argv: ['env'] });
  let status = 0;
  for (const n of names) {
    if (ctx.env[n] === undefined) status = 1;
    else await out(ctx, ctx.env[n] + '\n');
  }
  return status;
};

const uname: Program = async (ctx) => {
  const { flags } = parseArgs(ctx.argv);
  const kernel = '6.8.0-kubedesk';
  const parts: string[] = [];
  const all = flags.has('-a');
  if (all || flags.has('-s') || flags.size === 0) parts.push('Linux');
  if (all || flags.has('-n')) parts.push(ctx.sys.hostname);
  if (all || flags.has('-r')) parts.push(kernel);
  if (all || flags.has('-v')) parts.push('#1 SMP PREEMPT_DYNAMIC Mon Oct  6 12:00:00 UTC 2026');
  if (all || flags.has('-m')) parts.push('x86_64');
  if (all && ctx.sys.os !== 'busybox' && ctx.sys.os !== 'alpine') parts.push('GNU/Linux');
  if (all && (ctx.sys.os === 'busybox' || ctx.sys.os === 'alpine')) parts.push('GNU/Linux');
  await out(ctx, parts.join(' ') + '\n');
  return 0;
};

const ps: Program = async (ctx) => {
  // Let processes started just before (`sleep 9 & ps`) get going, as the scheduler would.
  await new Promise((r) => setImmediate(r));
  const busy = ctx.sys.os === 'busybox' || ctx.sys.os === 'alpine';
  const rows = [...ctx.sys.procs.procs.values()].sort((a, b) => a.pid - b.pid);
  if (busy) {
    let text = 'PID   USER     TIME  COMMAND\n';
    for (const p of rows) text += `${String(p.pid).padStart(5)} root      0:00 ${p.argv.join(' ')}\n`;
    await out(ctx, text);
  } else {
    let text = '    PID TTY          TIME CMD\n';
    for (const p of rows) text += `${String(p.pid).padStart(7)} ${ctx.tty ? 'pts/0   ' : '?       '} 00:00:00 ${(p.argv[0] ?? '').split('/').pop()}\n`;
    await out(ctx, text);
  }
  return 0;
};

const kill: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  let sig = 15;
  if (args[0] === '-l') {
    await out(ctx, ' 1) HUP\n 2) INT\n 3) QUIT\n 9) KILL\n10) USR1\n12) USR2\n13) PIPE\n14) ALRM\n15) TERM\n');
    return 0;
  }
  if (args[0]?.startsWith('-')) {
    const name = args[0] === '-s' ? args.splice(0, 2)[1] : args.shift()?.slice(1);
    const n = signalNumber(name ?? '');
    if (n === undefined) {
      await err(ctx, `kill: bad signal name '${name}'\n`);
      return 1;
    }
    sig = n;
  }
  if (!args.length) {
    await err(ctx, 'kill: usage: kill [-s SIG | -SIG] PID...\n');
    return 1;
  }
  let status = 0;
  for (const a of args) {
    const p = ctx.sys.procs.procs.get(Number(a));
    if (!p) {
      await err(ctx, `kill: can't kill pid ${a}: No such process\n`);
      status = 1;
      continue;
    }
    p.signal(sig);
  }
  void signalName;
  return status;
};

const seq: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-s']);
  const nums = rest.map(Number);
  if (!nums.length || nums.some(Number.isNaN)) {
    await err(ctx, `seq: invalid number '${rest.find((r) => Number.isNaN(Number(r))) ?? ''}'\n`);
    return 1;
  }
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : [nums[0], nums[1], nums[2]];
  const sep = flags.get('-s') ?? '\n';
  const width = flags.has('-w') ? String(last).length : 0;
  const items: string[] = [];
  for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
    items.push(String(v).padStart(width, '0'));
    if (items.length >= 1000) {
      await out(ctx, items.join(sep) + sep);
      items.length = 0;
    }
  }
  if (items.length) await out(ctx, items.join(sep) + '\n');
  return 0;
};

const yes: Program = async (ctx) => {
  const line = (ctx.argv.slice(1).join(' ') || 'y') + '\n';
  const chunk = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) {
    ctx.proc.check();
    await ctx.stdout.write(chunk);
    await new Promise((r) => setImmediate(r));
  }
};

const expr: Program = async (ctx) => {
  const a = ctx.argv.slice(1);
  let result: string;
  try {
    result = evalExpr(a);
  } catch (e) {
    await err(ctx, `expr: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  await out(ctx, result + '\n');
  return result === '0' || result === '' ? 1 : 0;
};

function evalExpr(tokens: string[]): string {
  let pos = 0;
  const isInt = (s: string): boolean => /^-?\d+$/.test(s);
  const levels: string[][] = [['|'], ['&'], ['=', '!=', '<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%'], [':']];
  function primary(): string {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('syntax error');
    if (t === '(') {
      const v = level(0);
      pos++;
      return v;
    }
    if (t === 'length') return String(primary().length);
    return t;
  }
  function level(n: number): string {
    if (n >= levels.length) return primary();
    let a = level(n + 1);
    while (pos < tokens.length && levels[n].includes(tokens[pos])) {
      const op = tokens[pos++];
      const b = level(n + 1);
      if (op === '|') a = a !== '' && a !== '0' ? a : b;
      else if (op === '&') a = a !== '' && a !== '0' && b !== '' && b !== '0' ? a : '0';
      else if (op === ':') {
        const m = new RegExp('^(?:' + b.replace(/\\\(/g, '(').replace(/\\\)/g, ')') + ')').exec(a);
        a = m ? (m[1] ?? String(m[0].length)) : b.includes('\\(') ? '' : '0';
      } else if (['+', '-', '*', '/', '%'].includes(op)) {
        if (!isInt(a) || !isInt(b)) throw new Error('non-numeric argument');
        const x = BigInt(a);
        const y = BigInt(b);
        if ((op === '/' || op === '%') && y === 0n) throw new Error('division by zero');
        a = String(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y);
      } else {
        const cmp = isInt(a) && isInt(b) ? Number(BigInt(a) - BigInt(b)) : a < b ? -1 : a > b ? 1 : 0;
        const r = op === '=' ? cmp === 0 : op === '!=' ? cmp !== 0 : op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : cmp >= 0;
        a = r ? '1' : '0';
      }
    }
    return a;
  }
  return level(0);
}

const simple = (text: (ctx: ProgramContext) => string): Program => async (ctx) => {
  await out(ctx, text(ctx));
  return 0;
};

/** timeout DURATION COMMAND...: TERM after the duration, exit 124 as coreutils/busybox do. */
const timeout: Program = async (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !/^-[sk]$/.test(a));
  const m = /^(\d*\.?\d+)([smh]?)$/.exec(args[0] ?? '');
  const program = args[1] ? ctx.sys.findProgram(args[1]) : undefined;
  if (!m || !program) {
    await err(ctx, m ? `timeout: can't execute '${args[1] ?? ''}': No such file or directory\n` : 'Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n');
    return m ? 127 : 1;
  }
  const ms = Number(m[1]) * ({ '': 1000, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]];
  const child = ctx.sys.procs.spawn(args.slice(1), ctx.proc);
  let timedOut = false;
  const timer = ctx.sys.clock.setTimeout(() => {
    timedOut = true;
    child.kill(15);
  }, ms);
  try {
    const code = await program({ ...ctx, argv: args.slice(1), proc: child });
    return timedOut ? 124 : code;
  } catch (e) {
    if (timedOut) return 124;
    throw e;
  } finally {
    timer.dispose();
    ctx.sys.procs.reap(child);
  }
};

export const basicTools: Record<string, Program> = {
  timeout,
  echo,
  printf: async (ctx) => {
    if (ctx.argv.length < 2) {
      await err(ctx, 'printf: usage: printf FORMAT [ARG]...\n');
      return 1;
    }
    await out(ctx, printfFormat(ctx.argv[1], ctx.argv.slice(2)));
    return 0;
  },
  true: () => Promise.resolve(0),
  false: () => Promise.resolve(1),
  sleep,
  date,
  env,
  printenv,
  uname,
  ps,
  kill,
  seq,
  yes,
  expr,
  test: (ctx) => Promise.resolve(testExpression(ctx.argv.slice(1), ctx.sys.fs, ctx.cwd)),
  '[': async (ctx) => {
    if (ctx.argv[ctx.argv.length - 1] !== ']') {
      await err(ctx, '[: missing ]\n');
      return 2;
    }
    return testExpression(ctx.argv.slice(1, -1), ctx.sys.fs, ctx.cwd);
  },
  hostname: simple((ctx) => (ctx.argv[1] === '-i' ? ctx.sys.podIP : ctx.sys.hostname) + '\n'),
  ip: async (ctx) => {
    const sub = ctx.argv[1] ?? '';
    if ('route'.startsWith(sub) && sub) {
      await out(ctx, `default via ${ctx.sys.podIP.replace(/\.\d+$/, '.1')} dev eth0 \n${ctx.sys.podIP.replace(/\.\d+$/, '.0')}/24 dev eth0 scope link  src ${ctx.sys.podIP} \n`);
      return 0;
    }
    if (!sub || !('address'.startsWith(sub) || 'addr'.startsWith(sub))) {
      await err(ctx, 'Usage: ip [OPTIONS] address|route\n');
      return 1;
    }
    await out(ctx, `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP\n    link/ether 0a:58:${ctx.sys.podIP.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join(':')} brd ff:ff:ff:ff:ff:ff\n    inet ${ctx.sys.podIP}/24 brd ${ctx.sys.podIP.replace(/\.\d+$/, '.255')} scope global eth0\n       valid_lft forever preferred_lft forever\n`);
    return 0;
  },
  id: simple(() => 'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n'),
  whoami: simple(() => 'root\n'),
  pwd: simple((ctx) => ctx.cwd + '\n'),
  nproc: simple(() => '2\n'),
  tty: async (ctx) => {
    await out(ctx, ctx.tty ? '/dev/pts/0\n' : 'not a tty\n');
    return ctx.tty ? 0 : 1;
  },
  uptime: simple((ctx) => ` ${strftime('%H:%M:%S', ctx.sys.clock.now())} up 3 days,  4:12,  0 users,  load average: 0.21, 0.18, 0.12\n`),
  free: async (ctx) => {
    const { flags } = parseArgs(ctx.argv);
    const total = 16_303_000;
    const used = 3_912_000;
    const free = total - used - 6_120_000;
    const fmt = (kb: number): string => (flags.has('-h') ? formatBytesHuman(kb * 1024) : flags.has('-m') ? String(Math.round(kb / 1024)) : String(kb));
    await out(ctx, `              total        used        free      shared  buff/cache   available\nMem:    ${fmt(total).padStart(11)} ${fmt(used).padStart(11)} ${fmt(free).padStart(11)} ${fmt(2_048).padStart(11)} ${fmt(6_120_000).padStart(11)} ${fmt(12_100_000).padStart(11)}\nSwap:   ${fmt(0).padStart(11)} ${fmt(0).padStart(11)} ${fmt(0).padStart(11)}\n`);
    return 0;
  },
  df: async (ctx) => {
    const h = parseArgs(ctx.argv).flags.has('-h');
    const row = (fs: string, size: number, used: number, mount: string): string => {
      const f = (kb: number): string => (h ? formatBytesHuman(kb * 1024) : String(kb));
      return `${fs.padEnd(20)} ${f(size).padStart(9)} ${f(used).padStart(9)} ${f(size - used).padStart(9)} ${Math.round((used / size) * 100)}% ${mount}\n`;
    };
    await out(ctx, `Filesystem           ${h ? '     Size      Used Available' : '1K-blocks      Used Available'} Use% Mounted on\n` + row('overlay', 61_202_244, 14_030_112, '/') + row('tmpfs', 65_536, 0, '/dev') + row('/dev/sda1', 61_202_244, 14_030_112, '/etc/hosts') + row('shm', 65_536, 0, '/dev/shm'));
    return 0;
  },
  basename: async (ctx) => {
    const [p, suffix] = ctx.argv.slice(1);
    if (p === undefined) {
      await err(ctx, 'basename: missing operand\n');
      return 1;
    }
    let b = p.replace(/\/+$/, '').split('/').pop() || '/';
    if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
    await out(ctx, b + '\n');
    return 0;
  },
  dirname: async (ctx) => {
    const p = ctx.argv[1];
    if (p === undefined) {
      await err(ctx, 'dirname: missing operand\n');
      return 1;
    }
    const t = p.replace(/\/+$/, '');
    const i = t.lastIndexOf('/');
    await out(ctx, (i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i)) + '\n');
    return 0;
  },
  which: async (ctx) => {
    let status = 0;
    for (const n of ctx.argv.slice(1)) {
      if (ctx.sys.findProgram(n)) await out(ctx, (n.includes('/') ? n : (ctx.sys.os === 'busybox' ? '/bin/' : '/usr/bin/') + n) + '\n');
      else status = 1;
    }
    return status;
  },
  clear: simple(() => '\x1b[H\x1b[J'),
  sync: () => Promise.resolve(0),
  chmod: () => Promise.resolve(0),
  chown: () => Promise.resolve(0),
  stty: () => Promise.resolve(0),
  logger: () => Promise.resolve(0),
};

export { toolName };
