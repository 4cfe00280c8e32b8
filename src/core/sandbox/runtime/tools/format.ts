// Date formatting as busybox's date and strftime print it (UTC: containers have no TZ data by default).
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number): string => String(n).padStart(2, '0');

export function strftime(fmt: string, d: Date): string {
  return fmt.replace(/%([a-zA-Z%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return p2(d.getUTCFullYear() % 100);
      case 'm': return p2(d.getUTCMonth() + 1);
      case 'd': return p2(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'H': return p2(d.getUTCHours());
      case 'I': return p2(d.getUTCHours() % 12 || 12);
      case 'M': return p2(d.getUTCMinutes());
      case 'S': return p2(d.getUTCSeconds());
      case 'N': return String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0');
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'a': return DAYS[d.getUTCDay()].slice(0, 3);
      case 'A': return DAYS[d.getUTCDay()];
      case 'b': case 'h': return MONTHS[d.getUTCMonth()].slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()];
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'j': return String(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, '0');
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 'T': return strftime('%H:%M:%S', d);
      case 'D': return strftime('%m/%d/%y', d);
      case 'F': return strftime('%Y-%m-%d', d);
      case 'R': return strftime('%H:%M', d);
      case 'c': return strftime('%a %b %e %H:%M:%S %Y', d);
      case 'u': return String(d.getUTCDay() || 7);
      case 'w': return String(d.getUTCDay());
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
    }
    return '%' + c;
  });
}

/** busybox `date` default: "Tue Nov 24 20:00:00 UTC 2026". */
export function busyboxDate(d: Date): string {
  return strftime('%a %b %e %H:%M:%S UTC %Y', d);
}

export function formatBytesHuman(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v < 10 ? v.toFixed(1) : String(Math.round(v))) + units[i];
}

/** printf's format language (%s %d %i %x %o %f %c %b %%, widths, precision), reused until args run out. */
export function printfFormat(fmt: string, args: string[]): string {
  let out = '';
  let ai = 0;
  const unescape = (s: string): string =>
    s.replace(/\\(0[0-7]{0,3}|[\\abfnrtv"']|x[0-9a-fA-F]{1,2})/g, (_m, e: string) => {
      const map: Record<string, string> = { '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', "'": "'" };
      if (e[0] === '0') return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      return map[e] ?? e;
    });
  do {
    out += fmt.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdiouxXfeEgGcb%])|\\(0[0-7]{0,3}|[\\abfnrtv"']|x[0-9a-fA-F]{1,2})/g, (m, flags: string, width: string | undefined, prec: string | undefined, conv: string | undefined) => {
      if (m.startsWith('\\')) return unescape(m);
      if (conv === '%') return '%';
      if (width === '*') width = args[ai++] ?? '0';
      const arg = args[ai++] ?? '';
      let s: string;
      switch (conv) {
        case 'd': case 'i': case 'u': s = String(Math.trunc(Number(arg) || 0)); break;
        case 'o': s = (Math.trunc(Number(arg)) >>> 0).toString(8); break;
        case 'x': s = (Math.trunc(Number(arg)) >>> 0).toString(16); break;
        case 'X': s = (Math.trunc(Number(arg)) >>> 0).toString(16).toUpperCase(); break;
        case 'f': case 'F': s = (Number(arg) || 0).toFixed(prec === undefined ? 6 : Number(prec)); break;
        case 'e': case 'E': s = (Number(arg) || 0).toExponential(prec === undefined ? 6 : Number(prec)); break;
        case 'g': case 'G': s = String(Number(arg) || 0); break;
        case 'c': s = arg.slice(0, 1); break;
        case 'b': s = unescape(arg); break;
        default: s = prec !== undefined ? arg.slice(0, Number(prec)) : arg;
      }
      if (flags.includes('+') && /[dif]/.test(conv ?? '') && !s.startsWith('-')) s = '+' + s;
      const w = Number(width ?? 0);
      if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && /[dioxXf]/.test(conv ?? '') ? s.padStart(w, '0') : s.padStart(w);
      return s;
    });
  } while (ai > 0 && ai < args.length && /%[^%]/.test(fmt));
  return out;
}
