// Helpers for the kubectl integration suites: manifests on disk (kubectl prints the file name in its
// errors), tables read by column position (so a misaligned layout fails), and patient polling.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandResult, RunningSandbox } from './harness.js';
import { kubectlFor } from './harness.js';

export type Kubectl = ReturnType<typeof kubectlFor>;

/** Writes `text` as `<dataDir>/manifests/<name>` and returns its absolute path. */
export async function manifest(sandbox: RunningSandbox, name: string, text: string): Promise<string> {
  const dir = join(sandbox.dataDir, 'manifests');
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs kubectl and fails with its whole output when it does not exit 0. */
export async function ok(kubectl: Kubectl, args: string[], options: { stdin?: string } = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}

/** Runs kubectl expecting a failure; returns stderr (trimmed). */
export async function fails(kubectl: Kubectl, args: string[], options: { stdin?: string } = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code === 0) throw new Error(`kubectl ${args.join(' ')} succeeded but should have failed\nstdout: ${result.stdout}`);
  return result.stderr.trim();
}

export interface Table {
  headers: string[];
  rows: Record<string, string>[];
}

/**
 * Reads kubectl's column output by the header's column offsets, as a reader's eye does: a value that
 * does not start under its header ends up in the wrong cell and the assertion fails.
 */
export function table(output: string): Table {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return { headers: [], rows: [] };
  const header = lines[0];
  const starts: number[] = [];
  const headers: string[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) {
    starts.push(m.index);
    headers.push(m[0]);
  }
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    headers.forEach((h, i) => {
      const cell = line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined);
      // A cell must not spill into the separator before the next column.
      if (i + 1 < starts.length && cell.length > 0 && !/\s$/.test(cell) && line.length > starts[i + 1]) {
        throw new Error(`column ${h} is not aligned in:\n${output}`);
      }
      row[h] = cell.trim();
    });
    return row;
  });
  return { headers, rows };
}

/** kubectl's AGE column: "0s", "12s", "3m4s", "5m", "2d3h"... */
export const AGE = /^(\d+[smhdy])+$/;

export async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function jsonOf<T = Record<string, unknown>>(result: CommandResult | string): T {
  return JSON.parse(typeof result === 'string' ? result : result.stdout) as T;
}

/** Lines that look like a JavaScript stack frame: never shown to a user. */
export const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
