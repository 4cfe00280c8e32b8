// Network applets over the sandbox's simulated network: names resolve through cluster DNS (the
// kubelet's Resolver) with the pod's search domains, connections reach other simulated containers.
import type { Program, ProgramContext } from '../shell/system.js';
import type { HttpResponse, NetworkEndpoint } from '../types.js';
import { decode, encode } from '../shell/io.js';
import { err, fsPath, out, parseArgs } from './util.js';

const DNS_IP = '10.96.0.10';

export interface Resolved {
  name: string;
  ips: string[];
}

/** Resolves as glibc/musl would with ndots:5: search domains first for names with few dots. */
export function lookup(ctx: ProgramContext, name: string): Resolved | undefined {
  const n = name.replace(/\.$/, '');
  if (/^\d+(\.\d+){0,3}$/.test(n)) return { name: n, ips: [expandShortIp(n)] };
  if (n === 'localhost') return { name: n, ips: ['127.0.0.1'] };
  if (n === ctx.sys.hostname) return { name: n, ips: [ctx.sys.podIP] };
  for (const line of safeRead(ctx, '/etc/hosts').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length > 1 && !parts[0].startsWith('#') && parts.slice(1).includes(n)) return { name: n, ips: [parts[0]] };
  }
  const candidates = (n.split('.').length - 1 >= 5 || name.endsWith('.') ? [n] : []).concat(ctx.sys.searchDomains.map((d) => `${n}.${d}`), [n]);
  for (const fqdn of candidates) {
    const r = ctx.sys.resolver.resolve(fqdn);
    const ips = r === undefined ? [] : typeof r === 'string' ? [r] : r;
    if (ips.length) return { name: fqdn, ips };
    // An ExternalName service: the resolver follows its CNAME (only cluster names resolve offline).
    const cname = ctx.sys.resolver.cname?.(fqdn);
    if (cname !== undefined) {
      const target = ctx.sys.resolver.resolve(cname.replace(/\.$/, ''));
      const targetIps = target === undefined ? [] : typeof target === 'string' ? [target] : target;
      return targetIps.length ? { name: fqdn, ips: targetIps } : undefined;
    }
  }
  return undefined;
}

function expandShortIp(ip: string): string {
  const p = ip.split('.');
  if (p.length === 4) return ip;
  if (p.length === 2) return `${p[0]}.0.0.${p[1]}`;
  if (p.length === 3) return `${p[0]}.${p[1]}.0.${p[2]}`;
  return ip;
}

function safeRead(ctx: ProgramContext, path: string): string {
  try {
    return ctx.sys.fs.readText(path);
  } catch {
    return '';
  }
}

function endpoint(ctx: ProgramContext, ip: string, port: number): NetworkEndpoint | undefined {
  // Containers of a pod share its network namespace: localhost reaches the other containers too.
  if (ip.startsWith('127.') || ip === ctx.sys.podIP) return ctx.sys.localEndpoint(port) ?? ctx.sys.network.connect(ctx.sys.podIP, port);
  return ctx.sys.network.connect(ip, port);
}

const ping: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-c', '-W', '-w', '-i', '-s']);
  const host = rest[0];
  if (!host) {
    await err(ctx, 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n');
    return 1;
  }
  const r = lookup(ctx, host);
  if (!r) {
    await err(ctx, `ping: bad address '${host}'\n`);
    return 1;
  }
  const ip = r.ips[0];
  const count = flags.has('-c') ? Number(flags.get('-c')) : Infinity;
  const deadline = flags.has('-w') ? Number(flags.get('-w')) * 1000 : Infinity;
  // Service ClusterIPs are virtual (kube-proxy rules): nothing answers ICMP there.
  const answers = !/^10\.(9[6-9]|10[0-9]|11[01])\./.test(ip);
  let interrupted = false;
  let wake: (() => void) | undefined;
  ctx.proc.handler = (sig) => {
    if (sig !== 2) return false;
    interrupted = true;
    wake?.();
    return true;
  };
  await out(ctx, `PING ${host} (${ip}): 56 data bytes\n`);
  const times: number[] = [];
  let sent = 0;
  const started = ctx.sys.clock.now().getTime();
  while (sent < count && !interrupted && ctx.sys.clock.now().getTime() - started < deadline) {
    const t = ip.startsWith('127.') || ip === ctx.sys.podIP ? 0.04 + ((sent * 7) % 5) / 100 : 0.06 + ((sent * 13) % 9) / 100;
    if (answers) {
      times.push(t);
      await out(ctx, `64 bytes from ${ip}: seq=${sent} ttl=${ip.startsWith('127.') ? 64 : 63} time=${t.toFixed(3)} ms\n`);
    }
    sent++;
    if (sent >= count) break;
    await ctx.proc.race(new Promise<void>((resolve) => {
      wake = resolve;
      ctx.proc.sleep(1000).then(resolve, () => resolve());
    }));
  }
  const loss = Math.round(((sent - times.length) / Math.max(sent, 1)) * 100);
  let stats = `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${times.length} packets received, ${loss}% packet loss\n`;
  if (times.length) stats += `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`;
  await out(ctx, stats);
  return times.length ? 0 : 1;
};

