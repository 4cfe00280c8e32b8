// `npm run web -- [--port N] [--data-dir DIR] [--no-open]`: the app in a browser. Prints one line,
// the URL with its access token; problems go to stderr. `npm run web` runs the build of this file
// (out/main/web-main.js) with plain node; `tsx src/core/app/web-main.ts` works too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { newAccessToken } from './access-token.js';
import { defaultDataDir, startBackend } from './backend.js';
import { startWebServer } from './web-server.js';

export interface WebArgs {
  port: number;
  dataDir: string;
  open: boolean;
}

export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WebArgs {
  const args: WebArgs = { port: 0, dataDir: defaultDataDir(env), open: !env.CI };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a TCP port (0 picks a free one)`);
      args.port = port;
    } else if (flag === '--data-dir') args.dataDir = resolve(value());
    else if (flag === '--no-open') args.open = false;
    else throw new Error(`unknown flag ${arg}; flags: --port N, --data-dir DIR, --no-open`);
  }
  return args;
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`kubedesk web: could not open a browser (${cmd}); open the URL above yourself\n`));
  child.unref();
}

async function main(): Promise<void> {
  let args: WebArgs;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`kubedesk web: ${(error as Error).message}\n`);
    process.exit(2);
  }
  // The project's root: this file runs from out/main once built (`npm run web`), from src/core/app under tsx.
  const root = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../..' : '../..', import.meta.url));
  const staticDir = join(root, 'out', 'renderer');
  if (!existsSync(`${staticDir}/index.html`)) {
    process.stderr.write(`kubedesk web: the UI is not built (${staticDir}/index.html missing); run 'npm run build' or use 'npm run web', which builds it\n`);
    process.exit(1);
  }
  const backend = startBackend({ dataDir: args.dataDir, toolDirs: [join(root, '.tools', 'bin')], watchJsonTextOnly: true, log: (line) => process.stderr.write(`kubedesk: ${line}\n`) });
  const server = await startWebServer({ staticDir, token: newAccessToken(), app: backend.app, port: args.port }).catch(async (error: unknown) => {
    process.stderr.write(`kubedesk web: cannot listen on 127.0.0.1:${args.port}: ${(error as Error).message}; pick another --port or 0\n`);
    await backend.dispose();
    process.exit(1);
  });
  process.stdout.write(`Kubedesk is running at ${server.url}\n`);
  if (args.open) openBrowser(server.url);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
