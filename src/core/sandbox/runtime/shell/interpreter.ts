// The simulated shell's interpreter. Everything is async: a command's output reaches the container's
// log as soon as it is written, `sleep` waits on the injected clock, and a signal can end the shell
// between (or during) commands.
import type { AndOr, Command, CondExpr, List, Pipeline, Redir } from './ast.js';
import { ShellSyntaxError } from './ast.js';
import { evaluateArith, ArithError } from './arith.js';
import { expandPattern, expandString, expandWords, type ExpandHost } from './expand.js';
import { BrokenPipe, InputStream, Pipe, decode, encode, nullOutput, type OutputStream } from './io.js';
import { parseScript } from './parser.js';
import { globMatch } from './pattern.js';
import { OutOfMemory, Terminated, type Proc } from './process.js';
import { ExitSignal, LoopSignal, ReturnSignal, ShellError, ShellState } from './state.js';
import type { System } from './system.js';
import { runBuiltin, isBuiltin } from './builtins.js';
import { FsError, normalizePath } from '../vfs.js';
import { applyRedirections, evaluateCond } from './redirect.js';

export interface Io {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

interface Ctx {
  io: Io;
  /** In a condition (if/while/&&/||/!): set -e does not apply. */
  cond: boolean;
}

export class Shell implements ExpandHost {
  readonly fs;
  /** Signals caught by a trap, run at the next command boundary. */
  private pendingTraps: number[] = [];
  private trapWake?: () => void;
  private commandCount = 0;
  /** A subshell forked to run one simple command: the program replaces it (exec), as in a real shell. */
  execsProgram = false;
  /** Status of the last command substitution: an assignment-only command returns it. */
  private substStatus: number | undefined;
  readonly jobs = new Map<number, Promise<number>>();

  constructor(
    readonly sys: System,
    readonly proc: Proc,
    readonly state: ShellState,
    readonly name: 'sh' | 'bash',
    readonly tty = false,
  ) {
    this.fs = sys.fs;
    proc.handler = (sig) => this.onSignal(sig);
  }

  get braceExpansion(): boolean {
    return this.name === 'bash';
  }

  get pid(): number {
    return this.proc.pid;
  }

  private onSignal(sig: number): boolean {
    const key = sigKey(sig);
    const action = this.state.traps.get(key);
    if (action === undefined) return false;
    if (action !== '') {
      this.pendingTraps.push(sig);
      this.trapWake?.();
    }
    return true;
  }

  /** Resolves when a trapped signal arrives (the `wait` builtin is interrupted by traps). */
  trapArrived(): Promise<void> {
    return new Promise((r) => (this.trapWake = r));
  }

  async error(message: string): Promise<void> {
    await this.safeWrite(this.errStream, `${this.name}: ${message}\n`);
  }

  private errStream: OutputStream = nullOutput;

  /** Runs a whole script as this shell's program; returns the exit status (runs the EXIT trap). */
  async runScript(src: string, io: Io): Promise<number> {
    this.errStream = io.stderr;
    let status: number;
    try {
      const list = parseScript(src);
      status = await this.execList(list, { io, cond: false });
    } catch (e) {
      status = await this.topLevelError(e, io);
    }
    return this.finish(status, io);
  }

  async finish(status: number, io: Io): Promise<number> {
    const exitTrap = this.state.traps.get('EXIT');
    if (exitTrap) {
      this.state.traps.delete('EXIT');
      this.state.status = status;
      try {
        await this.execList(parseScript(exitTrap), { io, cond: true });
      } catch (e) {
        if (e instanceof ExitSignal) return e.code;
        if (e instanceof Terminated) throw e;
      }
    }
    return status;
  }