const nslookup: Program = async (ctx) => {
  const name = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) {
    await err(ctx, 'Usage: nslookup [HOST] [SERVER]\n');
    return 1;
  }
  const old = ctx.sys.image.repository.endsWith('busybox') && /^1\.(2\d|1\d)/.test(ctx.sys.image.tag);
  const r = lookup(ctx, name);
  if (old) {
    let text = `Server:    ${DNS_IP}\nAddress 1: ${DNS_IP} kube-dns.kube-system.svc.cluster.local\n\n`;
    if (!r) {
      await out(ctx, text);
      await err(ctx, `nslookup: can't resolve '${name}'\n`);
      return 1;
    }
    text += `Name:      ${r.name}\n` + r.ips.map((ip, i) => `Address ${i + 1}: ${ip} ${r.name}\n`).join('');
    await out(ctx, text);
    return 0;
  }
  let text = `Server:\t\t${DNS_IP}\nAddress:\t${DNS_IP}:53\n\n`;
  if (/^\d+(\.\d+){3}$/.test(name)) {
    if (!r) {
      await out(ctx, text + `** server can't find ${name}: NXDOMAIN\n\n`);
      return 1;
    }
    await out(ctx, text + r.ips.map((ip) => `Name:\t${r.name}\nAddress: ${ip}\n`).join('') + '\n');
    return 0;
  }
  // Busybox (1.31+) sends every query at once, A then AAAA, each name of the search list when the
  // name has no dot (a name with a dot is asked as is, which is why `nslookup web.default` fails),
  // and prints each reply; any NXDOMAIN makes the exit status 1, even beside an answer.
  const names = name.includes('.') ? [name.replace(/\.$/, '')] : ctx.sys.searchDomains.map((d) => `${name}.${d}`);
  let status = 0;
  for (const type of ['A', 'AAAA'] as const) {
    for (const n of names) {
      const answer = dnsAnswer(ctx, n, type);
      if (answer === undefined) {
        text += `** server can't find ${n}: NXDOMAIN\n`;
        status = 1;
      } else text += answer;
      text += '\n';
    }
  }
  await out(ctx, text);
  return status;
};

function resolveAll(ctx: ProgramContext, fqdn: string): string[] {
  const r = ctx.sys.resolver.resolve(fqdn);
  return r === undefined ? [] : typeof r === 'string' ? [r] : r;
}

/** What cluster DNS answers for one query, as busybox prints it; undefined: NXDOMAIN. */
function dnsAnswer(ctx: ProgramContext, fqdn: string, type: 'A' | 'AAAA'): string | undefined {
  // An ExternalName service is a CNAME; CoreDNS adds the target's records when it can resolve them.
  const cname = ctx.sys.resolver.cname?.(fqdn);
  if (cname !== undefined) {
    const target = type === 'A' ? resolveAll(ctx, cname.replace(/\.$/, '')) : [];
    return `${fqdn}\tcanonical name = ${cname}\n` + target.map((ip) => `Name:\t${cname}\nAddress: ${ip}\n`).join('');
  }
  const ips = resolveAll(ctx, fqdn);
  if (ips.length === 0) return undefined;
  // Cluster services have no IPv6 address: the AAAA reply is empty (NODATA), an empty line.
  return type === 'A' ? ips.map((ip) => `Name:\t${fqdn}\nAddress: ${ip}\n`).join('') : '';
}

