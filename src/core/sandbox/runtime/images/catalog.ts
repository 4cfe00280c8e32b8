// The images the sandbox knows: their config (entrypoint, cmd, env, ports), base OS, size and the
// simulated programs they add. Add an image here to make it pullable.
import type { OsFlavor, Program, ProgramContext } from '../shell/system.js';
import { strftime } from '../tools/format.js';
import { daemon, forever, nginxEntrypoint, nginxProgram, textHttp } from './servers.js';
import { encode } from '../shell/io.js';
import { systemImages } from './system-images.js';

export interface ImageDef {
  /** "docker.io/library/nginx" */
  repository: string;
  aliases?: string[];
  /** Version the "latest" tag stands for. */
  latest: string;
  os: OsFlavor;
  sizeMB: number;
  entrypoint: string[];
  cmd: string[];
  workingDir?: string;
  env?: [string, string][];
  ports?: number[];
  extraTools?: string[];
  /** Programs by absolute path; they are also found by name on PATH. */
  programs?: (version: string) => Record<string, Program>;
  files?: (version: string) => Record<string, string>;
  /** Resident memory when idle, for metrics. */
  memoryMB?: number;
}

const PATH_ENV: [string, string] = ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
const ts = (ctx: ProgramContext, fmt = '%Y-%m-%dT%H:%M:%S'): string => strftime(fmt, ctx.sys.clock.now());

const HELLO = `
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

`;

