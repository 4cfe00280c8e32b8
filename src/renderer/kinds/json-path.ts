// The subset of kubectl's JSONPath that CRD printer columns use: `.a.b`, `[0]`, `[*]` and
// `[?(@.type=="Ready")]` filters. Answers every match (kubectl prints them comma-separated).

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(path: string): Step[] {
  const steps: Step[] = [];
  const src = path.trim().replace(/^\{|\}$/g, '').replace(/^\$/, '');
  let i = 0;
  while (i < src.length) {
    if (src[i] === '.') {
      i++;
      let name = '';
      while (i < src.length && src[i] !== '.' && src[i] !== '[') name += src[i++];
      if (name) steps.push({ field: name });
    } else if (src[i] === '[') {
      const end = src.indexOf(']', src.startsWith('[?(', i) ? src.indexOf(')', i) : i);
      const inner = src.slice(i + 1, end < 0 ? src.length : end);
      i = end < 0 ? src.length : end + 1;
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^['"].*['"]$/.test(inner)) steps.push({ field: inner.slice(1, -1) });
      else {
        const m = /^\?\(@\.([\w.-]+)\s*==\s*['"]?([^'"]*)['"]?\)$/.exec(inner);
        if (m) steps.push({ filter: { path: m[1].split('.'), value: m[2] } });
      }
    } else {
      let name = '';
      while (i < src.length && src[i] !== '.' && src[i] !== '[') name += src[i++];
      if (name) steps.push({ field: name });
    }
  }
  return steps;
}

const cache = new Map<string, Step[]>();

export function jsonPath(obj: unknown, path: string): unknown[] {
  let steps = cache.get(path);
  if (!steps) cache.set(path, (steps = parse(path)));
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      if ('field' in step) {
        const f = (v as Record<string, unknown>)[step.field];
        if (f !== undefined) next.push(f);
      } else if ('index' in step) {
        if (Array.isArray(v)) {
          const item = v[step.index < 0 ? v.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        }
      } else if ('all' in step) {
        next.push(...(Array.isArray(v) ? v : Object.values(v)));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          let probe: unknown = item;
          for (const p of step.filter.path) probe = probe !== null && typeof probe === 'object' ? (probe as Record<string, unknown>)[p] : undefined;
          if (probe !== undefined && String(probe) === step.filter.value) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