interface Fetch {
  ok: boolean;
  response?: HttpResponse;
  error?: 'resolve' | 'refused';
  host: string;
  ip?: string;
  port: number;
}

/** Every -H/--header value ("Name: value"), in order: parseArgs keeps only the last of a flag. */
function headerArgs(argv: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === '-H' || a === '--header') value = argv[++i];
    else if (a.startsWith('--header=')) value = a.slice('--header='.length);
    else if (a.startsWith('-H') && a.length > 2) value = a.slice(2);
    const colon = value?.indexOf(':') ?? -1;
    if (value !== undefined && colon > 0) headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

async function fetch(ctx: ProgramContext, url: string, method: string, agent: string, extra: Record<string, string> = {}): Promise<Fetch> {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  const host = m?.[2] ?? url;
  const port = m?.[3] ? Number(m[3]) : m?.[1] === 'https' ? 443 : 80;
  const r = lookup(ctx, host);
  if (!r) return { ok: false, error: 'resolve', host, port };
  const ip = r.ips[Math.floor(Math.random() * r.ips.length)];
  const ep = endpoint(ctx, ip, port);
  const response = ep ? await ctx.proc.race(ep.http({ method, path: m?.[4] ?? '/', headers: { host: m?.[3] ? `${host}:${port}` : host, 'user-agent': agent, accept: '*/*', ...extra }, remoteAddress: ctx.sys.podIP })) : undefined;
  if (!response) return { ok: false, error: 'refused', host, ip, port };
  return { ok: true, response, host, ip, port };
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? '';
}

