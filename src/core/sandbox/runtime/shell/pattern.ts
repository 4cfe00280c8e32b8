// Shell glob patterns (case, ${x#pat}, [[ == ]], pathname expansion) compiled to regular expressions.
// A backslash in a pattern escapes the next character: expansion uses it to mark quoted text.

export function globToRegexSource(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i]);
    } else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!') || body.startsWith('^')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\').replace(/\[:(\w+):\]/g, (_m, cls: string) => posixClass(cls)) + ']';
      i = end;
    } else re += escapeRegex(c);
  }
  return re;
}

function posixClass(cls: string): string {
  const map: Record<string, string> = { alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r', xdigit: '0-9A-Fa-f', punct: '!-/:-@\\[-`{-~' };
  return map[cls] ?? '';
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

export function escapeGlob(s: string): string {
  return s.replace(/[*?[\\\]]/g, '\\$&');
}

export function globMatch(pattern: string, text: string): boolean {
  return new RegExp('^' + globToRegexSource(pattern) + '$').test(text);
}

export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if ('*?['.includes(pattern[i])) return true;
  }
  return false;
}

/** ${x#p} ${x##p} ${x%p} ${x%%p}. */
export function removeAffix(value: string, pattern: string, op: string): string {
  const src = globToRegexSource(pattern);
  if (op === '#' || op === '##') {
    const lens = [...Array(value.length + 1).keys()];
    if (op === '##') lens.reverse();
    for (const n of lens) if (new RegExp('^' + src + '$').test(value.slice(0, n))) return value.slice(n);
    return value;
  }
  const starts = [...Array(value.length + 1).keys()];
  if (op === '%') starts.reverse();
  for (const n of starts) if (new RegExp('^' + src + '$').test(value.slice(n))) return value.slice(0, n);
  return value;
}

export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  let anchor = '';
  if (pattern.startsWith('#') || pattern.startsWith('%')) {
    anchor = pattern[0];
    pattern = pattern.slice(1);
  }
  const src = globToRegexSource(pattern);
  // Shell patterns match the longest text; a greedy regex does the same.
  const re = new RegExp(anchor === '#' ? '^' + src : anchor === '%' ? src + '$' : src, all ? 'g' : '');
  return value.replace(re, () => replacement);
}