const redisServer = (version: string): Program =>
  daemon({
    port: 6379,
    memoryBytes: 3 * 1024 * 1024,
    lines: (ctx) => {
      const t = `1:M ${strftime('%d %b %Y %H:%M:%S', ctx.sys.clock.now())}.000`;
      return [
        `1:C ${t.slice(4)} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.`,
        `1:C ${t.slice(4)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t.slice(4)} * Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:C ${t.slice(4)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
        `${t} * monotonic clock: POSIX clock_gettime`,
        `${t} * Running mode=standalone, port=6379.`,
        `${t} * Server initialized`,
        `${t} * Ready to accept connections tcp`,
      ];
    },
    listener: () => ({
      tcp(conn) {
        conn.onDidData((data) => {
          for (const line of new TextDecoder().decode(data).split(/\r?\n/).filter(Boolean)) {
            if (/^\*|^\$/.test(line)) continue;
            const cmd = line.trim().split(/\s+/)[0]?.toUpperCase();
            conn.write(encode(cmd === 'PING' ? '+PONG\r\n' : `-ERR unknown command '${line.trim()}', with args beginning with: \r\n`));
          }
        });
      },
    }),
    stopLines: (ctx) => [`1:signal-handler (${Math.floor(ctx.sys.clock.now().getTime() / 1000)}) Received SIGTERM scheduling shutdown...`, `1:M ${strftime('%d %b %Y %H:%M:%S', ctx.sys.clock.now())}.000 # Redis is now ready to exit, bye bye...`],
  });

const mysqld = (version: string): Program => async (ctx) => {
  const e = ctx.env;
  const t = `${ts(ctx)}.000000Z`;
  const entry = (m: string): string => `${ts(ctx, '%Y-%m-%d %H:%M:%S')}+00:00 [Note] [Entrypoint]: ${m}`;
  await ctx.stdout.write(entry(`Entrypoint script for MySQL Server ${version}-1.el9 started.`) + '\n');
  if (!e.MYSQL_ROOT_PASSWORD && !e.MYSQL_ALLOW_EMPTY_PASSWORD && !e.MYSQL_RANDOM_ROOT_PASSWORD) {
    await ctx.stderr.write(`${ts(ctx, '%Y-%m-%d %H:%M:%S')}+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n`);
    return 1;
  }
  return daemon({
    port: 3306,
    // Fits the course's 128Mi limit (the docs' frontend pod) while looking like a database in kubectl top.
    memoryBytes: 80 * 1024 * 1024,
    lines: () => [
      entry('Switching to dedicated user \'mysql\''),
      entry('Initializing database files'),
      entry('Database files initialized'),
      entry('Starting temporary server'),
      entry('Temporary server started.'),
      entry('Stopping temporary server'),
      entry('Temporary server stopped'),
      entry('MySQL init process done. Ready for start up.'),
      `${t} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld ${version}) starting as process 1`,
      `${t} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.`,
      `${t} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.`,
      `${t} 0 [System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock`,
      `${t} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
    ],
  })(ctx);
};

const postgres = (version: string): Program => async (ctx) => {
  if (!ctx.env.POSTGRES_PASSWORD && ctx.env.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
    await ctx.stderr.write('Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".\n');
    return 1;
  }
  const t = (): string => `${strftime('%Y-%m-%d %H:%M:%S', ctx.sys.clock.now())}.000 UTC`;
  return daemon({
    port: 5432,
    memoryBytes: 40 * 1024 * 1024,
    lines: () => ['The files belonging to this database system will be owned by user "postgres".', 'PostgreSQL init process complete; ready for start up.', '', `${t()} [1] LOG:  starting PostgreSQL ${version} on x86_64-pc-linux-gnu`, `${t()} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`, `${t()} [1] LOG:  database system is ready to accept connections`],
  })(ctx);
};

const apache = (version: string, extra: string[] = []): Program =>
  daemon({
    port: 80,
    stream: 'stderr',
    memoryBytes: 20 * 1024 * 1024,
    lines: (ctx) => [...extra, `AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${ctx.sys.podIP}. Set the 'ServerName' directive globally to suppress this message`, `[${strftime('%a %b %d %H:%M:%S', ctx.sys.clock.now())}.000000 ${ts(ctx, '%Y')}] [mpm_prefork:notice] [pid 1] AH00163: Apache/${version} (Debian) configured -- resuming normal operations`, `[${strftime('%a %b %d %H:%M:%S', ctx.sys.clock.now())}.000000 ${ts(ctx, '%Y')}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'`],
    listener: textHttp('<html><body><h1>It works!</h1></body></html>\n', `Apache/${version} (Debian)`),
  });

const simpleHttp = (port: number, lines: string[], body: string, server = 'Werkzeug/3.0.1 Python/3.12.1'): Program =>
  daemon({ port, lines: () => lines, listener: textHttp(body, server, 'text/plain; charset=utf-8') });

export const catalog: ImageDef[] = [
  { repository: 'docker.io/library/busybox', aliases: ['k8s.gcr.io/busybox', 'gcr.io/google-containers/busybox', 'registry.k8s.io/busybox'], latest: '1.37.0', os: 'busybox', sizeMB: 2.2, entrypoint: [], cmd: ['sh'], env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']] },
  { repository: 'docker.io/library/alpine', latest: '3.21.0', os: 'alpine', sizeMB: 3.6, entrypoint: [], cmd: ['/bin/sh'], env: [PATH_ENV] },
  { repository: 'docker.io/library/debian', latest: '12.8', os: 'debian', sizeMB: 49, entrypoint: [], cmd: ['bash'], env: [PATH_ENV] },
  { repository: 'docker.io/library/ubuntu', latest: '24.04', os: 'ubuntu', sizeMB: 29, entrypoint: [], cmd: ['/bin/bash'], env: [PATH_ENV] },
  { repository: 'docker.io/library/hello-world', latest: 'latest', os: 'distroless', sizeMB: 0.01, entrypoint: [], cmd: ['/hello'], programs: () => ({ '/hello': async (ctx) => (await ctx.stdout.write(HELLO), 0) }) },
  { repository: 'docker.io/library/perl', latest: '5.40.0', os: 'debian', sizeMB: 330, entrypoint: [], cmd: ['perl5.40.0', '-de0'], env: [PATH_ENV], extraTools: ['perl', 'curl', 'wget'] },
  {
    repository: 'docker.io/library/nginx',
    latest: '1.27.3',
    os: 'debian',
    sizeMB: 68,
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: [PATH_ENV, ['NGINX_VERSION', '1.27.3'], ['NJS_VERSION', '0.8.7'], ['PKG_RELEASE', '1~bookworm']],
    ports: [80],
    extraTools: ['curl'],
    memoryMB: 8,
    programs: (v) => ({ '/docker-entrypoint.sh': nginxEntrypoint, '/usr/sbin/nginx': nginxProgram(v) }),
    files: () => ({ '/etc/nginx/nginx.conf': NGINX_CONF, '/etc/nginx/conf.d/default.conf': DEFAULT_CONF, '/usr/share/nginx/html/50x.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n' }),
  },
  { repository: 'docker.io/library/redis', latest: '7.4.1', os: 'debian', sizeMB: 45, entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], ports: [6379], env: [PATH_ENV], memoryMB: 3, programs: (v) => ({ '/usr/local/bin/docker-entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/local/bin/redis-server': redisServer(v), '/usr/local/bin/redis-cli': async (ctx) => (await ctx.stdout.write('PONG\n'), 0) }) },
  { repository: 'docker.io/library/mysql', latest: '9.1.0', os: 'debian', sizeMB: 170, entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], ports: [3306, 33060], env: [PATH_ENV], memoryMB: 100, programs: (v) => ({ '/usr/local/bin/docker-entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/sbin/mysqld': mysqld(v) }) },
  { repository: 'docker.io/library/postgres', latest: '17.2', os: 'debian', sizeMB: 150, entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'], ports: [5432], env: [PATH_ENV], memoryMB: 40, programs: (v) => ({ '/usr/local/bin/docker-entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/local/bin/postgres': postgres(v) }) },
  { repository: 'docker.io/library/httpd', latest: '2.4.62', os: 'debian', sizeMB: 58, entrypoint: [], cmd: ['httpd-foreground'], ports: [80], env: [PATH_ENV], programs: (v) => ({ '/usr/local/bin/httpd-foreground': apache(v) }) },
  { repository: 'docker.io/library/wordpress', latest: '6.7.1', os: 'debian', sizeMB: 250, entrypoint: ['docker-entrypoint.sh'], cmd: ['apache2-foreground'], ports: [80], env: [PATH_ENV], memoryMB: 30, programs: () => ({ '/usr/local/bin/docker-entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/local/bin/apache2-foreground': apache('2.4.62', ['WordPress not found in /var/www/html - copying now...', 'Complete! WordPress has been successfully copied to /var/www/html']) }) },
  { repository: 'docker.io/library/python', latest: '3.13.1', os: 'debian', sizeMB: 380, entrypoint: [], cmd: ['python3'], env: [PATH_ENV], extraTools: ['python', 'python3', 'perl'] },
  { repository: 'docker.io/library/node', latest: '22.12.0', os: 'debian', sizeMB: 390, entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], env: [PATH_ENV], programs: (v) => ({ '/usr/local/bin/docker-entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/local/bin/node': async (ctx) => (ctx.argv.includes('--version') || ctx.argv.includes('-v') ? (await ctx.stdout.write(`v${v}\n`), 0) : (await ctx.stdout.write('Welcome to Node.js v' + v + '.\n'), forever(ctx))) }) },
  { repository: 'docker.io/curlimages/curl', latest: '8.11.1', os: 'alpine', sizeMB: 12, entrypoint: ['/entrypoint.sh'], cmd: ['curl'], env: [PATH_ENV], extraTools: ['curl'], programs: () => ({ '/entrypoint.sh': async (ctx) => runArgs(ctx) }) },
  { repository: 'docker.io/fluent/fluentd', aliases: ['docker.io/library/fluentd'], latest: 'v1.17-1', os: 'alpine', sizeMB: 60, entrypoint: ['tini', '--', '/bin/entrypoint.sh'], cmd: ['fluentd'], ports: [24224], env: [PATH_ENV], programs: () => ({ '/bin/tini': async (ctx) => runArgs(ctx, 2), '/bin/entrypoint.sh': async (ctx) => runArgs(ctx), '/usr/bin/fluentd': daemon({ port: 24224, lines: (ctx) => [`${ts(ctx, '%Y-%m-%d %H:%M:%S')} +0000 [info]: init supervisor logger path=nil rotate_age=nil rotate_size=nil`, `${ts(ctx, '%Y-%m-%d %H:%M:%S')} +0000 [info]: parsing config file is succeeded path="/fluentd/etc/fluent.conf"`, `${ts(ctx, '%Y-%m-%d %H:%M:%S')} +0000 [info]: starting fluentd-1.17.1 pid=7 ruby="3.2.6"`, `${ts(ctx, '%Y-%m-%d %H:%M:%S')} +0000 [info]: #0 fluentd worker is now running worker=0`] }) }) },
  { repository: 'registry.k8s.io/hpa-example', aliases: ['k8s.gcr.io/hpa-example'], latest: 'latest', os: 'debian', sizeMB: 180, entrypoint: [], cmd: ['apache2-foreground'], ports: [80], memoryMB: 40, programs: () => ({ '/usr/local/bin/apache2-foreground': phpApache }) },
  { repository: 'docker.io/luksa/ssd-monitor', latest: 'latest', os: 'alpine', sizeMB: 4, entrypoint: [], cmd: ['sh', '-c', 'while true; do echo "SSD OK"; sleep 5; done'] },
  {
    repository: 'gcr.io/google-samples/xtrabackup',
    latest: '1.0',
    os: 'debian',
    sizeMB: 90,
    entrypoint: [],
    cmd: ['bash'],
    env: [PATH_ENV],
    extraTools: ['nc', 'ncat'],
    programs: () => ({
      '/usr/bin/xbstream': async (ctx) => (await ctx.proc.race(ctx.stdin.readAll()), 0),
      '/usr/bin/xtrabackup': async (ctx) => (await ctx.stderr.write(`xtrabackup version 2.4.4 based on MySQL server 5.7.13 Linux (x86_64)\n${strftime('%y%m%d %H:%M:%S', ctx.sys.clock.now())} completed OK!\n`), 0),
      '/usr/bin/mysql': async (ctx) => {
        const ep = ctx.sys.localEndpoint(3306) ?? ctx.sys.network.connect(ctx.sys.podIP, 3306);
        if (ep) return 0;
        await ctx.stderr.write("ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1' (111)\n");
        return 1;
      },
    }),
  },
  { repository: 'docker.io/polinux/stress', latest: '1.0.4', os: 'alpine', sizeMB: 4, entrypoint: [], cmd: ['stress', '--help'], extraTools: ['stress'] },
  { repository: 'registry.k8s.io/pause', aliases: ['k8s.gcr.io/pause', 'docker.io/kubernetes/pause'], latest: '3.10', os: 'distroless', sizeMB: 0.3, entrypoint: ['/pause'], cmd: [], programs: () => ({ '/pause': forever }) },
  { repository: 'registry.k8s.io/e2e-test-images/agnhost', latest: '2.53', os: 'alpine', sizeMB: 50, entrypoint: ['/agnhost'], cmd: [], programs: () => ({ '/agnhost': agnhost }) },
  { repository: 'docker.io/dockercoins/rng', aliases: ['docker.io/jpetazzo/rng'], latest: 'v0.1', os: 'alpine', sizeMB: 30, entrypoint: [], cmd: ['python', 'rng.py'], ports: [80], programs: () => ({ '/usr/local/bin/python': simpleHttp(80, [' * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)'], 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') }) },
  { repository: 'docker.io/dockercoins/hasher', aliases: ['docker.io/jpetazzo/hasher'], latest: 'v0.1', os: 'alpine', sizeMB: 100, entrypoint: [], cmd: ['ruby', 'hasher.rb'], ports: [80], programs: () => ({ '/usr/local/bin/ruby': simpleHttp(80, ['Puma starting in single mode...', '* Listening on http://0.0.0.0:80', 'Use Ctrl-C to stop'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'thin') }) },
  { repository: 'docker.io/dockercoins/worker', aliases: ['docker.io/jpetazzo/worker'], latest: 'v0.1', os: 'alpine', sizeMB: 30, entrypoint: [], cmd: ['python', 'worker.py'], programs: () => ({ '/usr/local/bin/python': dockercoinsWorker }) },
  ...systemImages,
  { repository: 'docker.io/dockercoins/webui', aliases: ['docker.io/jpetazzo/webui'], latest: 'v0.1', os: 'alpine', sizeMB: 70, entrypoint: [], cmd: ['node', 'webui.js'], ports: [80], programs: () => ({ '/usr/local/bin/node': simpleHttp(80, ['WEBUI running on port 80'], '<html><body><h1>DockerCoin Miner WebUI</h1></body></html>', 'Express') }) },
];

/** The HPA walkthrough's php-apache: each request burns CPU for a moment (so `kubectl top` and the HPA see load). */
const phpApache: Program = async (ctx) => {
  await ctx.stderr.write(`AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${ctx.sys.podIP}. Set the 'ServerName' directive globally to suppress this message\n`);
  const l = ctx.sys.listen(80, {
    http: () => {
      const work = ctx.sys.busy(100_000_000);
      ctx.sys.clock.setTimeout(() => work.dispose(), 1000);
      return Promise.resolve({ status: 200, headers: { Server: 'Apache/2.4.10 (Debian)', 'X-Powered-By': 'PHP/5.6.40', 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': '3' }, body: encode('OK!') });
    },
  });
  try {
    return await forever(ctx);
  } finally {
    l.dispose();
  }
};

async function runArgs(ctx: ProgramContext, skip = 1): Promise<number> {
  const { execNext } = await import('./servers.js');
  return execNext(ctx, ctx.argv.slice(skip));
}

const agnhost: Program = async (ctx) => {
  const sub = ctx.argv[1];
  if (sub === 'grpc-health-checking') {
    await ctx.stdout.write('I1124 20:00:00.000000       1 grpc-health-checking.go:63] Serving on port :5000 and :8080\n');
    const a = ctx.sys.listen(5000, { http: () => Promise.resolve({ status: 200, headers: {}, body: new Uint8Array() }) });
    const b = ctx.sys.listen(8080, textHttp('ok', 'agnhost')(ctx));
    try {
      return await forever(ctx);
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  if (sub === 'netexec' || sub === 'serve-hostname') {
    const port = Number(/--http-port[= ](\d+)/.exec(ctx.argv.join(' '))?.[1] ?? (sub === 'netexec' ? 8080 : 9376));
    const l = ctx.sys.listen(port, textHttp(ctx.sys.hostname, 'agnhost', 'text/plain')(ctx));
    try {
      return await forever(ctx);
    } finally {
      l.dispose();
    }
  }
  await ctx.stderr.write(`agnhost: unknown command "${sub ?? ''}" in the Kubedesk sandbox (supported: grpc-health-checking, netexec, serve-hostname)\n`);
  return 1;
};

const dockercoinsWorker: Program = async (ctx) => {
  let n = 0;
  for (;;) {
    await ctx.proc.sleep(1000);
    n += 10;
    await ctx.stdout.write(`INFO:__main__:${n} units of work done, updating hash counter\n`);
  }
};

const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

const DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;
