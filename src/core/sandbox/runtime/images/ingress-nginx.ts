// The ingress-nginx controller's process: its startup banner and log, then nginx routing requests by
// Host and path to the ready endpoints of the chosen Ingress backend (as its Lua balancer does,
// round robin over pod IPs), with ingress-nginx's access log format ("upstreaminfo") and its error
// pages (404 from the default backend, 503 when a backend has no endpoints).
import { randomBytes } from 'node:crypto';
import type { Program, ProgramContext } from '../shell/system.js';
import type { HttpRequest, HttpResponse } from '../types.js';
import { encode } from '../shell/io.js';
import { strftime } from '../tools/format.js';
import { statusText } from '../tools/net.js';
import { httpDate } from './servers.js';
import { klog } from './klog.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NGINX = '1.25.5';

function timeLocal(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${strftime('%H:%M:%S', d)} +0000`;
}

function errorPage(status: number): Uint8Array {
  const title = `${status} ${status === 503 ? 'Service Temporarily Unavailable' : statusText(status)}`;
  return encode(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

function banner(version: string): string {
  return [
    '-------------------------------------------------------------------------------',
    'NGINX Ingress controller',
    `  Release:       v${version}`,
    '  Build:         8e4c4ba3f0b2c6a4d0c8b4e9c1a3e0f6b7d2c5a1',
    '  Repository:    https://github.com/kubernetes/ingress-nginx',
    `  nginx version: nginx/${NGINX}`,
    '',
    '-------------------------------------------------------------------------------',
    '',
  ].join('\n');
}

const arg = (ctx: ProgramContext, name: string): string | undefined => ctx.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

export function ingressNginxController(version: string): Program {
  return async (ctx) => {
    const controllerClass = arg(ctx, 'controller-class') ?? 'k8s.io/ingress-nginx';
    const ns = ctx.env.POD_NAMESPACE ?? ctx.sys.namespace;
    await ctx.stdout.write(banner(version));
    const log = (severity: 'I' | 'W', where: string, message: string) => ctx.stderr.write(klog(ctx, severity, where, message) + '\n');
    await log('W', 'client_config.go:667', 'Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.');
    await log('I', 'main.go:205', '"Creating API client" host="https://10.96.0.1:443"');
    await log('I', 'main.go:248', '"Running in Kubernetes cluster" major="1" minor="32" git="v1.32.3" state="clean" commit="32cc146f75aad04beaaa245a7157eb35063a9f99" platform="linux/amd64"');
    await log('I', 'main.go:101', '"SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"');
    await log('I', 'nginx.go:273', '"Starting NGINX Ingress controller"');
    await log('I', 'event.go:377', `Event(v1.ObjectReference{Kind:"ConfigMap", Namespace:"${ns}", Name:"ingress-nginx-controller", APIVersion:"v1"}): type: 'Normal' reason: 'CREATE' ConfigMap ${ns}/ingress-nginx-controller`);
    await log('I', 'nginx.go:319', '"Starting NGINX process"');
    await log('I', 'leaderelection.go:254', `attempting to acquire leader lease ${ns}/${arg(ctx, 'election-id') ?? 'ingress-nginx-leader'}...`);
    await log('I', 'controller.go:193', '"Configuration changes detected, backend reload required"');
    await log('I', 'leaderelection.go:268', `successfully acquired lease ${ns}/${arg(ctx, 'election-id') ?? 'ingress-nginx-leader'}`);
    await log('I', 'status.go:85', `"New leader elected" identity="${ctx.sys.hostname}"`);
    await log('I', 'controller.go:213', '"Backend successfully reloaded"');
    await log('I', 'controller.go:224', '"Initial sync, sleeping for 1 second"');

    const cursor = new Map<string, number>();
    const serve = async (req: HttpRequest, scheme: string): Promise<HttpResponse> => {
      const started = ctx.sys.clock.now();
      const hostHeader = req.headers.host ?? req.headers.Host ?? '';
      const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
      const requestId = randomBytes(16).toString('hex');
      const route = ctx.sys.ingress?.route(controllerClass, host, req.path);
      let status: number;
      let body: Uint8Array;
      let headers: Record<string, string> = {};
      let upstream = 'upstream-default-backend';
      let upstreamAddr = '127.0.0.1:8181';
      if (!route) {
        status = 404;
        body = errorPage(404);
      } else {
        upstream = `${route.namespace}-${route.service}-${route.servicePort}`;
        const n = cursor.get(upstream) ?? 0;
        cursor.set(upstream, n + 1);
        const target = route.endpoints[n % Math.max(route.endpoints.length, 1)];
        const ep = target ? ctx.sys.network.connect(target.ip, target.port) : undefined;
        upstreamAddr = target ? `${target.ip}:${target.port}` : '-';
        const remote = req.remoteAddress ?? '127.0.0.1';
        const forwarded = {
          ...req.headers,
          host: hostHeader,
          'x-request-id': requestId,
          'x-real-ip': remote,
          'x-forwarded-for': remote,
          'x-forwarded-host': host,
          'x-forwarded-port': scheme === 'https' ? '443' : '80',
          'x-forwarded-proto': scheme,
          'x-forwarded-scheme': scheme,
          'x-scheme': scheme,
        };
        const res = ep ? await ep.http({ method: req.method, path: route.path, headers: forwarded, body: req.body, remoteAddress: ctx.sys.podIP }) : undefined;
        if (!target) {
          status = 503;
          body = errorPage(503);
        } else if (!res) {
          status = 502;
          body = errorPage(502);
        } else {
          status = res.status;
          body = res.body;
          // nginx drops the upstream's Date and Server and sends its own.
          headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !/^(date|server|connection|content-length)$/i.test(k)));
        }
      }
      const isError = headers['Content-Type'] === undefined && headers['content-type'] === undefined;
      const out: HttpResponse = {
        status,
        headers: { Date: httpDate(ctx.sys.clock.now()), ...(isError ? { 'Content-Type': 'text/html' } : {}), ...headers, 'Content-Length': String(body.length), Connection: 'keep-alive' },
        body: req.method === 'HEAD' ? new Uint8Array() : body,
      };
      const ms = ((ctx.sys.clock.now().getTime() - started.getTime()) / 1000).toFixed(3);
      const requestLength = `${req.method} ${req.path} HTTP/1.1\r\n`.length + Object.entries(req.headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 2);
      const line = `${req.remoteAddress ?? '127.0.0.1'} - - [${timeLocal(started)}] "${req.method} ${req.path} HTTP/1.1" ${status} ${out.body.length} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}" ${requestLength} ${ms} [${upstream}] [] ${upstreamAddr} ${body.length} ${ms} ${status} ${requestId}\n`;
      void ctx.stdout.write(line).catch(() => undefined);
      return out;
    };
    const ok = { http: () => Promise.resolve({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' }, body: encode('ok') }) };
    const listeners = [ctx.sys.listen(80, { http: (req) => serve(req, 'http') }), ctx.sys.listen(443, { http: (req) => serve(req, 'https') }), ctx.sys.listen(10254, ok), ctx.sys.listen(8443, ok)];
    ctx.sys.allocate(80 * 1024 * 1024);
    let stop: ((code: number) => void) | undefined;
    const stopped = new Promise<number>((r) => (stop = r));
    ctx.proc.handler = (sig) => {
      if (sig !== 15 && sig !== 2) return false;
      void (async () => {
        await log('I', 'sigterm.go:36', '"Received SIGTERM, shutting down"');
        await log('I', 'nginx.go:393', '"Shutting down controller queues"');
        await log('I', 'nginx.go:401', '"Stopping NGINX process"');
        await log('I', 'sigterm.go:47', '"Exiting" code=0');
        stop?.(0);
      })();
      return true;
    };
    try {
      return await ctx.proc.race(stopped);
    } finally {
      for (const l of listeners) l.dispose();
    }
  };
}
