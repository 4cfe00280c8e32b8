// Language runtimes the course calls: the shell itself (sh/bash), perl's bignum pi, python's print
// and http.server, and `stress` for memory limits.
import type { Program } from '../shell/system.js';
import { InputStream } from '../shell/io.js';
import { Shell } from '../shell/interpreter.js';
import { ShellState } from '../shell/state.js';
import { err, out } from './util.js';
import { runInteractive } from '../shell/interactive.js';

/** pi to `digits` significant digits, rounded like Math::BigFloat's bpi (Machin's formula on BigInt). */
export function computePi(digits: number): string {
  const guard = 12;
  const scale = 10n ** BigInt(digits + guard);
  const arctanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = scale / x;
    const x2 = x * x;
    for (let n = 1n, sign = 1n; term !== 0n; n += 2n, sign = -sign) {
      sum += (sign * term) / n;
      term /= x2;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInv(5n) - arctanInv(239n));
  // pi * 10^(digits+guard): keep digits significant digits (1 before the point), rounding half up.
  const drop = 10n ** BigInt(guard + 1);
  const rounded = (pi + drop / 2n) / drop;
  const s = rounded.toString();
  return `${s[0]}.${s.slice(1)}`;
}

export const shellProgram =
  (name: 'sh' | 'bash'): Program =>
  async (ctx) => {
    const args = ctx.argv.slice(1);
    const state = ShellState.fromEnv({ ...ctx.env, SHLVL: String(Number(ctx.env.SHLVL ?? 0) + 1) }, ctx.cwd);
    const shell = new Shell(ctx.sys, ctx.proc, state, name, ctx.tty);
    let i = 0;
    let script: string | undefined;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '-c') {
        script = args[++i] ?? '';
        i++;
        break;
      }
      if (/^[-+][exuil]+$/.test(a)) {
        if (a.includes('e')) state.options.errexit = a[0] === '-';
        if (a.includes('x')) state.options.xtrace = a[0] === '-';
        if (a.includes('u')) state.options.nounset = a[0] === '-';
        continue;
      }
      break;
    }
    const io = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
    if (script !== undefined) {
      state.arg0 = args[i] ?? name;
      state.positional = args.slice(i + 1);
      return shell.runScript(script, io);
    }
    if (i < args.length) {
      const file = args[i];
      const path = file.startsWith('/') ? file : `${ctx.cwd}/${file}`;
      if (!ctx.sys.fs.exists(path)) {
        await err(ctx, `${name}: can't open '${file}': No such file or directory\n`);
        return 127;
      }
      state.arg0 = file;
      state.positional = args.slice(i + 1);
      return shell.runScript(ctx.sys.fs.readText(path), io);
    }
    if (ctx.tty) return runInteractive(shell, io);
    return shell.runScript(new TextDecoder().decode(await ctx.proc.race(ctx.stdin.readAll())), { ...io, stdin: InputStream.empty() });
  };

const perl: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const code = args[args.findIndex((a) => /^-[a-zA-Z]*e$/.test(a)) + 1];
  const bpi = /bpi\((\d+)\)/.exec(code ?? '');
  if (code && bpi && args.some((a) => a.startsWith('-Mbignum'))) {
    await out(ctx, computePi(Number(bpi[1])) + (args.some((a) => /^-[a-z]*l/.test(a)) ? '\n' : ''));
    return 0;
  }
  const print = /^\s*print\s+"((?:[^"\\]|\\.)*)"\s*;?\s*$/.exec(code ?? '');
  if (print) {
    await out(ctx, print[1].replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
    return 0;
  }
  if (args.includes('-v')) {
    await out(ctx, '\nThis is perl 5, version 40, subversion 0 (v5.40.0) built for x86_64-linux-gnu-thread-multi\n\nCopyright 1987-2024, Larry Wall\n');
    return 0;
  }
  await err(ctx, `The Kubedesk sandbox's perl runs \`perl -Mbignum=bpi -wle 'print bpi(N)'\` and simple prints only.\n`);
  return 255;
};

const python: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '--version' || args[0] === '-V') {
    await out(ctx, 'Python 3.13.1\n');
    return 0;
  }
  if (args[0] === '-m' && args[1] === 'http.server') {
    const port = Number(args[2] ?? 8000);
    await err(ctx, '');
    await out(ctx, `Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...\n`);
    const { staticFileListener } = await import('../images/servers.js');
    const listener = staticFileListener(ctx, ctx.cwd, 'SimpleHTTP/0.6 Python/3.13.1', (req, status) =>
      // http.server's log_request: "[24/Nov/2026 21:00:00]" and "-" for the size.
      out(ctx, `${req.remoteAddress ?? '127.0.0.1'} - - [${new Date(ctx.sys.clock.now()).toUTCString().slice(5, 25).replace(/^(\d\d) (\w{3}) (\d{4})/, '$1/$2/$3')}] "${req.method} ${req.path} HTTP/1.1" ${status} -\n`).catch(() => undefined),
    );
    const l = ctx.sys.listen(port, listener);
    try {
      await ctx.proc.sleep(Number.MAX_SAFE_INTEGER / 2 > 2 ** 31 ? 2 ** 31 - 1 : 2 ** 31 - 1);
      return 0;
    } finally {
      l.dispose();
    }
  }
  const ci = args.indexOf('-c');
  if (ci >= 0) {
    const code = args[ci + 1] ?? '';
    for (const stmt of code.split(/;|\n/).map((s) => s.trim()).filter(Boolean)) {
      const m = /^print\((['"])(.*)\1\)$/.exec(stmt);
      if (m) await out(ctx, m[2] + '\n');
      else if (/^import\s/.test(stmt)) continue;
      else {
        await err(ctx, `The Kubedesk sandbox's python runs print("...") and -m http.server only.\n`);
        return 1;
      }
    }
    return 0;
  }
  await err(ctx, `The Kubedesk sandbox's python runs python -c 'print("...")' and -m http.server only.\n`);
  return 2;
};

/** stress --vm N --vm-bytes SIZE: holds memory (the container is OOMKilled beyond its limit). */
const stress: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const get = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
  const vm = Number(get('--vm') ?? (args.includes('--vm') ? 1 : 0));
  const size = get('--vm-bytes') ?? '256M';
  const m = /^(\d+)([KMG]?)$/i.exec(size);
  const bytes = m ? Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[m[2].toUpperCase()] : 0;
  await out(ctx, `stress: info: [${ctx.proc.pid}] dispatching hogs: 0 cpu, 0 io, ${vm} vm, 0 hdd\n`);
  // Memory grows over a moment as the workers touch their pages.
  for (let step = 1; step <= 4; step++) {
    await ctx.proc.sleep(100);
    ctx.sys.allocate((bytes * vm) / 4);
  }
  const timeout = get('--timeout') ?? get('-t');
  if (timeout) {
    await ctx.proc.sleep(Number(timeout.replace(/s$/, '')) * 1000);
    await out(ctx, `stress: info: [${ctx.proc.pid}] successful run completed in ${timeout.replace(/s$/, '')}s\n`);
    ctx.sys.release(bytes * vm);
    return 0;
  }
  await ctx.proc.sleep(2 ** 31 - 1);
  return 0;
};

export const interpreterTools: Record<string, Program> = { sh: shellProgram('sh'), ash: shellProgram('sh'), bash: shellProgram('bash'), perl, python, python3: python, stress };
