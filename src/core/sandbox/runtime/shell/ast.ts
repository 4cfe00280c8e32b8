// The simulated shell's syntax tree. Words keep their quoting so expansion knows what to split.

export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; op?: string; arg?: Word; arg2?: Word; q: boolean }
  | { t: 'cmd'; body: List; q: boolean }
  | { t: 'arith'; expr: Word; q: boolean };

export interface Word {
  parts: WordPart[];
  /** Source text, for reserved words and error messages. */
  raw: string;
}

export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<' | '<<<' | '>|' | '<>' | '&>';
  target: Word;
  /** Here-document body (already a word; literal when the delimiter was quoted). */
  heredoc?: Word;
  stripTabs?: boolean;
}

export interface Assign {
  name: string;
  value: Word;
  append: boolean;
}

export type Command =
  | { t: 'simple'; assigns: Assign[]; words: Word[]; redirs: Redir[] }
  | { t: 'if'; clauses: { cond: List; body: List }[]; otherwise?: List; redirs: Redir[] }
  | { t: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { t: 'for'; name: string; items?: Word[]; body: List; redirs: Redir[] }
  | { t: 'case'; word: Word; items: { patterns: Word[]; body: List }[]; redirs: Redir[] }
  | { t: 'group'; body: List; subshell: boolean; redirs: Redir[] }
  | { t: 'func'; name: string; body: Command; redirs: Redir[] }
  | { t: 'cond'; expr: CondExpr; redirs: Redir[] }
  | { t: 'arithcmd'; expr: Word; redirs: Redir[] };

/** `[[ ... ]]` expressions. */
export type CondExpr =
  | { t: 'and' | 'or'; a: CondExpr; b: CondExpr }
  | { t: 'not'; a: CondExpr }
  | { t: 'unary'; op: string; a: Word }
  | { t: 'binary'; op: string; a: Word; b: Word }
  | { t: 'word'; a: Word };

export interface Pipeline {
  negate: boolean;
  cmds: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; p: Pipeline }[];
}

export interface List {
  items: { ao: AndOr; bg: boolean }[];
}

export class ShellSyntaxError extends Error {}
