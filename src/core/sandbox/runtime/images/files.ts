// The files every container starts with: what the image ships (os-release, binaries on PATH) and
// what the runtime writes (hostname, hosts, resolv.conf with the cluster DNS).
import type { ContainerConfig } from '../types.js';
import type { Vfs } from '../vfs.js';
import type { ResolvedImage } from '../container.js';
import { NGINX_WELCOME } from './servers.js';

const OS_RELEASE: Record<string, string> = {
  busybox: '',
  alpine: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
  ubuntu: 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\n',
};

/** The image's own files: built once per image version and shared by its containers. */
export function buildImageFiles(fs: Vfs, image: ResolvedImage, tools: string[], programPaths: string[]): void {
  const os = image.def.os;
  for (const d of ['/bin', '/etc', '/tmp', '/root', '/var/log', '/var/run', '/dev', '/proc', '/sys', '/usr/bin', '/usr/local/bin', '/usr/sbin', '/home']) fs.mkdir(d, true);
  if (os !== 'distroless') {
    const binDir = os === 'busybox' || os === 'alpine' ? '/bin' : '/usr/bin';
    for (const t of tools) if (/^[a-z][\w.+-]*$/.test(t)) fs.writeFile(`${binDir}/${t}`, '', { mode: 0o755 });
    if (binDir === '/usr/bin') for (const t of ['sh', 'bash', 'ls', 'cat']) fs.writeFile(`/bin/${t}`, '', { mode: 0o755 });
  }
  for (const p of programPaths) {
    fs.mkdir(p.replace(/\/[^/]*$/, '') || '/', true);
    fs.writeFile(p, '', { mode: 0o755 });
  }
  const release = OS_RELEASE[os];
  if (release) fs.writeFile('/etc/os-release', release);
  fs.writeFile('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  fs.writeFile('/proc/version', 'Linux version 6.8.0-kubedesk (kubedesk@sandbox) #1 SMP PREEMPT_DYNAMIC\n');
  fs.writeFile('/proc/cpuinfo', 'processor\t: 0\nmodel name\t: Kubedesk Virtual CPU\n\nprocessor\t: 1\nmodel name\t: Kubedesk Virtual CPU\n');
  fs.writeFile('/proc/meminfo', 'MemTotal:       16303000 kB\nMemFree:         6271000 kB\nMemAvailable:   12100000 kB\n');
  fs.writeFile('/dev/termination-log', '');
  for (const [path, content] of Object.entries(image.def.files?.(image.version) ?? {})) {
    fs.mkdir(path.replace(/\/[^/]*$/, '') || '/', true);
    fs.writeFile(path, content);
  }
  if (image.def.repository.endsWith('/nginx')) {
    fs.mkdir('/usr/share/nginx/html', true);
    fs.writeFile('/usr/share/nginx/html/index.html', NGINX_WELCOME);
    fs.mkdir('/docker-entrypoint.d', true);
  }
}

/** What the runtime writes for each container: its names and the cluster DNS. */
export function writePodFiles(fs: Vfs, config: ContainerConfig): void {
  fs.writeFile('/etc/hostname', config.hostname + '\n');
  fs.writeFile('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${config.podIP}\t${config.hostname}\n`);
  fs.writeFile('/etc/resolv.conf', `search ${config.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
}
