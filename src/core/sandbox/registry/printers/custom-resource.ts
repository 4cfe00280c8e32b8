// Tables for custom resources: a CRD version's additionalPrinterColumns evaluated with the simple
// JSONPath subset CRDs use (.spec.x, .status.y[0].z, .metadata.labels['a.b/c'],
// .status.conditions[?(@.type=="Ready")].status), or just Age.
import type { KubeObject } from '../../../../shared/kube.js';
import type { TableColumnDefinition, TablePrinter } from '../types.js';
import { DOC } from './descriptions.js';
import { since } from './duration.js';
import { NAME_COLUMN, nameOf, type ColumnType } from './table.js';

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

type Step =
  | { field: string }
  | { index: number }
  | { wildcard: true }
  | { filter: { path: string[]; op: '==' | '!=' | 'exists'; value?: string | number } };

const FILTER = /^\?\(\s*@((?:\.[A-Za-z0-9_\-$]+)+)\s*(?:(==|!=)\s*('[^']*'|"[^"]*"|-?\d+(?:\.\d+)?))?\s*\)$/;

function parseFilter(inner: string): Step | undefined {
  const m = FILTER.exec(inner);
  if (!m) return undefined;
  const path = m[1].slice(1).split('.');
  if (!m[2]) return { filter: { path, op: 'exists' } };
  const literal = m[3];
  const value = /^['"]/.test(literal) ? literal.slice(1, -1) : Number(literal);
  return { filter: { path, op: m[2] as '==' | '!=', value } };
}

function filterMatches(item: unknown, f: { path: string[]; op: '==' | '!=' | 'exists'; value?: string | number }): boolean {
  let cur: unknown = item;
  for (const part of f.path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !(part in cur)) return f.op === '!=';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (f.op === 'exists') return true;
  const equal = cur === f.value;
  return f.op === '==' ? equal : !equal;
}

/** Parse ".a.b[0]['c.d'][*]" into steps; undefined when outside the supported subset. */
export function parseJsonPath(path: string): Step[] | undefined {
  let s = path.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^[A-Za-z0-9_\-$]+/.exec(s.slice(i + 1));
      if (!m) {
        if (i + 1 === s.length) return steps;
        return undefined;
      }
      steps.push({ field: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) return undefined;
      const inner = s.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ wildcard: true });
      else if (inner.startsWith('?')) {
        const step = parseFilter(inner);
        if (!step) return undefined;
        steps.push(step);
      }
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ field: inner.slice(1, -1) });
      else return undefined;
      i = end + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

/** The first result, as client-go's jsonpath FindResults()[0][0]; undefined when missing. */
function evaluate(steps: Step[], data: unknown): unknown {
  let current: unknown[] = [data];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ('field' in step) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && step.field in value) {
          next.push((value as Record<string, unknown>)[step.field]);
        }
      } else if (Array.isArray(value)) {
        if ('wildcard' in step) next.push(...value);
        else if ('filter' in step) next.push(...value.filter((item) => filterMatches(item, step.filter)));
        else {
          const idx = step.index < 0 ? value.length + step.index : step.index;
          if (idx >= 0 && idx < value.length) next.push(value[idx]);
        }
      }
    }
    current = next;
  }
  return current.length > 0 ? current[0] : undefined;
}

/** jsonpath PrintResults for one value: objects and arrays as JSON, scalars as text. */
function printValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function cell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return printValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : since(value, now);
    default:
      return null;
  }
}

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: DOC['ObjectMeta.creationTimestamp'],
  jsonPath: '.metadata.creationTimestamp',
};

function readColumns(crdVersion: unknown): PrinterColumn[] {
  const v = typeof crdVersion === 'object' && crdVersion !== null ? (crdVersion as Record<string, unknown>) : {};
  const cols = Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : [];
  const out: PrinterColumn[] = [];
  for (const c of cols) {
    if (typeof c !== 'object' || c === null) continue;
    const r = c as Record<string, unknown>;
    if (typeof r.name !== 'string' || typeof r.type !== 'string' || typeof r.jsonPath !== 'string') continue;
    out.push({
      name: r.name,
      type: r.type,
      format: typeof r.format === 'string' ? r.format : undefined,
      description: typeof r.description === 'string' ? r.description : undefined,
      priority: typeof r.priority === 'number' ? r.priority : undefined,
      jsonPath: r.jsonPath,
    });
  }
  return out.length > 0 ? out : [AGE];
}

/**
 * The printer for a custom resource, given the CRD's entry in spec.versions for the served
 * version. Like apiextensions-apiserver, an unparsable column ends the column list there.
 */
export function printerForCustomResource(crdVersion: unknown): TablePrinter {
  const columns: TableColumnDefinition[] = [NAME_COLUMN];
  const paths: { type: string; steps: Step[] }[] = [];
  for (const col of readColumns(crdVersion)) {
    const steps = parseJsonPath(col.jsonPath);
    if (!steps) break;
    columns.push({
      name: col.name,
      type: col.type as ColumnType,
      format: col.format ?? '',
      description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: col.priority ?? 0,
    });
    paths.push({ type: col.type, steps });
  }
  return {
    columns,
    cells: (obj: KubeObject, now: Date) => [nameOf(obj), ...paths.map((p) => cell(p.type, evaluate(p.steps, obj), now))],
  };
}
