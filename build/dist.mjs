// `npm run dist`, after electron-vite build: checks that Electron's binary for this platform can be
// had (cached, or downloadable from the mirror), then runs electron-builder with
// build/electron-builder.yml. Where the download is impossible it says so plainly instead of
// letting electron-builder fail deep inside a download. `--check` only runs the check.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const platform = process.platform === 'win32' ? 'win32' : process.platform;
const zip = `electron-v${version}-${platform}-${process.arch}.zip`;
const mirror = (process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/').replace(/\/?$/, '/');
const url = `${mirror}v${version}/${zip}`;

function cacheDirs() {
  const dirs = [process.env.ELECTRON_CACHE, process.env.electron_config_cache];
  if (process.platform === 'darwin') dirs.push(join(homedir(), 'Library', 'Caches', 'electron'));
  else if (process.platform === 'win32') dirs.push(join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache'));
  else dirs.push(join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron'));
  return dirs.filter(Boolean);
}

function cached() {
  for (const dir of cacheDirs()) {
    if (!existsSync(dir)) continue;
    if (existsSync(join(dir, zip))) return join(dir, zip);
    // @electron/get keeps each download in a folder named after a hash of its URL.
    for (const sub of readdirSync(dir, { withFileTypes: true })) if (sub.isDirectory() && existsSync(join(dir, sub.name, zip))) return join(dir, sub.name, zip);
  }
  return undefined;
}

async function reachable() {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    return response.ok ? undefined : `the server answered ${response.status} ${response.statusText}`;
  } catch (error) {
    const cause = error?.cause?.message ?? error?.message ?? String(error);
    return cause;
  }
}

const found = cached();
if (!found) {
  const problem = await reachable();
  if (problem) {
    process.stderr.write(
      `Kubedesk installers: cannot build here, Electron's binary is not available.\n` +
        `  electron-builder needs ${zip} (Electron ${version}) and could not download it from\n  ${url}\n  (${problem}).\n` +
        `  Build the installers on a machine that can reach that address, set ELECTRON_MIRROR to a mirror it can reach,\n` +
        `  or put ${zip} in ${cacheDirs().at(-1)}.\n` +
        `  Nothing else needs Electron's binary: npm start runs the same app in web mode.\n`,
    );
    process.exit(1);
  }
}
if (checkOnly) {
  process.stdout.write(`Electron ${version} for ${platform}-${process.arch}: ${found ? `cached at ${found}` : `downloadable from ${url}`}\n`);
  process.exit(0);
}
const builder = join(root, 'node_modules', 'electron-builder', 'cli.js');
const child = spawn(process.execPath, [builder, '--config', join('build', 'electron-builder.yml'), ...args], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
