// Builtins that must run inside the shell because they change its state.
import type { Io, Shell } from './interpreter.js';
import { parseScript } from './parser.js';
import { signalNumber } from './process.js';
import { ExitSignal, LoopSignal, ReturnSignal, ShellError } from './state.js';
import { normalizePath } from '../vfs.js';

type Builtin = (sh: Shell, argv: string[], io: Io) => Promise<number>;

const builtins: Record<string, Builtin> = {
  ':': () => Promise.resolve(0),
  cd: async (sh, argv, io) => {
    const target = argv[1] === '-' ? (sh.state.get('OLDPWD') ?? sh.state.cwd) : (argv[1] ?? sh.state.get('HOME') ?? '/');
    const path = normalizePath(sh.state.cwd, target);
    if (!sh.fs.exists(path)) {
      await sh.safeWrite(io.stderr, `${sh.name}: cd: can't cd to ${target}: No such file or directory\n`);
      return 2;
    }
    if (!sh.fs.isDir(path)) {
      await sh.safeWrite(io.stderr, `${sh.name}: cd: can't cd to ${target}: Not a directory\n`);
      return 2;
    }
    if (argv[1] === '-') await sh.safeWrite(io.stdout, path + '\n');
    sh.state.set('OLDPWD', sh.state.cwd, true);
    sh.state.cwd = path;
    sh.state.set('PWD', path, true);
    return 0;
  },
  export: async (sh, argv, io) => {
    if (argv.length === 1 || argv[1] === '-p') {
      const lines = [...sh.state.vars].filter(([, v]) => v.exported).map(([k, v]) => `export ${k}='${v.value.replace(/'/g, `'"'"'`)}'\n`);
      await sh.safeWrite(io.stdout, lines.sort().join(''));
      return 0;
    }
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      if (eq >= 0) sh.state.set(a.slice(0, eq), a.slice(eq + 1), true);
      else {
        const v = sh.state.vars.get(a);
        if (v) v.exported = true;
        else sh.state.vars.set(a, { value: '', exported: true });
      }
    }
    return 0;
  },
  readonly: (sh, argv) => {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (eq >= 0) sh.state.set(name, a.slice(eq + 1));
      const v = sh.state.vars.get(name);
      if (v) v.readonly = true;
    }
    return Promise.resolve(0);
  },
  local: (sh, argv) => {
    const frame = sh.state.localFrames[sh.state.localFrames.length - 1];
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (frame && !frame.has(name)) frame.set(name, sh.state.vars.get(name));
      sh.state.set(name, eq >= 0 ? a.slice(eq + 1) : '');
    }
    return Promise.resolve(0);
  },
  unset: (sh, argv) => {
    for (const a of argv.slice(1)) {
      if (a === '-f' || a === '-v') continue;
      if (argv[1] === '-f') sh.state.functions.delete(a);
      else sh.state.unset(a);
    }
    return Promise.resolve(0);
  },
  set: async (sh, argv, io) => {
    if (argv.length === 1) {
      const lines = [...sh.state.vars].map(([k, v]) => `${k}='${v.value.replace(/'/g, `'"'"'`)}'\n`);
      await sh.safeWrite(io.stdout, lines.sort().join(''));
      return 0;
    }
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-o' || a === '+o') {
        const opt = argv[++i];
        if (opt === 'pipefail') sh.state.options.pipefail = a === '-o';
        if (opt === 'errexit') sh.state.options.errexit = a === '-o';
        if (opt === 'nounset') sh.state.options.nounset = a === '-o';
        if (opt === 'xtrace') sh.state.options.xtrace = a === '-o';
        continue;
      }
      if (!/^[-+][a-zA-Z]+$/.test(a)) break;
      const on = a[0] === '-';
      for (const f of a.slice(1)) {
        if (f === 'e') sh.state.options.errexit = on;
        else if (f === 'x') sh.state.options.xtrace = on;
        else if (f === 'u') sh.state.options.nounset = on;
        else if (f === 'f') sh.state.options.noglob = on;
      }
    }
    if (i < argv.length || argv[i - 1] === '--') sh.state.positional = argv.slice(i);
    return 0;
  },
  shift: (sh, argv) => {
    const n = Number(argv[1] ?? 1);
    if (n > sh.state.positional.length) return Promise.resolve(1);
    sh.state.positional = sh.state.positional.slice(n);
    return Promise.resolve(0);
  },
  exit: (sh, argv) => {
    throw new ExitSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : sh.state.status);
  },
  return: (sh, argv) => {
    throw new ReturnSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : sh.state.status);
  },
  break: (_sh, argv) => {
    throw new LoopSignal('break', Number(argv[1] ?? 1));
  },
  continue: (_sh, argv) => {
    throw new LoopSignal('continue', Number(argv[1] ?? 1));
  },
  eval: (sh, argv, io) => sh.execList(parseScript(argv.slice(1).join(' ')), { io, cond: false }),
  '.': source,
  source,
  trap: async (sh, argv, io) => {
    if (argv.length === 1) {
      const lines = [...sh.state.traps].map(([k, v]) => `trap -- '${v}' ${k}\n`);
      await sh.safeWrite(io.stdout, lines.join(''));
      return 0;
    }
    const action = argv[1];
    for (const s of argv.slice(2)) {
      const key = s === '0' || s.toUpperCase() === 'EXIT' ? 'EXIT' : signalKey(s);
      if (!key) {
        await sh.safeWrite(io.stderr, `${sh.name}: trap: ${s}: invalid signal specification\n`);
        return 1;
      }
      if (action === '-') sh.state.traps.delete(key);
      else sh.state.traps.set(key, action);
    }
    return 0;
  },
  wait: async (sh, argv) => {
    const pids = argv.length > 1 ? argv.slice(1).map(Number) : [...sh.jobs.keys()];
    let status = 0;
    for (const pid of pids) {
      const job = sh.jobs.get(pid);
      if (!job) {
        status = 127;
        continue;
      }
      const r = await sh.proc.race(Promise.race([job, sh.trapArrived().then(() => 128 + 15)]));
      if (r === 128 + 15 && sh.jobs.has(pid)) return r;
      sh.jobs.delete(pid);
      status = r;
    }
    return status;
  },
  exec: async (sh, argv, io) => {
    if (argv.length === 1) return 0;
    throw new ExitSignal(await sh.runProgram(argv.slice(1), [], io));
  },
  command: async (sh, argv, io) => {
    if (argv[1] === '-v' || argv[1] === '-V') {
      const name = argv[2] ?? '';
      if (sh.state.functions.has(name) || isBuiltin(name)) {
        await sh.safeWrite(io.stdout, `${name}\n`);
        return 0;
      }
      if (!sh.sys.findProgram(name)) return 1;
      await sh.safeWrite(io.stdout, `${name.includes('/') ? name : `/bin/${name}`}\n`);
      return 0;
    }
    return sh.runProgram(argv.slice(1), [], io);
  },
  type: async (sh, argv, io) => {
    let status = 0;
    for (const name of argv.slice(1)) {
      if (sh.state.functions.has(name)) await sh.safeWrite(io.stdout, `${name} is a function\n`);
      else if (isBuiltin(name)) await sh.safeWrite(io.stdout, `${name} is a shell builtin\n`);
      else if (sh.sys.findProgram(name)) await sh.safeWrite(io.stdout, `${name} is /bin/${name}\n`);
      else {
        await sh.safeWrite(io.stdout, `${name}: not found\n`);
        status = 1;
      }
    }
    return status;
  },
  read: async (sh, argv, io) => {
    let i = 1;
    let prompt = '';
    let timeout: number | undefined;
    let raw = false;
    for (; i < argv.length && argv[i].startsWith('-'); i++) {
      if (argv[i] === '-r') raw = true;
      else if (argv[i] === '-p') prompt = argv[++i] ?? '';
      else if (argv[i] === '-t') timeout = Number(argv[++i]) * 1000;
    }
    if (prompt) await sh.safeWrite(io.stderr, prompt);
    const names = argv.slice(i).length ? argv.slice(i) : ['REPLY'];
    const linePromise = io.stdin.readLine();
    const line = await sh.proc.race(timeout === undefined ? linePromise : Promise.race([linePromise, sh.proc.sleep(timeout).then(() => null)]));
    if (line === null) return 1;
    const text = raw ? line : line.replace(/\\(.)/g, '$1');
    const ifs = sh.state.get('IFS') ?? ' \t\n';
    const fields = splitFor(text, ifs, names.length);
    names.forEach((n, k) => sh.state.set(n, fields[k] ?? ''));
    return 0;
  },
  getopts: () => Promise.resolve(1),
  ulimit: async (sh, _argv, io) => {
    await sh.safeWrite(io.stdout, 'unlimited\n');
    return 0;
  },
  umask: async (sh, _argv, io) => {
    await sh.safeWrite(io.stdout, '0022\n');
    return 0;
  },
};

