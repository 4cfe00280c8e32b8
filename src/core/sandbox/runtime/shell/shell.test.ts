import { describe, expect, it } from 'vitest';
import { sh } from '../test-helpers.js';

describe('simulated shell: quoting and expansions', () => {
  it('expands variables, defaults, lengths, patterns and positional parameters', async () => {
    const r = await sh(`A=hello; B="a  b"; echo $A "$B" $B '$A' \\$A; echo \${C:-def} \${#A} \${A#he} \${A%lo} \${A/l/L} \${A//l/L}; set -- x "y z"; echo $# $1 "$2"; for a in "$@"; do echo "[$a]"; done`);
    expect(r.out).toBe('hello a  b a b $A $A\ndef 5 llo hel heLlo heLLo\n2 x y z\n[x]\n[y z]\n');
    expect(r.code).toBe(0);
  });

  it('runs command substitution, backquotes and arithmetic', async () => {
    const r = await sh('x=$(echo sub); y=`echo back`; echo $x $y $((2 + 3 * 4)) $(( (7 % 3) ** 2 )); i=0; i=$((i+1)); echo $i');
    expect(r.out).toBe('sub back 14 1\n1\n');
  });

  it('reports $? and $$ and honours exit codes', async () => {
    const r = await sh('false; echo $?; true; echo $?; sh -c "exit 3"; echo $?; echo $$; exit 7');
    expect(r.out).toBe('1\n0\n3\n1\n');
    expect(r.code).toBe(7);
  });
});

describe('simulated shell: pipes, redirections, lists', () => {
  it('pipes data between tools and handles && || ;', async () => {
    const r = await sh('printf "b\\na\\nc\\na\\n" | sort | uniq -c | grep a; false && echo no || echo yes; true && echo and');
    expect(r.out).toBe('      2 a\nyes\nand\n');
  });

  it('redirects to files, appends, reads back and merges stderr', async () => {
    const r = await sh('echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f; wc -l /tmp/f; ls /nope 2>&1 | head -n 1; ls /nope 2>/dev/null; echo $?');
    expect(r.out).toBe('one\ntwo\n2 /tmp/f\nls: /nope: No such file or directory\n1\n');
  });

  it('stops a producer when the reader of its pipe exits', async () => {
    const r = await sh('yes | head -n 3');
    expect(r.out).toBe('y\ny\ny\n');
  });

  it('supports here-documents and here-strings', async () => {
    const r = await sh('N=world\ncat <<EOF\nhello $N\nEOF\ncat <<\'EOF\'\nraw $N\nEOF\ngrep -c o <<< "foo"');
    expect(r.out).toBe('hello world\nraw $N\n1\n');
  });
});

describe('simulated shell: control flow and functions', () => {
  it('runs if/elif/else, while, until, for, case and functions with return codes', async () => {
    const r = await sh(`f() { echo "f:$1"; return 4; }
f arg; echo "rc=$?"
n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo n=$n
until [ $n -eq 0 ]; do n=$((n-1)); done; echo n=$n
for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo i=$i; done
if [ -d /tmp ]; then echo dir; elif true; then echo no; else echo no; fi
case "hello.txt" in *.md) echo md;; *.txt|*.text) echo txt;; esac
for x in a b c; do [ $x = b ] && break; echo $x; done`);
    expect(r.out).toBe('f:arg\nrc=4\nn=3\nn=0\ni=1\ni=3\ndir\ntxt\na\n');
  });

  it('stops at the first failure with set -e, but not inside conditions', async () => {
    const r = await sh('set -e; if false; then :; fi; false || echo ok; echo before; false; echo after');
    expect(r.out).toBe('ok\nbefore\n');
    expect(r.code).toBe(1);
  });

  it('says "not found" with 127 for unknown commands and reports syntax errors', async () => {
    const r = await sh('nope; echo $?');
    expect(r.err).toBe('sh: nope: not found\n');
    expect(r.out).toBe('127\n');
    const bad = await sh('if true; then echo x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/syntax error/);
  });

  it('supports bash [[ =~ ]] with BASH_REMATCH and set -x traces', async () => {
    const script = 'set -ex\n[[ `hostname` =~ -([0-9]+)$ ]] || exit 1\nordinal=${BASH_REMATCH[1]}\necho server-id=$((100 + $ordinal))';
    const r = await sh('', { image: 'debian', command: ['bash', '-c', script], hostname: 'mysql-2' });
    expect(r.out).toBe('server-id=102\n');
    expect(r.err).toContain('+ ordinal=2');
    expect(r.err).toContain('+ echo server-id=102');
  });
});

describe('bash extras', () => {
  it('expands braces in bash only', async () => {
    const r = await sh('', { image: 'debian', command: ['bash', '-c', 'echo {1..3} x{a,b}y; for i in {5..1..2}; do echo $i; done; echo "{1..2}"'] });
    expect(r.out).toBe('1 2 3 xay xby\n5\n3\n1\n{1..2}\n');
    const plain = await sh('echo {1..3}');
    expect(plain.out).toBe('{1..3}\n');
  });
});
