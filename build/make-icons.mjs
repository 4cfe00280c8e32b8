// Renders resources/icon.svg (drawn for Kubedesk) to the PNG, ICO and ICNS files the installers
// need, with Debian's Chromium through playwright-core (no ImageMagick needed). Run it after
// editing the SVG: `node build/make-icons.mjs`; the outputs are committed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

async function render(svg) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] }).catch((error) => {
    throw new Error(`cannot start Chromium at ${chromiumPath} (${error.message}); install it (apt-get install chromium) or set CHROMIUM`);
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const pngs = new Map();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size });
      const html = `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`;
      await page.setContent(html);
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

/** ICO with PNG-compressed entries (Windows Vista and later read them). */
function ico(pngs, sizes) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  const entries = [];
  let offset = 6 + 16 * sizes.length;
  for (const size of sizes) {
    const png = pngs.get(size);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...sizes.map((s) => pngs.get(s))]);
}

/** ICNS with PNG entries: ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x). */
function icns(pngs) {
  const types = [['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]];
  const chunks = types.map(([type, size]) => {
    const png = pngs.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const svg = await readFile(join(resources, 'icon.svg'), 'utf8');
const pngs = await render(svg);
await mkdir(join(resources, 'icons'), { recursive: true });
for (const size of SIZES) await writeFile(join(resources, 'icons', `${size}x${size}.png`), pngs.get(size));
await writeFile(join(resources, 'icon.png'), pngs.get(512));
await writeFile(join(resources, 'icon.ico'), ico(pngs, [16, 32, 48, 64, 128, 256]));
await writeFile(join(resources, 'icon.icns'), icns(pngs));
process.stdout.write(`icons written to ${resources}\n`);