  async topLevelError(e: unknown, io: Io): Promise<number> {
    if (e instanceof ExitSignal) return e.code;
    if (e instanceof ReturnSignal) return e.code;
    if (e instanceof LoopSignal) return 0;
    if (e instanceof ShellSyntaxError) {
      await this.safeWrite(io.stderr, `${this.name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ShellError) {
      await this.safeWrite(io.stderr, `${this.name}: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }

  async safeWrite(out: OutputStream, text: string): Promise<void> {
    try {
      await out.write(text);
    } catch (e) {
      if (!(e instanceof BrokenPipe)) throw e;
    }
  }

  async execList(list: List, ctx: Ctx): Promise<number> {
    let status = 0;
    for (const item of list.items) {
      if (item.bg) {
        this.startBackground(item.ao, ctx);
        status = 0;
        this.state.status = 0;
        continue;
      }
      status = await this.execAndOr(item.ao, ctx);
    }
    return status;
  }

  private startBackground(ao: AndOr, ctx: Ctx): void {
    const child = this.sys.procs.spawn([...this.proc.argv], this.proc);
    const sub = new Shell(this.sys, child, this.state.clone(), this.name, this.tty);
    sub.errStream = ctx.io.stderr;
    sub.execsProgram = !ao.rest.length && ao.first.cmds.length === 1 && !ao.first.negate && ao.first.cmds[0].t === 'simple';
    const io = { ...ctx.io, stdin: InputStream.empty() };
    const run = (async () => {
      try {
        return await sub.execAndOr(ao, { io, cond: false });
      } catch (e) {
        if (e instanceof Terminated) return e.exitCode;
        return sub.topLevelError(e, io);
      } finally {
        this.sys.procs.reap(child);
      }
    })();
    run.catch(() => undefined);
    this.jobs.set(child.pid, run);
    this.state.lastBg = child.pid;
  }

  private async execAndOr(ao: AndOr, ctx: Ctx): Promise<number> {
    const hasRest = ao.rest.length > 0;
    let status = await this.execPipeline(ao.first, { ...ctx, cond: ctx.cond || hasRest });
    for (let i = 0; i < ao.rest.length; i++) {
      const { op, p } = ao.rest[i];
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = await this.execPipeline(p, { ...ctx, cond: ctx.cond || i < ao.rest.length - 1 });
    }
    return status;
  }

  private async execPipeline(p: Pipeline, ctx: Ctx): Promise<number> {
    const inner = { ...ctx, cond: ctx.cond || p.negate };
    let status: number;
    if (p.cmds.length === 1) status = await this.execCommand(p.cmds[0], inner);
    else status = await this.execMulti(p, inner);
    if (p.negate) status = status === 0 ? 1 : 0;
    this.state.status = status;
    if (status !== 0 && !ctx.cond && this.state.options.errexit && !p.negate) throw new ExitSignal(status);
    return status;
  }

  private async execMulti(p: Pipeline, ctx: Ctx): Promise<number> {
    const pipes = p.cmds.slice(1).map(() => new Pipe());
    const stages = p.cmds.map(async (cmd, i) => {
      const io: Io = {
        stdin: i === 0 ? ctx.io.stdin : pipes[i - 1].input,
        stdout: i === p.cmds.length - 1 ? ctx.io.stdout : pipes[i].output,
        stderr: ctx.io.stderr,
      };
      const child = this.sys.procs.spawn([...this.proc.argv], this.proc);
      const sub = new Shell(this.sys, child, this.state.clone(), this.name, this.tty);
      sub.errStream = ctx.io.stderr;
      sub.execsProgram = cmd.t === 'simple';
      try {
        return await sub.execCommand(cmd, { io, cond: ctx.cond });
      } catch (e) {
        if (e instanceof BrokenPipe) return 141;
        if (e instanceof Terminated) return e.exitCode;
        if (e instanceof OutOfMemory) throw e;
        return await sub.topLevelError(e, io);
      } finally {
        this.sys.procs.reap(child);
        if (i < pipes.length) pipes[i].close();
        if (i > 0) pipes[i - 1].closeReader();
      }
    });
    const statuses = await this.proc.race(Promise.all(stages));
    if (this.state.options.pipefail) return [...statuses].reverse().find((s) => s !== 0) ?? 0;
    return statuses[statuses.length - 1];
  }

  async execCommand(cmd: Command, ctx: Ctx): Promise<number> {
    await this.boundary(ctx.io);
    if (cmd.t === 'simple') return this.execSimple(cmd, ctx);
    if (cmd.t === 'func') {
      this.state.functions.set(cmd.name, cmd.body);
      return 0;
    }
    const io = await this.redirect(cmd.redirs, ctx.io);
    if (!io) return 1;
    const c: Ctx = { io: io.io, cond: ctx.cond };
    try {
      return await this.execCompound(cmd, c);
    } finally {
      await io.close();
    }
  }

  private async execCompound(cmd: Exclude<Command, { t: 'simple' | 'func' }>, ctx: Ctx): Promise<number> {
    switch (cmd.t) {
      case 'group':
        if (!cmd.subshell) return this.execList(cmd.body, ctx);
        return this.subshell(cmd.body, ctx.io);
      case 'if':
        for (const clause of cmd.clauses) {
          if ((await this.execList(clause.cond, { ...ctx, cond: true })) === 0) return this.execList(clause.body, ctx);
        }
        return cmd.otherwise ? this.execList(cmd.otherwise, ctx) : 0;
      case 'loop': {
        let status = 0;
        for (;;) {
          const c = await this.execList(cmd.cond, { ...ctx, cond: true });
          if ((c === 0) === cmd.until) break;
          const r = await this.loopBody(cmd.body, ctx);
          if (r === 'break') break;
          status = this.state.status;
        }
        return status;
      }
      case 'for': {
        const items = cmd.items ? await expandWords(this, cmd.items) : [...this.state.positional];
        let status = 0;
        for (const item of items) {
          this.state.set(cmd.name, item);
          const r = await this.loopBody(cmd.body, ctx);
          if (r === 'break') break;
          status = this.state.status;
        }
        return status;
      }
      case 'case': {
        const value = await expandString(this, cmd.word);
        for (const item of cmd.items) {
          for (const pw of item.patterns) {
            if (globMatch(await expandPattern(this, pw), value)) return this.execList(item.body, ctx);
          }
        }
        return 0;
      }
      case 'cond':
        return (await this.evalCond(cmd.expr)) ? 0 : 1;
      case 'arithcmd': {
        const text = await expandString(this, cmd.expr);
        try {
          return evaluateArith(text, this.state) !== 0n ? 0 : 1;
        } catch (e) {
          if (e instanceof ArithError) throw new ShellError(e.message, 1);
          throw e;
        }
      }
    }
  }

  private async loopBody(body: List, ctx: Ctx): Promise<'break' | 'continue' | undefined> {
    try {
      await this.execList(body, ctx);
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return e.kind;
    }
    return undefined;
  }

  async subshell(body: List, io: Io): Promise<number> {
    const child = this.sys.procs.spawn([...this.proc.argv], this.proc);
    const sub = new Shell(this.sys, child, this.state.clone(), this.name, this.tty);
    sub.errStream = io.stderr;
    try {
      return await sub.execList(body, { io, cond: false });
    } catch (e) {
      if (e instanceof Terminated && e !== this.proc.terminated) return e.exitCode;
      return sub.topLevelError(e, io);
    } finally {
      this.sys.procs.reap(child);
    }
  }

  async capture(body: List): Promise<string> {
    const chunks: Uint8Array[] = [];
    const out: OutputStream = {
      write(data) {
        chunks.push(typeof data === 'string' ? encode(data) : data);
        return Promise.resolve();
      },
    };
    const status = await this.subshell(body, { stdin: InputStream.empty(), stdout: out, stderr: this.errStream });
    this.substStatus = status;
    return chunks.map(decode).join('');
  }

  /** Between commands: honour termination, run trapped signals' actions, and let the event loop breathe. */
  private async boundary(io: Io): Promise<void> {
    this.proc.check();
    // A loop without sleep must not burn the host's CPU: a simulated CPU runs ~10,000 commands a
    // second of the sandbox clock.
    if (++this.commandCount % 200 === 0) await this.proc.sleep(20);
    while (this.pendingTraps.length) {
      const sig = this.pendingTraps.shift() as number;
      const action = this.state.traps.get(sigKey(sig));
      if (!action) continue;
      const saved = this.state.status;
      await this.execList(parseScript(action), { io, cond: true });
      this.state.status = saved;
    }
  }

  private async execSimple(cmd: Extract<Command, { t: 'simple' }>, ctx: Ctx): Promise<number> {
    this.substStatus = undefined;
    const argv = await expandWords(this, cmd.words);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) {
      const v = await expandString(this, a.value);
      assigns.push([a.name, a.append ? (this.state.get(a.name) ?? '') + v : v]);
    }
    if (!argv.length) {
      if (this.state.options.xtrace && assigns.length) await this.safeWrite(ctx.io.stderr, assigns.map(([k, v]) => `+ ${k}=${quoteForTrace(v)}\n`).join(''));
      for (const [k, v] of assigns) this.state.set(k, v);
      const io = await this.redirect(cmd.redirs, ctx.io);
      if (!io) return 1;
      await io.close();
      return this.substStatus ?? 0;
    }
    if (this.state.options.xtrace) await this.safeWrite(ctx.io.stderr, `+ ${argv.map(quoteForTrace).join(' ')}\n`);
    const r = await this.redirect(cmd.redirs, ctx.io);
    if (!r) return 1;
    try {
      return await this.invoke(argv, assigns, r.io);
    } finally {
      await r.close();
    }
  }

  /** Runs argv: a function, a builtin, or a program of the container. */
  async invoke(argv: string[], assigns: [string, string][], io: Io): Promise<number> {
    const name = argv[0];
    const fn = this.state.functions.get(name);
    if (fn) {
      const savedPositional = this.state.positional;
      this.state.positional = argv.slice(1);
      this.state.localFrames.push(new Map());
      try {
        return await this.execCommand(fn, { io, cond: false });
      } catch (e) {
        if (e instanceof ReturnSignal) return e.code;
        throw e;
      } finally {
        this.state.positional = savedPositional;
        const frame = this.state.localFrames.pop();
        for (const [k, v] of frame ?? []) {
          if (v) this.state.vars.set(k, v);
          else this.state.vars.delete(k);
        }
      }
    }
    if (isBuiltin(name)) {
      // Assignments before a special builtin persist, as POSIX says.
      for (const [k, v] of assigns) this.state.set(k, v);
      return runBuiltin(this, argv, io);
    }
    return this.runProgram(argv, assigns, io);
  }

  async runProgram(argv: string[], assigns: [string, string][], io: Io): Promise<number> {
    const program = this.sys.findProgram(argv[0]);
    if (!program) {
      const path = argv[0].includes('/') ? normalizePath(this.state.cwd, argv[0]) : undefined;
      if (path && this.fs.isDir(path)) {
        await this.safeWrite(io.stderr, `${this.name}: ${argv[0]}: Permission denied\n`);
        return 126;
      }
      await this.safeWrite(io.stderr, this.name === 'bash' ? `bash: ${argv[0]}: ${path ? 'No such file or directory' : 'command not found'}\n` : `sh: ${argv[0]}: not found\n`);
      return 127;
    }
    const env = this.state.exportedEnv();
    for (const [k, v] of assigns) env[k] = v;
    const exec = this.execsProgram;
    const child = exec ? this.proc : this.sys.procs.spawn(argv, this.proc);
    if (exec) {
      child.argv = argv;
      child.handler = undefined;
    }
    try {
      return await program({ argv, env, cwd: this.state.cwd, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, proc: child, sys: this.sys, tty: this.tty });
    } catch (e) {
      if (e instanceof Terminated) {
        if (this.proc.terminated) throw this.proc.terminated;
        return e.exitCode;
      }
      if (e instanceof BrokenPipe) return 141;
      if (e instanceof FsError) {
        await this.safeWrite(io.stderr, `${argv[0]}: ${e.path}: ${e.message}\n`);
        return 1;
      }
      throw e;
    } finally {
      if (!exec) this.sys.procs.reap(child);
    }
  }
  redirect(redirs: Redir[], io: Io): Promise<{ io: Io; close(): Promise<void> } | undefined> {
    return applyRedirections(this, redirs, io);
  }

  private evalCond(e: CondExpr): Promise<boolean> {
    return evaluateCond(this, e);
  }
}

function sigKey(sig: number): string {
  return ({ 1: 'HUP', 2: 'INT', 3: 'QUIT', 10: 'USR1', 12: 'USR2', 15: 'TERM' } as Record<number, string>)[sig] ?? String(sig);
}

function quoteForTrace(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

export { ShellState };