async function source(sh: Shell, argv: string[], io: Io): Promise<number> {
  const file = argv[1];
  if (!file) throw new ShellError('.: missing filename', 2);
  const path = normalizePath(sh.state.cwd, file);
  if (!sh.fs.exists(path)) throw new ShellError(`.: can't open '${file}': No such file or directory`, 2);
  return sh.execList(parseScript(sh.fs.readText(path)), { io, cond: false });
}

function signalKey(s: string): string | undefined {
  const n = signalNumber(s);
  if (n === undefined) return undefined;
  return ({ 1: 'HUP', 2: 'INT', 3: 'QUIT', 10: 'USR1', 12: 'USR2', 15: 'TERM' } as Record<number, string>)[n] ?? String(n);
}

function splitFor(text: string, ifs: string, count: number): string[] {
  const ws = [...ifs].filter((c) => /\s/.test(c)).join('');
  const trimmed = ws ? text.replace(new RegExp(`^[${escapeClass(ws)}]+|[${escapeClass(ws)}]+$`, 'g'), '') : text;
  if (count === 1) return [trimmed];
  const out: string[] = [];
  let rest = trimmed;
  const sep = new RegExp(`[${escapeClass(ifs)}]+`);
  while (out.length < count - 1) {
    const m = sep.exec(rest);
    if (!m) break;
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  out.push(rest);
  return out;
}

function escapeClass(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

export function isBuiltin(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(builtins, name);
}

export function runBuiltin(sh: Shell, argv: string[], io: Io): Promise<number> {
  return builtins[argv[0]](sh, argv, io);
}
