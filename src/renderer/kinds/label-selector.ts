// Label selectors as kubectl -l takes them: `app=web,tier!=db,env in (a,b),env notin (c),release,!canary`.
export type Requirement =
  | { key: string; op: 'exists' | 'absent' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type Selector = Requirement[];

/** Parses a selector; throws with what is wrong so the filter box can say it. */
export function parseSelector(text: string): Selector {
  const out: Selector = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) out.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) });
    else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part))) out.push({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
    else if ((m = /^!([\w./-]+)$/.exec(part))) out.push({ key: m[1], op: 'absent' });
    else if ((m = /^([\w./-]+)$/.exec(part))) out.push({ key: m[1], op: 'exists' });
    else throw new Error(`"${part}" is not a label requirement (key=value, key!=value, key in (a,b), key, !key)`);
  }
  return out;
}

export function matches(selector: Selector, labels: Record<string, string> | undefined): boolean {
  for (const r of selector) {
    const v = labels?.[r.key];
    if (r.op === 'exists' && v === undefined) return false;
    if (r.op === 'absent' && v !== undefined) return false;
    if (r.op === 'in' && (v === undefined || !r.values.includes(v))) return false;
    if (r.op === 'notin' && v !== undefined && r.values.includes(v)) return false;
  }
  return true;
}
