// Redirections and [[ ]] conditions of the simulated shell.
import type { CondExpr, Redir } from './ast.js';
import { expandPattern, expandString } from './expand.js';
import { InputStream, encode, nullOutput, type OutputStream } from './io.js';
import { globMatch } from './pattern.js';
import type { Io, Shell } from './interpreter.js';
import { FsError, normalizePath } from '../vfs.js';
import { testExpression } from '../tools/test.js';

/** Applies redirections; undefined when one failed (the message is already written). */
export async function applyRedirections(sh: Shell, redirs: Redir[], io: Io): Promise<{ io: Io; close(): Promise<void> } | undefined> {
  if (!redirs.length) return { io, close: () => Promise.resolve() };
  const next: Io = { ...io };
  for (const r of redirs) {
    try {
      if (r.op === '<<' || r.op === '<<<') {
        const text = r.op === '<<' ? await expandString(sh, r.heredoc ?? { parts: [], raw: '' }) : (await expandString(sh, r.target)) + '\n';
        next.stdin = InputStream.fromBytes(text);
        continue;
      }
      const target = await expandString(sh, r.target);
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') continue;
        const src = target === '1' ? next.stdout : target === '2' ? next.stderr : undefined;
        if (r.op === '>&' && !/^\d+$/.test(target)) {
          const out = fileOutput(sh, target, false, next);
          next.stdout = out;
          next.stderr = out;
          continue;
        }
        if (r.fd === 1 && src) next.stdout = src;
        else if (r.fd === 2 && src) next.stderr = src;
        continue;
      }
      if (r.op === '&>') {
        const out = fileOutput(sh, target, false, next);
        next.stdout = out;
        next.stderr = out;
        continue;
      }
      if (r.op === '<') {
        next.stdin = fileInput(sh, target);
        continue;
      }
      const out = fileOutput(sh, target, r.op === '>>', next);
      if (r.fd === 1) next.stdout = out;
      else if (r.fd === 2) next.stderr = out;
    } catch (e) {
      if (e instanceof FsError) {
        await sh.safeWrite(io.stderr, `${sh.name}: can't ${r.op === '<' ? 'open' : 'create'} ${e.path}: ${e.message}\n`);
        return undefined;
      }
      throw e;
    }
  }
  return { io: next, close: () => Promise.resolve() };
}

function fileOutput(sh: Shell, target: string, append: boolean, current: Io): OutputStream {
  if (target === '/dev/null') return nullOutput;
  if (target === '/dev/stdout' || target === '/proc/self/fd/1') return current.stdout;
  if (target === '/dev/stderr' || target === '/proc/self/fd/2') return current.stderr;
  // Writing to PID 1's output from `kubectl exec` lands in the container's log (a known trick).
  if (target === '/proc/1/fd/1' || target === '/proc/1/fd/2') return sh.sys.pid1Output(target.endsWith('1') ? 'stdout' : 'stderr');
  const path = normalizePath(sh.state.cwd, target);
  sh.fs.writeFile(path, new Uint8Array(), { append: true });
  if (!append) sh.fs.writeFile(path, new Uint8Array());
  return {
    write: (data) => {
      sh.fs.writeFile(path, typeof data === 'string' ? encode(data) : data, { append: true });
      return Promise.resolve();
    },
  };
}

function fileInput(sh: Shell, target: string): InputStream {
  if (target === '/dev/null') return InputStream.empty();
  return InputStream.fromBytes(sh.fs.readFile(normalizePath(sh.state.cwd, target)));
}

export async function evaluateCond(sh: Shell, e: CondExpr): Promise<boolean> {
  switch (e.t) {
    case 'and':
      return (await evaluateCond(sh, e.a)) && evaluateCond(sh, e.b);
    case 'or':
      return (await evaluateCond(sh, e.a)) || evaluateCond(sh, e.b);
    case 'not':
      return !(await evaluateCond(sh, e.a));
    case 'word':
      return (await expandString(sh, e.a)) !== '';
    case 'unary':
      return testExpression([e.op, await expandString(sh, e.a)], sh.fs, sh.state.cwd) === 0;
    case 'binary': {
      const a = await expandString(sh, e.a);
      if (e.op === '==' || e.op === '=' || e.op === '!=') {
        const m = globMatch(await expandPattern(sh, e.b), a);
        return e.op === '!=' ? !m : m;
      }
      const b = await expandString(sh, e.b);
      if (e.op === '=~') {
        const m = new RegExp(b).exec(a);
        for (const k of [...sh.state.vars.keys()]) if (k.startsWith('BASH_REMATCH[')) sh.state.vars.delete(k);
        if (!m) return false;
        m.forEach((g, i) => sh.state.set(`BASH_REMATCH[${i}]`, g ?? ''));
        return true;
      }
      if (e.op === '<') return a < b;
      if (e.op === '>') return a > b;
      return testExpression([a, e.op, b], sh.fs, sh.state.cwd) === 0;
    }
  }
}