const wget: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-O', '-T', '-U', '--header', '-t']);
  const url = rest[0];
  if (!url) {
    await err(ctx, 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  const quiet = flags.has('-q');
  const spider = flags.has('--spider');
  const f = await fetch(ctx, url, spider ? 'HEAD' : 'GET', 'Wget', headerArgs(ctx.argv));
  if (!quiet) await err(ctx, `Connecting to ${f.host}${f.port !== 80 ? `:${f.port}` : ''} (${f.ip ?? f.host}:${f.port})\n`);
  if (f.error === 'resolve') {
    await err(ctx, `wget: bad address '${f.host}${f.port !== 80 ? `:${f.port}` : ''}'\n`);
    return 1;
  }
  if (!f.response) {
    await err(ctx, `wget: can't connect to remote host (${f.ip}): Connection refused\n`);
    return 1;
  }
  if (f.response.status >= 400) {
    await err(ctx, `wget: server returned error: HTTP/1.1 ${f.response.status} ${statusText(f.response.status)}\n`);
    return 1;
  }
  if (spider) {
    if (!quiet) await err(ctx, 'remote file exists\n');
    return 0;
  }
  const target = flags.get('-O') ?? (url.split('/').slice(3).pop() || 'index.html');
  if (target === '-') {
    if (!quiet) await err(ctx, 'writing to stdout\n');
    await ctx.stdout.write(f.response.body);
    if (!quiet) await err(ctx, `-                    100% |********************************|   ${f.response.body.length}  0:00:00 ETA\nwritten to stdout\n`);
    return 0;
  }
  ctx.sys.fs.writeFile(fsPath(ctx, target), f.response.body);
  if (!quiet) await err(ctx, `saving to '${target}'\n${target.padEnd(20)} 100% |********************************|   ${f.response.body.length}  0:00:00 ETA\n'${target}' saved\n`);
  return 0;
};

const curl: Program = async (ctx) => {
  const { flags, rest } = parseArgs(ctx.argv, ['-o', '-X', '-H', '-m', '--max-time', '-w', '-d', '--connect-timeout', '-u', '-A']);
  const url = rest[0];
  if (!url) {
    await err(ctx, "curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const silent = flags.has('-s') || flags.has('--silent');
  const showErrors = !silent || flags.has('-S');
  const head = flags.has('-I') || flags.has('--head');
  const f = await fetch(ctx, url, head ? 'HEAD' : (flags.get('-X') ?? 'GET'), 'curl/8.11.1', headerArgs(ctx.argv));
  if (f.error === 'resolve') {
    if (showErrors) await err(ctx, `curl: (6) Could not resolve host: ${f.host}\n`);
    return 6;
  }
  if (!f.response) {
    if (showErrors) await err(ctx, `curl: (7) Failed to connect to ${f.host} port ${f.port} after 0 ms: Couldn't connect to server\n`);
    return 7;
  }
  const res = f.response;
  if ((flags.has('-f') || flags.has('--fail')) && res.status >= 400) {
    if (showErrors) await err(ctx, `curl: (22) The requested URL returned error: ${res.status}\n`);
    return 22;
  }
  const headerText = `HTTP/1.1 ${res.status} ${statusText(res.status)}\r\n` + Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  const body = head ? encode(headerText) : flags.has('-i') ? new Uint8Array([...encode(headerText), ...res.body]) : res.body;
  const o = flags.get('-o');
  if (o && o !== '-' && o !== '/dev/null') ctx.sys.fs.writeFile(fsPath(ctx, o), body);
  else if (o !== '/dev/null') await ctx.stdout.write(body);
  const w = flags.get('-w');
  if (w) await out(ctx, w.replace(/%\{http_code\}/g, String(res.status)).replace(/\\n/g, '\n'));
  void decode;
  return 0;
};

/** nc/ncat: -z port checks, --recv-only/-l for the course's MySQL StatefulSet (xtrabackup clone). */
const nc: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const listen = args.includes('-l') || args.includes('--listen');
  const name = ctx.argv[0].split('/').pop() ?? 'nc';
  const positional = args.filter((a, i) => !a.startsWith('-') && !['-c', '-e', '-w', '--max-conns', '-i'].includes(args[i - 1] ?? '') && !/^--max-conns=/.test(a));
  if (listen) {
    const port = Number(positional[positional.length - 1]);
    const l = ctx.sys.listen(port, { tcp: (conn) => conn.end() });
    try {
      for (;;) await ctx.proc.sleep(86_400_000);
    } finally {
      l.dispose();
    }
  }
  const [host, portText] = positional;
  const r = host ? lookup(ctx, host) : undefined;
  if (!r) {
    await err(ctx, name === 'ncat' ? `Ncat: Could not resolve hostname "${host ?? ''}": Name or service not known. QUITTING.\n` : `nc: bad address '${host ?? ''}'\n`);
    return 1;
  }
  const ep = endpoint(ctx, r.ips[0], Number(portText));
  if (!ep) {
    await err(ctx, name === 'ncat' ? 'Ncat: Connection refused.\n' : '');
    return 1;
  }
  if (!args.includes('-z') && !args.includes('--recv-only')) await ctx.proc.race(ctx.stdin.readAll());
  return 0;
};

/** getent hosts (glibc, musl): /etc/hosts then DNS with the search list; "IP  canonical-name alias...", exit 2 when unknown. */
const getent: Program = async (ctx) => {
  const [database, ...keys] = ctx.argv.slice(1);
  if (database !== 'hosts' && database !== 'ahosts') {
    await err(ctx, database ? `Unknown database: ${database}\n` : 'Usage: getent [OPTION...] database [key ...]\n');
    return 1;
  }
  let status = 0;
  for (const key of keys) {
    const r = lookup(ctx, key);
    if (!r) {
      status = 2;
      continue;
    }
    const cname = ctx.sys.resolver.cname?.(r.name);
    const canonical = cname?.replace(/\.$/, '') ?? r.name;
    const aliases = cname ? ` ${r.name}` : '';
    for (const ip of r.ips) await out(ctx, database === 'hosts' ? `${ip.padEnd(15)} ${canonical}${aliases}\n` : `${ip.padEnd(15)} STREAM ${canonical}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`);
  }
  return status;
};

export const netTools: Record<string, Program> = { ping, nslookup, wget, curl, nc, ncat: nc, getent };
