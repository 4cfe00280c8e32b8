// Simulated servers of the catalog's images: their startup logs, the ports they listen on, and what
// they answer.
import type { Listener, Program, ProgramContext } from '../shell/system.js';
import type { HttpRequest, HttpResponse } from '../types.js';
import { encode } from '../shell/io.js';
import { normalizePath } from '../vfs.js';
import { strftime } from '../tools/format.js';
import { statusText } from '../tools/net.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function httpDate(d: Date): string {
  return d.toUTCString();
}

function clf(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${strftime('%H:%M:%S', d)} +0000`;
}

/** Runs until killed (servers in the foreground). */
export async function forever(ctx: ProgramContext): Promise<never> {
  for (;;) await ctx.proc.sleep(86_400_000);
}

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

function errorPage(status: number, server: string): string {
  return `<html>\r\n<head><title>${status} ${statusText(status)}</title></head>\r\n<body>\r\n<center><h1>${status} ${statusText(status)}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Serves files under root from the container's filesystem (so a learner's edits show up). */
export function staticFileListener(ctx: ProgramContext, root: string, server: string, log: (req: HttpRequest, status: number, size: number) => void): Listener {
  return {
    http(req) {
      const now = ctx.sys.clock.now();
      const path = decodeURIComponent(req.path.split('?')[0]);
      let file = normalizePath(root, '.' + path);
      if (ctx.sys.fs.isDir(file)) file = normalizePath(file, 'index.html');
      const headers: Record<string, string> = { Server: server, Date: httpDate(now), 'Content-Type': 'text/html', Connection: 'keep-alive' };
      let res: HttpResponse;
      if (ctx.sys.fs.stat(file)?.type === 'file') {
        const body = ctx.sys.fs.readFile(file);
        const st = ctx.sys.fs.stat(file);
        const mtime = st?.mtime ?? now;
        headers['Content-Type'] = contentType(file);
        headers['Content-Length'] = String(body.length);
        headers['Last-Modified'] = httpDate(mtime);
        headers.ETag = `"${Math.floor(mtime.getTime() / 1000).toString(16)}-${body.length.toString(16)}"`;
        headers['Accept-Ranges'] = 'bytes';
        res = { status: 200, headers, body: req.method === 'HEAD' ? new Uint8Array() : body };
      } else {
        const body = encode(server.startsWith('nginx') ? errorPage(404, server) : `<!DOCTYPE HTML>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n`);
        headers['Content-Length'] = String(body.length);
        res = { status: 404, headers, body: req.method === 'HEAD' ? new Uint8Array() : body };
      }
      // Access logs count the body bytes sent: none for HEAD.
      log(req, res.status, res.body.length);
      return Promise.resolve(res);
    },
  };
}

function contentType(file: string): string {
  const ext = file.split('.').pop() ?? '';
  return ({ html: 'text/html', htm: 'text/html', css: 'text/css', js: 'application/javascript', json: 'application/json', txt: 'text/plain', png: 'image/png', svg: 'image/svg+xml' } as Record<string, string>)[ext] ?? 'application/octet-stream';
}

