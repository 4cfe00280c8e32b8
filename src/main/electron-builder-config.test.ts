// The installers' configuration as electron-builder will read it: every platform target, icons
// that exist and are what their extension says, files that exist, node-pty unpacked from the asar,
// and `npm run dist` refusing clearly where Electron's binary cannot be downloaded.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(ROOT, 'build', 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  files: (string | { from: string; to: string })[];
  asarUnpack: string[];
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; devDependencies: Record<string, string> };

describe('electron-builder configuration', () => {
  it('names the app and builds every platform target', () => {
    expect(config.appId).toBe('io.kubedesk.desktop');
    expect(config.productName).toBe('Kubedesk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack.some((p) => p.includes('@lydell/node-pty'))).toBe(true);
    // electron-builder takes Electron's version from devDependencies.
    expect(pkg.devDependencies.electron).toBeDefined();
    // out/ emptied first (the main build keeps old chunks between builds), then built and packed.
    expect(pkg.scripts.dist).toMatch(/^node -e "require\('node:fs'\)\.rmSync\('out', \{ recursive: true, force: true \}\)" && electron-vite build && node build\/dist\.mjs$/);
  });

  it('packs what the app runs: electron-vite output (main entry included) and the sandbox data files', () => {
    expect(config.files).toContain('out/**/*');
    expect(pkg.main).toBe('out/main/index.js');
    for (const entry of config.files) {
      if (typeof entry === 'string') continue;
      expect(existsSync(join(ROOT, entry.from)), entry.from).toBe(true);
      expect(entry.to).toBe('out/main/generated');
    }
  });

  it('has icons in the formats each platform wants', () => {
    const icns = readFileSync(join(ROOT, config.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const ico = readFileSync(join(ROOT, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const png = join(ROOT, config.linux.icon, `${size}x${size}.png`);
      const bytes = readFileSync(png);
      expect(bytes.subarray(1, 4).toString('ascii'), png).toBe('PNG');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], png).toEqual([size, size]);
    }
    expect(statSync(join(ROOT, 'resources', 'icon.svg')).size).toBeGreaterThan(500);
  });

  it('npm run dist says plainly when Electron cannot be downloaded', async () => {
    // A port nothing listens on: the mirror refuses the connection.
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => done(p));
      });
    });
    const result = await promisify(execFile)(process.execPath, [join(ROOT, 'build', 'dist.mjs'), '--check'], {
      env: { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, ELECTRON_CACHE: join(ROOT, 'build', 'no-such-cache'), XDG_CACHE_HOME: join(ROOT, 'build', 'no-such-cache') },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Kubedesk installers: cannot build here, Electron's binary is not available.");
    expect(result.stderr).toMatch(new RegExp(`could not download it from\\s+http://127\\.0\\.0\\.1:${port}/v[\\d.]+/electron-v[\\d.]+-${process.platform}-${process.arch}\\.zip`));
    expect(result.stderr).toContain('ECONNREFUSED');
  });
});
