// $(( )) and (( )): integer arithmetic with C precedence, variables by bare name, and assignments.

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {}

type Tok = { k: 'num'; v: bigint } | { k: 'id'; v: string } | { k: 'op'; v: string };

const OPS = ['<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', '(', ')', ','];

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(s.slice(i));
    if (num) {
      const t = num[1];
      const v = /^0[xX]/.test(t) ? BigInt(t) : t.length > 1 && t.startsWith('0') ? BigInt('0o' + t.slice(1)) : BigInt(t);
      out.push({ k: 'num', v });
      i += t.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new ArithError(`arithmetic syntax error: "${s}"`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

const BINARY: [string[], number][] = [
  [['||'], 1],
  [['&&'], 2],
  [['|'], 3],
  [['^'], 4],
  [['&'], 5],
  [['==', '!='], 6],
  [['<', '<=', '>', '>='], 7],
  [['<<', '>>'], 8],
  [['+', '-'], 9],
  [['*', '/', '%'], 10],
  [['**'], 11],
];

export function evaluateArith(expr: string, vars: ArithVars): bigint {
  const toks = tokenize(expr);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string): boolean => {
    const t = toks[pos];
    return t?.k === 'op' && t.v === v;
  };
  const varValue = (name: string): bigint => {
    const raw = vars.get(name)?.trim();
    if (!raw) return 0n;
    if (/^-?\d+$/.test(raw)) return BigInt(raw);
    if (/^[A-Za-z_]\w*$/.test(raw)) return varValue(raw);
    return evaluateArith(raw, vars);
  };
  const binop = (op: string, a: bigint, b: bigint): bigint => {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
      case '%':
        if (b === 0n) throw new ArithError('arithmetic error: division by zero');
        return op === '/' ? a / b : a % b;
      case '**': return a ** b;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '<': return a < b ? 1n : 0n;
      case '<=': return a <= b ? 1n : 0n;
      case '>': return a > b ? 1n : 0n;
      case '>=': return a >= b ? 1n : 0n;
      case '==': return a === b ? 1n : 0n;
      case '!=': return a !== b ? 1n : 0n;
      case '&': return a & b;
      case '|': return a | b;
      case '^': return a ^ b;
      case '&&': return a && b ? 1n : 0n;
      case '||': return a || b ? 1n : 0n;
    }
    throw new ArithError(`arithmetic syntax error: unknown operator ${op}`);
  };

  function primary(): bigint {
    const t = peek();
    if (!t) throw new ArithError(`arithmetic syntax error: "${expr}"`);
    pos++;
    if (t.k === 'num') return t.v;
    if (t.k === 'id') {
      if (isOp('++') || isOp('--')) {
        const d = toks[pos++].v === '++' ? 1n : -1n;
        const old = varValue(t.v);
        vars.set(t.v, String(old + d));
        return old;
      }
      const assign = peek();
      if (assign?.k === 'op' && /^([-+*/%&|^]|<<|>>)?=$/.test(assign.v) && assign.v !== '==') {
        pos++;
        const rhs = assignment();
        const v = assign.v === '=' ? rhs : binop(assign.v.slice(0, -1), varValue(t.v), rhs);
        vars.set(t.v, String(v));
        return v;
      }
      return varValue(t.v);
    }
    switch (t.v) {
      case '(': {
        const v = comma();
        if (!isOp(')')) throw new ArithError(`arithmetic syntax error: missing ")"`);
        pos++;
        return v;
      }
      case '-': return -unary();
      case '+': return unary();
      case '!': return unary() ? 0n : 1n;
      case '~': return ~unary();
      case '++':
      case '--': {
        const id = peek();
        if (id?.k !== 'id') throw new ArithError('arithmetic syntax error: ++ needs a variable');
        pos++;
        const v = varValue(id.v) + (t.v === '++' ? 1n : -1n);
        vars.set(id.v, String(v));
        return v;
      }
    }
    throw new ArithError(`arithmetic syntax error: unexpected "${t.v}"`);
  }
  function unary(): bigint {
    return primary();
  }
  function binary(level: number): bigint {
    if (level >= BINARY.length) return unary();
    let a = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t?.k !== 'op' || !BINARY[level][0].includes(t.v)) return a;
      pos++;
      const b = t.v === '**' ? binary(level) : binary(level + 1);
      a = binop(t.v, a, b);
    }
  }
  function ternary(): bigint {
    const c = binary(0);
    if (!isOp('?')) return c;
    pos++;
    const a = assignment();
    if (!isOp(':')) throw new ArithError('arithmetic syntax error: missing ":"');
    pos++;
    const b = assignment();
    return c ? a : b;
  }
  function assignment(): bigint {
    return ternary();
  }
  function comma(): bigint {
    let v = assignment();
    while (isOp(',')) {
      pos++;
      v = assignment();
    }
    return v;
  }
  if (!toks.length) return 0n;
  const v = comma();
  if (pos < toks.length) throw new ArithError(`arithmetic syntax error: "${expr}"`);
  return BigInt.asIntN(64, v);
}
