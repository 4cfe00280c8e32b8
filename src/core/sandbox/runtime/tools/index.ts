// The programs an image provides, by name, and which exist in which base image.
import type { Program } from '../shell/system.js';
import type { OsFlavor } from '../shell/system.js';
import { basicTools } from './basic.js';
import { fileTools } from './files.js';
import { textTools } from './text.js';
import { netTools } from './net.js';
import { interpreterTools } from './interpreters.js';

const all: Record<string, Program> = { ...basicTools, ...fileTools, ...textTools, ...netTools, ...interpreterTools };

/** Not in Debian's slim base (procps, iputils, dnsutils, wget and curl are separate packages). */
const notInDebian = new Set(['ping', 'nslookup', 'wget', 'curl', 'ps', 'free', 'ash', 'stress', 'perl', 'python', 'python3', 'nc', 'ncat']);
/** Busybox has no bash, perl or python (nor getent, which Alpine's musl-utils and Debian's libc-bin have). */
const notInBusybox = new Set(['bash', 'perl', 'python', 'python3', 'curl', 'stress', 'ncat']);

export function toolsFor(os: OsFlavor, extra: string[] = []): Map<string, Program> {
  const m = new Map<string, Program>();
  if (os === 'distroless') return m;
  const skip = os === 'debian' || os === 'ubuntu' ? notInDebian : notInBusybox;
  for (const [k, v] of Object.entries(all)) if ((!skip.has(k) && !(os === 'busybox' && k === 'getent')) || extra.includes(k)) m.set(k, v);
  return m;
}

export function tool(name: string): Program | undefined {
  return all[name];
}
