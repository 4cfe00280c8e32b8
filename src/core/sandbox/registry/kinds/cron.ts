// Cron schedule syntax as robfig/cron's ParseStandard (what CronJob validation uses), returning the
// same error texts.

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  return Number(expr);
}

function parseRange(expr: string, bounds: Bounds): void {
  const [rangePart, stepPart, ...extraStep] = expr.split('/');
  const lowAndHigh = rangePart.split('-');
  if (extraStep.length > 0) throw new Error(`too many slashes: ${expr}`);
  if (lowAndHigh.length > 2) throw new Error(`too many hyphens: ${expr}`);
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1], bounds) : start;
  }
  if (stepPart !== undefined) {
    const step = Number(stepPart);
    if (!/^\d+$/.test(stepPart)) throw new Error(`failed to parse int from ${stepPart}: strconv.Atoi: parsing ${JSON.stringify(stepPart)}: invalid syntax`);
    if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  }
  if (start < bounds.min) throw new Error(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new Error(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
}

/** Undefined when the schedule parses; otherwise robfig/cron's error text. */
export function cronScheduleError(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed.length === 0) return 'empty spec string';
  if (trimmed.startsWith('@')) {
    if (DESCRIPTORS.has(trimmed)) return undefined;
    if (trimmed.startsWith('@every ')) return /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(trimmed) ? undefined : `failed to parse duration ${trimmed}`;
    return `unrecognized descriptor: ${trimmed}`;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    fields.forEach((field, i) => {
      for (const part of field.split(',')) parseRange(part, FIELDS[i]);
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}
