// Go value formats the Kubernetes JSON encoding uses for its well-known types: metav1.Time (RFC 3339,
// seconds), metav1.MicroTime (RFC 3339, microseconds) and metav1.Duration (time.Duration.String()).

const NS_PER_SECOND = 1_000_000_000n;

function isoSeconds(seconds: bigint): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new RangeError(`timestamp ${seconds}s is out of range`);
  return date.toISOString().slice(0, 19);
}

/** metav1.Time as JSON: UTC, second precision (Go drops the nanoseconds when writing JSON). */
export function formatTime(seconds: bigint): string {
  return `${isoSeconds(seconds)}Z`;
}

/** metav1.MicroTime as JSON: UTC with exactly six fractional digits. */
export function formatMicroTime(seconds: bigint, nanos: number): string {
  return `${isoSeconds(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp into Unix seconds and nanoseconds, as Go's time.Parse(RFC3339) does. */
export function parseTime(text: string): { seconds: bigint; nanos: number } {
  const match = RFC3339.exec(text);
  if (!match) throw new RangeError(`"${text}" is not an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  const [, day, clock, fraction, zone] = match;
  const millis = Date.parse(`${day}T${clock}${zone.toUpperCase()}`);
  if (Number.isNaN(millis)) throw new RangeError(`"${text}" is not a valid date`);
  const nanos = fraction ? Number(fraction.slice(1, 10).padEnd(9, '0')) : 0;
  return { seconds: BigInt(Math.floor(millis / 1000)), nanos };
}

function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** time.Duration.String(): "0s", "1.5µs", "250ms", "1m30s", "1h0m0s". */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 1000n)}µs`;
  if (u < NS_PER_SECOND) return `${sign}${withFraction(u, 1_000_000n)}ms`;
  const hours = u / (3600n * NS_PER_SECOND);
  const minutes = (u / (60n * NS_PER_SECOND)) % 60n;
  const secondsNs = u % (60n * NS_PER_SECOND);
  let out = sign;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  return `${out}${withFraction(secondsNs, NS_PER_SECOND)}s`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: NS_PER_SECOND,
  m: 60n * NS_PER_SECOND,
  h: 3600n * NS_PER_SECOND,
};

/** time.ParseDuration: "1h30m", "1.5s", "-250ms", "0". Returns nanoseconds. */
export function parseDuration(text: string): bigint {
  const fail = (): never => {
    throw new RangeError(`"${text}" is not a Go duration such as 1h0m0s, 30s or 250ms`);
  };
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') fail();
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const match = part.exec(rest);
    if (!match || (match[1] === '' && !match[2])) return fail();
    const unit = UNITS[match[3]];
    total += BigInt(match[1] || '0') * unit;
    if (match[2]) total += (BigInt(match[2]) * unit) / 10n ** BigInt(match[2].length);
    rest = rest.slice(match[0].length);
  }
  return negative ? -total : total;
}
