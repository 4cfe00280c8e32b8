// A small, strict flag parser: every flag is declared, unknown ones are errors with a hint, values
// are typed. (The sandbox is run by learners: a typo must say what went wrong, not be ignored.)

export type FlagType = 'string' | 'int' | 'bool' | 'list';

export interface FlagSpec {
  type: FlagType;
  description: string;
  default?: string | number | boolean | string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

export function parseFlags(argv: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      const close = Object.keys(specs).find((k) => editDistance(k, name) <= 2);
      throw new UsageError(`unknown flag --${name}${close ? ` (did you mean --${close}?)` : ''}`);
    }
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (spec.type === 'bool') {
      out[name] = value === undefined ? true : parseBool(name, value);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`flag --${name} needs a value`);
    }
    if (spec.type === 'int') {
      if (!/^\d+$/.test(value)) throw new UsageError(`flag --${name} must be a whole number, got "${value}"`);
      out[name] = Number(value);
    } else if (spec.type === 'list') {
      out[name] = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
    } else {
      out[name] = value;
    }
  }
  return out;
}

function parseBool(name: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`flag --${name} must be true or false, got "${value}"`);
}

export function usage(command: string, summary: string, specs: Record<string, FlagSpec>): string {
  const lines = [`Usage: kubedesk ${command} [flags]`, '', summary, '', 'Flags:'];
  for (const [name, spec] of Object.entries(specs)) {
    const def = spec.default === undefined ? '' : ` (default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`;
    lines.push(`  --${name}${spec.type === 'bool' ? '' : ' ' + spec.type.toUpperCase()}`.padEnd(30) + spec.description + def);
  }
  return lines.join('\n');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
