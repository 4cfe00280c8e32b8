// klog, the log format of Kubernetes' Go components.
import type { ProgramContext } from '../shell/system.js';
import { strftime } from '../tools/format.js';

let lastMs = -1;
let micros = 0;

/** Microseconds within the millisecond `at`, increasing while it lasts: lines of one burst stay in order. */
export function subMillisecond(at: Date): number {
  if (at.getTime() !== lastMs) {
    lastMs = at.getTime();
    micros = 100 + Math.floor(Math.random() * 300);
  } else micros = Math.min(999, micros + 1 + Math.floor(Math.random() * 40));
  return micros;
}

/** klog's header: "I1124 22:25:35.123456       1 file.go:42] ". */
export function klog(ctx: ProgramContext, severity: 'I' | 'W' | 'E', where: string, message: string): string {
  const now = ctx.sys.clock.now();
  const micros = String(now.getUTCMilliseconds() * 1000 + subMillisecond(now)).padStart(6, '0');
  return `${severity}${strftime('%m%d %H:%M:%S', now)}.${micros}       1 ${where}] ${message}`;
}

