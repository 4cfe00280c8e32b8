// `kubectl exec -it ... -- sh`: a terminal line discipline (echo, backspace, ^C, ^D, CRLF output)
// in front of the shell, reading one command line at a time.
import { InputStream, decode, encode, type OutputStream } from './io.js';
import type { Io, Shell } from './interpreter.js';
import { parseScript } from './parser.js';
import { ShellSyntaxError } from './ast.js';
import { ExitSignal } from './state.js';

function crlf(outStream: OutputStream): OutputStream {
  return { write: (data) => outStream.write((typeof data === 'string' ? data : decode(data)).replace(/\r?\n/g, '\r\n')) };
}

export function prompt(shell: Shell): string {
  const cwd = shell.state.cwd;
  if (shell.sys.os === 'debian' || shell.sys.os === 'ubuntu') return `root@${shell.sys.hostname}:${cwd}# `;
  return `${cwd === '/root' ? '~' : cwd} # `;
}

export async function runInteractive(shell: Shell, rawIo: Io): Promise<number> {
  const stdout = crlf(rawIo.stdout);
  const stderr = crlf(rawIo.stderr);
  const lines: (string | null)[] = [];
  let wake: (() => void) | undefined;
  let running = false;
  let current = '';
  const push = (l: string | null): void => {
    lines.push(l);
    wake?.();
  };
  // A fresh view per reader: ^D ends the input of the running command, not the shell's.
  const cooked = (): InputStream =>
    new InputStream(async () => {
      while (!lines.length) await new Promise<void>((r) => (wake = r));
      const l = lines.shift();
      return l === null || l === undefined ? null : encode(l + '\n');
    });
  // The discipline runs concurrently with the shell: ^C must reach a running command.
  void (async () => {
    for (;;) {
      const chunk = await rawIo.stdin.read().catch(() => null);
      if (chunk === null) {
        push(null);
        return;
      }
      // Cursor and function keys (ESC [ A...) are not edited: drop them rather than echo garbage.
      for (const ch of decode(chunk).replace(/\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/g, '')) {
        if (ch === '\r' || ch === '\n') {
          await rawIo.stdout.write('\r\n');
          push(current);
          current = '';
        } else if (ch === '\x7f' || ch === '\b') {
          if (current) {
            current = current.slice(0, -1);
            await rawIo.stdout.write('\b \b');
          }
        } else if (ch === '\x03') {
          await rawIo.stdout.write('^C\r\n');
          current = '';
          if (running) for (const c of shell.proc.children) c.signal(2);
          else push('');
        } else if (ch === '\x04') {
          if (!current) push(null);
        } else if (ch === '\x15') {
          await rawIo.stdout.write('\b \b'.repeat(current.length));
          current = '';
        } else if (ch >= ' ' || ch === '\t') {
          current += ch;
          await rawIo.stdout.write(ch);
        }
      }
    }
  })();
  const io = (): Io => ({ stdin: cooked(), stdout, stderr });
  for (;;) {
    await rawIo.stdout.write(prompt(shell));
    const line = await shell.proc.race(cooked().readLine());
    if (line === null) {
      await rawIo.stdout.write('exit\r\n');
      return shell.finish(shell.state.status, io());
    }
    if (!line.trim()) continue;
    running = true;
    try {
      shell.state.status = await shell.execList(parseScript(line), { io: io(), cond: false });
    } catch (e) {
      if (e instanceof ExitSignal) return shell.finish(e.code, io());
      if (e instanceof ShellSyntaxError) {
        await stderr.write(`${shell.name}: ${e.message}\n`);
        shell.state.status = 2;
      } else shell.state.status = await shell.topLevelError(e, io());
    } finally {
      running = false;
    }
  }
}
