// Small helpers shared by the simulated tools.
import type { ProgramContext } from '../shell/system.js';
import { InputStream, decode } from '../shell/io.js';
import { FsError, normalizePath } from '../vfs.js';

export async function out(ctx: ProgramContext, text: string): Promise<void> {
  await ctx.stdout.write(text);
}

export async function err(ctx: ProgramContext, text: string): Promise<void> {
  await ctx.stderr.write(text);
}

export function toolName(ctx: ProgramContext): string {
  return (ctx.argv[0] ?? '').split('/').pop() ?? '';
}

/** Splits "-abc" style flags from operands; flags taking a value are listed in withValue. */
export function parseArgs(argv: string[], withValue: string[] = []): { flags: Map<string, string>; rest: string[] } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(0, eq), a.slice(eq + 1));
      else if (withValue.includes(a)) flags.set(a, argv[++i] ?? '');
      else flags.set(a, '');
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d+$/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const f = '-' + a[j];
        if (withValue.includes(f)) {
          flags.set(f, a.slice(j + 1) || (argv[++i] ?? ''));
          break;
        }
        flags.set(f, '');
      }
      continue;
    }
    rest.push(a);
  }
  return { flags, rest };
}

/** The content of each operand ("-" or none: stdin), reporting missing files busybox's way. */
export async function* inputs(ctx: ProgramContext, files: string[], onError: (file: string, e: FsError) => Promise<void>): AsyncGenerator<{ name: string; stream: InputStream }> {
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      yield { name: '-', stream: ctx.stdin };
      continue;
    }
    try {
      yield { name: f, stream: InputStream.fromBytes(ctx.sys.fs.readFile(normalizePath(ctx.cwd, f))) };
    } catch (e) {
      if (e instanceof FsError) await onError(f, e);
      else throw e;
    }
  }
}

export async function readText(stream: InputStream, ctx: ProgramContext): Promise<string> {
  return decode(await ctx.proc.race(stream.readAll()));
}

export function fsPath(ctx: ProgramContext, p: string): string {
  return normalizePath(ctx.cwd, p);
}
