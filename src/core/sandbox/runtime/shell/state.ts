// A shell's variables, functions, options and traps, and the exceptions that carry control flow
// (exit, return, break, continue) out of nested commands.
import type { Command } from './ast.js';

export interface Var {
  value: string;
  exported: boolean;
  readonly?: boolean;
}

export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
export class ReturnSignal extends Error {
  constructor(readonly code: number) {
    super(`return ${code}`);
  }
}
export class LoopSignal extends Error {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {
    super(kind);
  }
}
/** An error a shell reports and that ends a non-interactive shell (bad substitution, ${x:?}). */
export class ShellError extends Error {
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message);
  }
}

export class ShellState {
  vars = new Map<string, Var>();
  functions = new Map<string, Command>();
  positional: string[] = [];
  arg0 = 'sh';
  status = 0;
  lastBg = 0;
  options = { errexit: false, xtrace: false, nounset: false, noglob: false, pipefail: false };
  traps = new Map<string, string>();
  cwd = '/';
  localFrames: Map<string, Var | undefined>[] = [];

  static fromEnv(env: Record<string, string>, cwd: string): ShellState {
    const s = new ShellState();
    for (const [k, v] of Object.entries(env)) s.vars.set(k, { value: v, exported: true });
    if (!s.vars.has('IFS')) s.vars.set('IFS', { value: ' \t\n', exported: false });
    s.vars.set('PWD', { value: cwd, exported: true });
    s.cwd = cwd;
    return s;
  }

  clone(): ShellState {
    const s = new ShellState();
    for (const [k, v] of this.vars) s.vars.set(k, { ...v });
    s.functions = new Map(this.functions);
    s.positional = [...this.positional];
    s.arg0 = this.arg0;
    s.status = this.status;
    s.lastBg = this.lastBg;
    s.options = { ...this.options };
    s.traps = new Map([...this.traps].filter(([k]) => k !== 'EXIT'));
    s.cwd = this.cwd;
    return s;
  }

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  set(name: string, value: string, exported?: boolean): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ShellError(`${name}: is read only`, 2);
    const frame = this.localFrames[this.localFrames.length - 1];
    void frame;
    this.vars.set(name, { value, exported: exported ?? v?.exported ?? false, readonly: v?.readonly });
  }

  unset(name: string): void {
    if (this.vars.get(name)?.readonly) throw new ShellError(`unset: ${name}: is read only`, 2);
    this.vars.delete(name);
  }

  exportedEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = v.value;
    return env;
  }
}
