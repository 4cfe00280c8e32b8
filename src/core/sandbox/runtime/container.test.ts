import { describe, expect, it } from 'vitest';
import { advance, execIn, flush, harness, sh } from './test-helpers.js';
import { createRuntime } from './runtime.js';
import { FakeClock } from '../../clock/clock.js';
import { decode, encode } from './shell/io.js';
import { computePi } from './tools/interpreters.js';

describe('streaming output on the injected clock', () => {
  it('logs a line every 5 s for `while true; do date; sleep 5; done`', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh', '-c', 'while true; do date; sleep 5; done'] });
    await advance(h.clock, 10_000);
    const t0 = Date.UTC(2026, 10, 24, 20, 0, 0);
    expect(s.lines.map((l) => [l.text, l.at - t0])).toEqual([
      ['Tue Nov 24 20:00:00 UTC 2026\n', 0],
      ['Tue Nov 24 20:00:05 UTC 2026\n', 5000],
      ['Tue Nov 24 20:00:10 UTC 2026\n', 10_000],
    ]);
    expect(s.exit()).toBeUndefined();
    s.container.signal('SIGKILL');
    await flush();
    expect(s.exit()).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('pings one line per second in busybox format', async () => {
    const h = harness();
    const s = await h.start({ command: ['ping', '-c', '3', '127.1'] });
    expect(s.stdout()).toBe('PING 127.1 (127.0.0.1): 56 data bytes\n64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.040 ms\n');
    await advance(h.clock, 1000);
    expect(s.stdout().split('\n')).toHaveLength(4);
    await advance(h.clock, 1000);
    expect(s.stdout()).toContain('--- 127.1 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\n');
    expect(s.exit()).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});

describe('signals', () => {
  it('PID 1 without a handler ignores SIGTERM (as in a real container); SIGKILL ends it with 137', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh', '-c', 'echo start; sleep 3600'] });
    s.container.signal('SIGTERM');
    await advance(h.clock, 2000);
    expect(s.exit()).toBeUndefined();
    s.container.signal('SIGKILL');
    await flush();
    expect(s.exit()?.exitCode).toBe(137);
  });

  it('runs a TERM trap and exits with its status', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 1; done'] });
    await advance(h.clock, 1500);
    s.container.signal('SIGTERM');
    await advance(h.clock, 1000);
    expect(s.stdout()).toBe('bye\n');
    expect(s.exit()).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('a non-PID-1 process dies of SIGTERM with 143', async () => {
    const r = await sh('sleep 100 & kill $!; wait $!; echo $?');
    expect(r.out).toBe('143\n');
  });
});

describe('images', () => {
  it('hello-world prints its message and completes', async () => {
    const h = harness();
    const s = await h.start({ image: 'hello-world' });
    expect(s.stdout()).toContain('Hello from Docker!\nThis message shows that your installation appears to be working correctly.');
    expect(s.exit()).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('perl -Mbignum=bpi computes pi to 2000 digits', async () => {
    const h = harness();
    const s = await h.start({ image: 'perl', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] });
    const out = s.stdout();
    expect(out.startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().replace('.', '')).toHaveLength(2000);
    expect(out.trim()).toBe(referencePi(2000));
    expect(s.exit()?.exitCode).toBe(0);
  });

  it('nginx logs its startup, serves its welcome page with real headers, logs requests and 404s', async () => {
    const h = harness();
    const s = await h.start({ image: 'nginx', podIP: '10.244.2.7' });
    expect(s.stdout()).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    expect(s.stderr()).toContain('2026/11/24 20:00:00 [notice] 1#1: nginx/1.27.3\n');
    expect(s.container.listeningPorts()).toEqual([80]);
    const res = await s.container.http(80, { method: 'GET', path: '/', headers: { 'User-Agent': 'curl/8.5.0' }, remoteAddress: '10.244.1.9' });
    expect(res?.status).toBe(200);
    expect(res?.headers.Server).toBe('nginx/1.27.3');
    expect(res?.headers['Content-Length']).toBe('615');
    expect(decode(res?.body ?? new Uint8Array())).toContain('<title>Welcome to nginx!</title>');
    expect(s.stdout()).toContain('10.244.1.9 - - [24/Nov/2026:20:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n');
    const missing = await s.container.http(80, { method: 'GET', path: '/nope', headers: {} });
    expect(missing?.status).toBe(404);
    expect(decode(missing?.body ?? new Uint8Array())).toContain('<center>nginx/1.27.3</center>');

    // A learner's edit is served; the tag decides the version.
    await execIn(s.container, ['sh', '-c', 'echo hi > /usr/share/nginx/html/index.html']);
    expect(decode((await s.container.http(80, { method: 'GET', path: '/', headers: {} }))?.body ?? new Uint8Array())).toBe('hi\n');
    const old = await h.start({ image: 'nginx:1.25', podIP: '10.244.2.8' });
    expect((await old.container.http(80, { method: 'HEAD', path: '/', headers: {} }))?.headers.Server).toBe('nginx/1.25.0');
    // nginx logs the body bytes sent: none for a HEAD.
    expect(old.stdout()).toContain('"HEAD / HTTP/1.1" 200 0 "-"');

    s.container.signal('SIGTERM');
    await flush();
    expect(s.exit()).toMatchObject({ exitCode: 0 });
    expect(s.stderr()).toContain('signal 15 (SIGTERM) received, exiting');
  });

  it('port-forward style raw connections speak HTTP to nginx and RESP to redis', async () => {
    const h = harness();
    const web = await h.start({ image: 'nginx', podIP: '10.244.2.9' });
    const conn = web.container.connect(80);
    let got = '';
    conn?.onDidData((d) => (got += decode(d)));
    conn?.write(encode('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    await flush();
    expect(got).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/);
    const redis = await h.start({ image: 'redis', podIP: '10.244.2.10' });
    expect(redis.stdout()).toContain('Ready to accept connections tcp');
    const rc = redis.container.connect(6379);
    let pong = '';
    rc?.onDidData((d) => (pong += decode(d)));
    rc?.write(encode('PING\r\n'));
    expect(pong).toBe('+PONG\r\n');
  });

  it('mysql refuses to start without a root password option, and starts with one', async () => {
    const h = harness();
    const bad = await h.start({ image: 'mysql:5.7' });
    expect(bad.stderr()).toContain('Database is uninitialized and password option is not specified');
    expect(bad.exit()).toMatchObject({ exitCode: 1, reason: 'Error' });
    const ok = await h.start({ image: 'mysql:5.7', env: [['MYSQL_ROOT_PASSWORD', 'secret']], podIP: '10.244.3.1', memoryLimitBytes: 128 * 1024 * 1024 });
    expect(ok.stdout()).toContain("ready for connections. Version: '5.7.0'");
    expect(ok.container.listeningPorts()).toContain(3306);
    expect(ok.exit()).toBeUndefined();
  });

  it('an unknown image fails to pull with a message naming the catalog; known pulls take believable time once', async () => {
    const clock = new FakeClock();
    const rt = createRuntime({ clock, resolver: { resolve: () => undefined }, network: { connect: () => undefined } });
    const bad = await rt.pull('nope');
    expect(bad).toMatchObject({ ok: false, reason: 'ErrImagePull' });
    expect(bad.ok ? '' : bad.message).toMatch(/^failed to pull and unpack image "docker.io\/library\/nope:latest": image not found in the Kubedesk sandbox catalog; the sandbox runs no real containers — add it to the catalog/);
    let done = false;
    const p = rt.pull('nginx:1.27').then((r) => ((done = true), r));
    await flush();
    expect(done).toBe(false);
    clock.advance(10_000);
    const r = await p;
    expect(r.ok && r.durationMs).toBeGreaterThan(300);
    expect(r.ok && r.image.reference).toBe('docker.io/library/nginx:1.27');
    expect(await rt.pull('nginx:1.27')).toMatchObject({ ok: true, durationMs: 0 });
  });

  it('a tag that does not exist fails as on Docker Hub; versions and published word tags pull', async () => {
    const clock = new FakeClock();
    const rt = createRuntime({ clock, resolver: { resolve: () => undefined }, network: { connect: () => undefined } });
    const bad = await rt.pull('nginx:lastest');
    expect(bad.ok ? '' : bad.message).toBe(
      'failed to pull and unpack image "docker.io/library/nginx:lastest": failed to resolve reference "docker.io/library/nginx:lastest": docker.io/library/nginx:lastest: not found',
    );
    for (const image of ['nginx:stable-alpine', 'nginx:1.27-alpine', 'wordpress:php8.2-apache', 'dockercoins/worker:v0.1', 'mysql:5.7', 'nginx']) {
      const pulled = rt.pull(image);
      clock.advance(10_000);
      expect(await pulled, image).toMatchObject({ ok: true });
    }
  });
});

describe('containers', () => {
  it('is OOMKilled when its program allocates beyond the memory limit', async () => {
    const h = harness();
    const s = await h.start({ image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'], memoryLimitBytes: 100 * 1024 * 1024 });
    await advance(h.clock, 1000);
    expect(s.exit()).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('exec runs in the container environment with mounted files, volumes and /etc files', async () => {
    const h = harness();
    const s = await h.start({
      command: ['sleep', '3600'],
      env: [['GREETING', 'hi']],
      hostname: 'web-0',
      podIP: '10.244.1.20',
      files: [{ path: '/etc/config/app.properties', content: 'color=blue\n' }],
    });
    const r = await execIn(s.container, ['sh', '-c', 'echo $GREETING $HOSTNAME; cat /etc/config/app.properties; ls /etc/config; grep web-0 /etc/hosts; cat /etc/resolv.conf']);
    expect(r.out).toBe('hi web-0\ncolor=blue\napp.properties\n10.244.1.20\tweb-0\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(r.code).toBe(0);
    const missing = await execIn(s.container, ['nope']);
    expect(missing.code).toBe(127);
    expect(missing.err).toContain('executable file not found in $PATH');
    // The course's startup probe passes "cat /etc/nginx/nginx.conf" as one word: a path for runc.
    const oneWord = await execIn(s.container, ['cat /etc/nginx/nginx.conf']);
    expect(oneWord.code).toBe(127);
    expect(oneWord.err).toBe('OCI runtime exec failed: exec failed: unable to start container process: exec: "cat /etc/nginx/nginx.conf": stat cat /etc/nginx/nginx.conf: no such file or directory: unknown\n');
  });

  it('kubectl exec -it sh: prompt, echo, command output, exit', async () => {
    const h = harness();
    const s = await h.start({ command: ['sleep', '3600'] });
    const chunks = ['echo hi $(tty)\r', 'exit 3\r'];
    let out = '';
    const stdin = (async function* () {
      for (const c of chunks) {
        await flush();
        yield encode(c);
      }
    })();
    const code = await s.container.exec(['sh'], { stdin, tty: true, stdout: (c) => (out += decode(c)), stderr: (c) => (out += decode(c)) });
    // A command substitution keeps the terminal as its stdin.
    expect(out).toBe('/ # echo hi $(tty)\r\nhi /dev/pts/0\r\n/ # exit 3\r\n');
    expect(code).toBe(3);
    const deb = await h.start({ image: 'debian', command: ['sleep', '3600'], hostname: 'deb', podIP: '10.244.9.9' });
    let dout = '';
    const dstdin = (async function* () {
      await flush();
      yield encode('exit\r');
    })();
    await deb.container.exec(['bash'], { stdin: dstdin, tty: true, stdout: (c) => (dout += decode(c)), stderr: () => undefined });
    expect(dout.startsWith('root@deb:/# ')).toBe(true);
  });

  it('resolves services with the search list (nslookup) and reaches them with wget and curl', async () => {
    const h = harness();
    const web = await h.start({ image: 'nginx', podIP: '10.244.5.5' });
    h.resolver.records.set('web.default.svc.cluster.local', ['10.244.5.5']);
    const client = await h.start({ image: 'busybox:1.28', command: ['sleep', '3600'], podIP: '10.244.5.6' });
    const ns = await execIn(client.container, ['nslookup', 'web']);
    expect(ns.out).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web.default.svc.cluster.local\nAddress 1: 10.244.5.5 web.default.svc.cluster.local\n');
    const missing = await execIn(client.container, ['nslookup', 'mydb.default.svc.cluster.local']);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("nslookup: can't resolve 'mydb.default.svc.cluster.local'\n");
    const w = await execIn(client.container, ['wget', '-qO-', 'http://web']);
    expect(w.out).toContain('Welcome to nginx!');
    expect(web.stdout()).toContain('10.244.5.6 - - [24/Nov/2026:20:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "Wget" "-"');
    const refused = await execIn(client.container, ['wget', '-qO-', 'http://web:8080']);
    expect(refused.err).toBe("wget: can't connect to remote host (10.244.5.5): Connection refused\n");
    const curl = await h.start({ image: 'curlimages/curl', command: ['curl', '-sI', 'http://web.default'], podIP: '10.244.5.7' });
    expect(curl.stdout()).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/);
    const nx = await h.start({ image: 'curlimages/curl', command: ['curl', 'http://nothere'], podIP: '10.244.5.8' });
    expect(nx.stderr()).toBe('curl: (6) Could not resolve host: nothere\n');
    expect(nx.exit()).toMatchObject({ exitCode: 6, reason: 'Error' });
  });

  it('the init container loop of the course waits until the service resolves', async () => {
    const h = harness();
    const s = await h.start({ image: 'busybox:1.28', namespace: 'ns1', files: [{ path: '/var/run/secrets/kubernetes.io/serviceaccount/namespace', content: 'ns1' }], command: ['sh', '-c', 'until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done'] });
    await advance(h.clock, 4000);
    expect(s.stdout().match(/waiting for myservice/g)).toHaveLength(3);
    h.resolver.records.set('myservice.ns1.svc.cluster.local', ['10.96.3.4']);
    await advance(h.clock, 2000);
    expect(s.exit()).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});

/** Gibbons' unbounded spigot: an algorithm independent of the one under test. */
function referencePi(digits: number): string {
  let q = 1n, r = 0n, t = 1n, k = 1n, n = 3n, l = 3n;
  const out: bigint[] = [];
  while (out.length < digits + 1) {
    if (4n * q + r - t < n * t) {
      out.push(n);
      [q, r, n] = [10n * q, 10n * (r - n * t), (10n * (3n * q + r)) / t - 10n * n];
    } else {
      [q, r, t, k, n, l] = [q * k, (2n * q + r) * l, t * l, k + 1n, (q * (7n * k + 2n) + r * l) / (t * l), l + 2n];
    }
  }
  let v = BigInt(out.slice(0, digits).join(''));
  if (out[digits] >= 5n) v += 1n;
  const s = v.toString();
  return `${s[0]}.${s.slice(1)}`;
}
void computePi;

describe('volumes and attach', () => {
  it('shares an emptyDir between two containers of a pod; readOnly mounts refuse writes', async () => {
    const { MemoryVolumeStore } = await import('./volume-store.js');
    const store = new MemoryVolumeStore();
    const h = harness();
    const writer = await h.start({ command: ['sh', '-c', 'mkdir -p /cache/sub; echo shared > /cache/sub/file; ls /cache'], volumes: [{ mountPath: '/cache', readOnly: false, store }] });
    expect(writer.stdout()).toBe('sub\n');
    const reader = await h.start({ name: 'reader', command: ['sh', '-c', 'cat /data/sub/file; echo x > /data/y'], volumes: [{ mountPath: '/data', readOnly: true, store }] });
    expect(reader.stdout()).toBe('shared\n');
    expect(reader.stderr()).toBe("sh: can't create /data/y: Read-only file system\n");
    expect(decode(store.read('/sub/file') ?? new Uint8Array())).toBe('shared\n');
  });

  it('kubectl run -it: attach drives the main shell on a tty', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh'], tty: true, stdin: true, stdinOnce: true });
    expect(s.stdout()).toBe('/ # ');
    let out = '';
    const input = (async function* () {
      yield encode('echo $((6*7))\r');
      await flush();
      yield encode('exit\r');
    })();
    await s.container.attach({ stdin: input, tty: true, stdout: (c) => (out += decode(c)), stderr: (c) => (out += decode(c)) });
    expect(out).toBe('echo $((6*7))\r\n42\r\n/ # exit\r\n');
    expect(s.exit()).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});

describe('load', () => {
  it('a busy loop is throttled to the sandbox clock and stays killable', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i > /tmp/i; done'] });
    await advance(h.clock, 1000, 20);
    const count = Number((await execIn(s.container, ['cat', '/tmp/i'])).out);
    expect(count).toBeGreaterThan(1000);
    expect(count).toBeLessThan(20_000);
    s.container.signal('SIGKILL');
    await flush();
    expect(s.exit()?.exitCode).toBe(137);
  });

  it('php-apache (HPA example) reports CPU while serving requests', async () => {
    const h = harness();
    const s = await h.start({ image: 'registry.k8s.io/hpa-example', podIP: '10.244.7.7' });
    const idle = s.container.usage().cpuNanoCores;
    for (let i = 0; i < 5; i++) expect(decode((await s.container.http(80, { method: 'GET', path: '/', headers: {} }))?.body ?? new Uint8Array())).toBe('OK!');
    expect(s.container.usage().cpuNanoCores).toBe(idle + 500_000_000);
    h.clock.advance(1000);
    expect(s.container.usage().cpuNanoCores).toBe(idle);
  });

  it('CPU usage is throttled at the container limit, as the cgroup does', async () => {
    const h = harness();
    const s = await h.start({ image: 'registry.k8s.io/hpa-example', podIP: '10.244.7.8', cpuLimitNanoCores: 500_000_000 });
    for (let i = 0; i < 5; i++) await s.container.http(80, { method: 'GET', path: '/', headers: {} });
    expect(s.container.usage().cpuNanoCores).toBe(500_000_000);
  });
});

describe('exit details', () => {
  it('reports the termination-log message and the log tail separately; a missing binary is a StartError', async () => {
    const h = harness();
    const s = await h.start({ command: ['sh', '-c', 'echo working; echo "disk full" > /dev/termination-log; exit 2'] });
    expect(s.exit()).toMatchObject({ exitCode: 2, reason: 'Error', message: 'disk full\n', logTail: 'working\n' });
    const bad = await h.start({ command: ['nginx'] });
    expect(bad.exit()).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(bad.exit()?.message).toContain('exec: "nginx": executable file not found in $PATH');
  });
});

describe('interactive details', () => {
  it('^D ends a command reading the terminal, ^C interrupts a running command, the shell goes on', async () => {
    const h = harness();
    const s = await h.start({ command: ['sleep', '3600'] });
    const keys = ['cat\r', 'hello\r', '\x04', 'sleep 100\r', '\x03', 'echo $?\r', 'exit\r'];
    let out = '';
    const stdin = (async function* () {
      for (const k of keys) {
        await flush();
        yield encode(k);
      }
    })();
    const code = await s.container.exec(['sh'], { stdin, tty: true, stdout: (c) => (out += decode(c)), stderr: (c) => (out += decode(c)) });
    expect(out).toBe('/ # cat\r\nhello\r\nhello\r\n/ # sleep 100\r\n^C\r\n/ # echo $?\r\n130\r\n/ # exit\r\n');
    expect(code).toBe(0);
  });
});

describe('more images', () => {
  it('python -m http.server serves the working directory and logs requests', async () => {
    const h = harness();
    const s = await h.start({ image: 'python:3.12', command: ['sh', '-c', 'echo hello > index.html; python -m http.server 8000'], workingDir: '/srv', podIP: '10.244.8.8' });
    expect(s.stdout()).toContain('Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...');
    const res = await s.container.http(8000, { method: 'GET', path: '/', headers: {}, remoteAddress: '10.244.8.9' });
    expect(decode(res?.body ?? new Uint8Array())).toBe('hello\n');
    expect(s.stdout()).toContain('10.244.8.9 - - [24/Nov/2026 20:00:00] "GET / HTTP/1.1" 200 -\n');
  });

  it('httpd and wordpress answer on port 80; busybox sh refuses bash-only images commands', async () => {
    const h = harness();
    const httpd = await h.start({ image: 'httpd', podIP: '10.244.8.10' });
    expect(decode((await httpd.container.http(80, { method: 'GET', path: '/', headers: {} }))?.body ?? new Uint8Array())).toContain('It works!');
    const wp = await h.start({ image: 'wordpress', podIP: '10.244.8.11' });
    expect(wp.stderr()).toContain('Apache/2.4.62 (Debian) configured -- resuming normal operations');
    expect(wp.container.listeningPorts()).toEqual([80]);
    const bb = await h.start({ image: 'busybox', command: ['bash'], podIP: '10.244.8.12' });
    expect(bb.exit()).toMatchObject({ reason: 'StartError', exitCode: 128 });
  });
});