export function nginxProgram(version: string): Program {
  return async (ctx) => {
    const args = ctx.argv.slice(1);
    const server = `nginx/${version}`;
    if (args.includes('-v') || args.includes('-V')) {
      await ctx.stderr.write(`nginx version: ${server}\n`);
      return 0;
    }
    if (args.includes('-t')) {
      await ctx.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
      return 0;
    }
    if (args.includes('-s')) return 0;
    const g = args[args.indexOf('-g') + 1] ?? '';
    const daemonOff = args.includes('-g') && /daemon\s+off/.test(g);
    const t = (): string => strftime('%Y/%m/%d %H:%M:%S', ctx.sys.clock.now());
    const pid = ctx.proc.pid;
    const notice = (m: string): Promise<void> => ctx.stderr.write(`${t()} [notice] ${pid}#${pid}: ${m}\n`);
    await notice('using the "epoll" event method');
    await notice(server);
    await notice('built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ');
    await notice('OS: Linux 6.8.0-kubedesk');
    await notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
    if (!daemonOff) return 0;
    await notice('start worker processes');
    await notice(`start worker process ${pid + 28}`);
    await notice(`start worker process ${pid + 29}`);
    const listener = staticFileListener(ctx, '/usr/share/nginx/html', server, (req, status, size) => {
      const line = `${req.remoteAddress ?? '127.0.0.1'} - - [${clf(ctx.sys.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${status} ${size} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? req.headers['User-Agent'] ?? '-'}" "${req.headers['x-forwarded-for'] ?? '-'}"\n`;
      void ctx.stdout.write(line).catch(() => undefined);
    });
    const l = ctx.sys.listen(80, listener);
    let stop: ((code: number) => void) | undefined;
    const stopped = new Promise<number>((r) => (stop = r));
    ctx.proc.handler = (sig) => {
      if (sig !== 15 && sig !== 3 && sig !== 2) return false;
      void (async () => {
        await ctx.stderr.write(`${t()} [notice] ${pid}#${pid}: signal ${sig} (${sig === 3 ? 'SIGQUIT' : sig === 2 ? 'SIGINT' : 'SIGTERM'}) received, exiting\n`);
        await ctx.stderr.write(`${t()} [notice] ${pid + 28}#${pid + 28}: exiting\n${t()} [notice] ${pid}#${pid}: worker process ${pid + 28} exited with code 0\n${t()} [notice] ${pid}#${pid}: exit\n`);
        stop?.(0);
      })();
      return true;
    };
    try {
      return await ctx.proc.race(stopped);
    } finally {
      l.dispose();
    }
  };
}

/** nginx's /docker-entrypoint.sh: its configuration notices, then exec of the command. */
export const nginxEntrypoint: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') {
    const log = (m: string): Promise<void> => ctx.stdout.write(m + '\n');
    await log('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    await log('/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/');
    await log('/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh');
    await log('10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf');
    await log('10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf');
    await log('/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh');
    await log('/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh');
    await log('/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh');
    await log('/docker-entrypoint.sh: Configuration complete; ready for start up');
  }
  return execNext(ctx, args);
};

export async function execNext(ctx: ProgramContext, argv: string[]): Promise<number> {
  if (!argv.length) return 0;
  const program = ctx.sys.findProgram(argv[0]);
  if (!program) {
    await ctx.stderr.write(`${ctx.argv[0]}: exec: line 47: ${argv[0]}: not found\n`);
    return 127;
  }
  ctx.proc.argv = argv;
  return program({ ...ctx, argv });
}

/** A daemon that prints its startup log lines and serves a port until stopped (TERM: clean exit 0). */
export function daemon(options: { lines: (ctx: ProgramContext) => string[]; stream?: 'stdout' | 'stderr'; port?: number; listener?: (ctx: ProgramContext) => Listener; memoryBytes?: number; stopLines?: (ctx: ProgramContext) => string[] }): Program {
  return async (ctx) => {
    const write = options.stream === 'stderr' ? ctx.stderr : ctx.stdout;
    for (const line of options.lines(ctx)) await write.write(line + '\n');
    const l = options.port !== undefined ? ctx.sys.listen(options.port, options.listener?.(ctx) ?? {}) : undefined;
    if (options.memoryBytes) ctx.sys.allocate(options.memoryBytes);
    let stop: ((code: number) => void) | undefined;
    const stopped = new Promise<number>((r) => (stop = r));
    ctx.proc.handler = (sig) => {
      if (sig !== 15 && sig !== 2) return false;
      void (async () => {
        for (const line of options.stopLines?.(ctx) ?? []) await write.write(line + '\n');
        stop?.(0);
      })();
      return true;
    };
    try {
      return await ctx.proc.race(stopped);
    } finally {
      l?.dispose();
    }
  };
}

export function textHttp(body: string, server: string, contentTypeHeader = 'text/html; charset=UTF-8'): (ctx: ProgramContext) => Listener {
  return (ctx) => ({
    http: (req) => {
      const bytes = encode(body);
      return Promise.resolve({ status: 200, headers: { Date: httpDate(ctx.sys.clock.now()), Server: server, 'Content-Type': contentTypeHeader, 'Content-Length': String(bytes.length) }, body: req.method === 'HEAD' ? new Uint8Array() : bytes });
    },
  });
}
