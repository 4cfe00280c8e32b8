import { describe, expect, it } from 'vitest';
import { sh } from '../test-helpers.js';

describe('busybox-style tools', () => {
  it('date, printf, echo -n/-e, seq, expr, basename/dirname', async () => {
    const r = await sh('date; date +%Y-%m-%dT%H:%M:%S; date -u +%s; printf "%s=%05d|%-3s|%x\\n" a 42 b 255; echo -n x; echo -e "a\\tb"; seq 3; seq -s, 2 2 6; expr 6 \\* 7; basename /a/b/c.txt .txt; dirname /a/b/c.txt');
    expect(r.out).toBe('Tue Nov 24 20:00:00 UTC 2026\n2026-11-24T20:00:00\n1795550400\na=00042|b  |ff\nxa\tb\n1\n2\n3\n2,4,6\n42\nc\n/a/b\n');
  });

  it('ls, mkdir -p, touch, cp, mv, rm -rf with busybox messages', async () => {
    const r = await sh('mkdir -p /data/a/b; touch /data/a/f; cp /data/a/f /data/g; mv /data/g /data/h; ls /data; ls -a /data/a; rm /data/a; rm -rf /data/a; ls /data; mkdir /x/y; rm /nope; rm -f /nope; echo done');
    expect(r.out).toBe('a\nh\n.\n..\nb\nf\nh\ndone\n');
    expect(r.err).toBe("rm: '/data/a' is a directory\nmkdir: can't create directory '/x/y': No such file or directory\nrm: can't remove '/nope': No such file or directory\n");
  });

  it('ls -l prints modes, sizes and dates', async () => {
    const r = await sh('echo hello > /tmp/x; ls -l /tmp');
    expect(r.out).toBe('total 4\n-rw-r--r--    1 root     root             6 Nov 24 20:00 x\n');
  });

  it('grep -i -v -c -E, wc, head, tail, sort, uniq, tr, cut, sed, awk', async () => {
    const r = await sh(`printf "apple 3\\nBanana 1\\ncherry 2\\napple 3\\n" > /tmp/f
grep -i banana /tmp/f; grep -v apple /tmp/f | wc -l; grep -c apple /tmp/f; grep -E "^(cherry|Banana)" /tmp/f | head -n 1
wc -w < /tmp/f; wc -c /tmp/f; head -n 2 /tmp/f | tail -n 1; tail -n 1 /tmp/f
sort -k2 -n /tmp/f | uniq | head -n 1; echo hello | tr a-z A-Z; echo a:b:c | cut -d: -f2,3
sed 's/apple/pear/g' /tmp/f | head -n 1; awk '{print $2, $1}' /tmp/f | head -n 1; awk -F: '{print $NF}' /etc/passwd | head -n 1`);
    expect(r.out).toBe('Banana 1\n2\n2\nBanana 1\n8\n34 /tmp/f\nBanana 1\napple 3\nBanana 1\nHELLO\nb:c\npear 3\n3 apple\n/bin/sh\n');
  });

  it('test and [ with files, strings and numbers', async () => {
    const r = await sh('[ -f /etc/hosts ] && echo f; [ -d /etc ] && echo d; [ -e /nope ] || echo nope; [ "a" = "a" ] && echo eq; [ 3 -gt 2 ] && echo gt; [ -z "" ] && echo z; test -n x && echo n; [ 1 -eq 1 -a 2 -eq 3 ] || echo and; [ x'); 
    expect(r.out).toBe('f\nd\nnope\neq\ngt\nz\nn\nand\n');
    expect(r.err).toBe('[: missing ]\n');
  });

  it('env, printenv, export, unset, hostname, id, whoami, uname, pwd, cd', async () => {
    const r = await sh('export FOO=bar; printenv FOO; env | grep -c "^FOO=bar$"; unset FOO; printenv FOO || echo unset; hostname; whoami; uname; uname -r; cd /etc && pwd; cd /nope; echo $?', { hostname: 'box' });
    expect(r.out).toBe('bar\n1\nunset\nbox\nroot\nLinux\n6.8.0-kubedesk\n/etc\n2\n');
    expect(r.err).toBe("sh: cd: can't cd to /nope: No such file or directory\n");
  });

  it('read and while-read loops over piped input', async () => {
    const r = await sh('printf "a 1\\nb 2\\n" | while read name n; do echo "$n-$name"; done; echo "x y z" | { read a rest; echo "$rest"; }');
    expect(r.out).toBe('1-a\n2-b\ny z\n');
  });

  it('ps lists the processes; kill ends one', async () => {
    const r = await sh('sleep 50 & ps; kill $!; echo killed');
    expect(r.out).toMatch(/^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 sh -c sleep 50 & ps; kill \$!; echo killed\n/);
    expect(r.out).toMatch(/ sleep 50\n/);
    expect(r.out.endsWith('killed\n')).toBe(true);
  });

  it('tail -f follows a file as it grows', async () => {
    const r = await sh('touch /tmp/log; (for i in 1 2 3; do echo line$i >> /tmp/log; sleep 1; done) & tail -f /tmp/log & sleep 4; kill $!');
    expect(r.out).toBe('line1\nline2\nline3\n');
  });

  it('debian images lack busybox extras and report bash errors', async () => {
    const r = await sh('', { image: 'debian', command: ['bash', '-c', 'ping -c 1 x; echo $?'] });
    expect(r.err).toBe('bash: ping: command not found\n');
    expect(r.out).toBe('127\n');
  });
});

describe('network identity tools', () => {
  it('hostname -i and ip a show the pod IP', async () => {
    const r = await sh('hostname -i; ip a | grep "inet 10"', { podIP: '10.244.3.9' });
    expect(r.out).toBe('10.244.3.9\n    inet 10.244.3.9/24 brd 10.244.3.255 scope global eth0\n');
  });
});

describe('timeout and nc', () => {
  it('timeout ends a long command with 124; nc -z checks a port', async () => {
    const { harness } = await import('../test-helpers.js');
    const h = harness();
    await h.start({ image: 'nginx', podIP: '10.244.4.4' });
    h.resolver.records.set('web.default.svc.cluster.local', ['10.244.4.4']);
    const r = await sh('timeout 2 sleep 10; echo $?; timeout 5 echo fast; nc -z web 80 && echo open; nc -z web 81 || echo closed', {}, h);
    expect(r.out).toBe('124\nfast\nopen\nclosed\n');
  });
});
