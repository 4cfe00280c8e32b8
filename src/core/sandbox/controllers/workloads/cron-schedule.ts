// Cron schedules as robfig/cron's standard parser reads them (what the CronJob controller uses):
// five fields with ranges, steps, names and */?, the @yearly/@monthly/@weekly/@daily/@hourly and
// @every descriptors, an optional "TZ=" / "CRON_TZ=" prefix, next-time computation in an IANA zone.

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS: [number, number, Record<string, number>?][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, MONTHS],
  [0, 6, DAYS],
];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  /** The first activation strictly after `after`. */
  next(after: Date): Date | undefined;
  timeZone: string | undefined;
}

interface Field {
  values: Set<number>;
  /** Written as * or ?: day-of-month and day-of-week then combine with AND instead of OR. */
  star: boolean;
}

function parseField(expr: string, [min, max, names]: [number, number, Record<string, number>?]): Field {
  const values = new Set<number>();
  let star = false;
  const value = (s: string) => {
    const named = names?.[s.toLowerCase()];
    if (named !== undefined) return named;
    if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
    return Number(s);
  };
  for (const part of expr.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [min, max];
      if (step === 1) star = true;
    } else {
      const [a, b] = range.split('-');
      start = value(a);
      end = b !== undefined ? value(b) : stepText !== undefined ? max : start;
    }
    if (start < min || end > max || start > end) throw new Error(`range ${part} out of bounds [${min}, ${max}]`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

/** Wall-clock fields of an instant in a zone (undefined: UTC). */
function wallClock(date: Date, timeZone: string | undefined): { y: number; mo: number; d: number; h: number; mi: number; dow: number } {
  if (!timeZone) {
    return { y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(), dow: date.getUTCDay() };
  }
  const parts = formatter(timeZone).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const y = get('year');
  const mo = get('month');
  const d = get('day');
  return { y, mo, d, h: get('hour') % 24, mi: get('minute'), dow: new Date(Date.UTC(y, mo - 1, d)).getUTCDay() };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Parses a schedule; `timeZone` (spec.timeZone) applies unless the schedule carries its own TZ=. */
export function parseCronSchedule(spec: string, timeZone?: string): CronSchedule {
  let text = spec.trim();
  let zone = timeZone && timeZone !== 'UTC' && timeZone !== 'Etc/UTC' ? timeZone : undefined;
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(text);
  if (tz) {
    zone = tz[1] === 'UTC' ? undefined : tz[1];
    text = tz[2].trim();
  }
  if (zone && !isValidTimeZone(zone)) throw new Error(`provided bad location ${zone}: unknown time zone ${zone}`);
  const every = /^@every\s+(.+)$/.exec(text);
  if (every) {
    const ms = parseGoDuration(every[1]);
    // robfig rounds @every to whole seconds, at least one.
    const period = Math.max(1000, Math.floor(ms / 1000) * 1000);
    return { timeZone: zone, next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + period) };
  }
  if (text.startsWith('@')) {
    const expanded = DESCRIPTORS[text];
    if (!expanded) throw new Error(`unrecognized descriptor: ${text}`);
    text = expanded;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]));
  const dayMatches = (w: { d: number; dow: number }) => {
    const domOk = dom.values.has(w.d);
    const dowOk = dow.values.has(w.dow);
    return dom.star || dow.star ? domOk && dowOk : domOk || dowOk;
  };
  return {
    timeZone: zone,
    next(after) {
      // Minute by minute, skipping whole days or hours that cannot match; five years at most.
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
      while (t <= limit) {
        const w = wallClock(new Date(t), zone);
        if (!month.values.has(w.mo) || !dayMatches(w)) {
          t += (24 * 60 - (w.h * 60 + w.mi)) * 60_000;
          continue;
        }
        if (!hour.values.has(w.h)) {
          t += (60 - w.mi) * 60_000;
          continue;
        }
        if (!minute.values.has(w.mi)) {
          t += 60_000;
          continue;
        }
        return new Date(t);
      }
      return undefined;
    },
  };
}

function parseGoDuration(text: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3600_000 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * unit[m[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) throw new Error(`failed to parse duration ${text}`);
  return total;
}
