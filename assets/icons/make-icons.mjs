#!/usr/bin/env node
// Draws the SWIM Studio icon (a chip with a wave through it on a blue rounded square) and
// writes icon.png (512), png/NxN.png for Linux, and icon.ico (PNG-in-ICO, 16..256) for
// Windows. electron-builder derives the macOS .icns from icon.png. No image library: a
// tiny PNG encoder over node:zlib. Run: node assets/icons/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1), as signed distances (negative inside).
const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const wave = (x) => 0.5 + 0.075 * Math.sin((x - 0.2) * Math.PI * 4);

function colourAt(x, y) {
  // Background: rounded square with a vertical blue gradient.
  if (roundedBox(x, y, 0.5, 0.5, 0.46, 0.46, 0.1) > 0) return null;
  const t = y;
  let c = [20 + 10 * t, 92 - 40 * t, 190 - 60 * t];
  // Chip body with pins.
  const body = roundedBox(x, y, 0.5, 0.5, 0.22, 0.22, 0.03);
  let pin = false;
  for (let i = 0; i < 4; i++) {
    const p = 0.35 + i * 0.1;
    if (roundedBox(x, y, p, 0.5, 0.025, 0.3, 0.01) < 0 && body > 0) pin = true;
    if (roundedBox(x, y, 0.5, p, 0.3, 0.025, 0.01) < 0 && body > 0) pin = true;
  }
  if (pin) c = [205, 215, 230];
  if (body < 0) c = [30, 36, 48];
  if (body < 0 && body > -0.012) c = [70, 80, 100];
  // The SWIM wave across the chip.
  if (x > 0.16 && x < 0.84 && Math.abs(y - wave(x)) < 0.022) c = [255, 196, 40];
  return c;
}

function render(size) {
  const ss = 4; // supersampling for smooth edges
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = colourAt((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a++;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round((255 * a) / (ss * ss));
    }
  }
  return encodePng(size, out);
}

function encodeIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(([size, png], i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map(([, png]) => png)]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
const pngs = new Map(sizes.map((s) => [s, render(s)]));
mkdirSync(join(here, 'png'), { recursive: true });
for (const [s, png] of pngs) writeFileSync(join(here, 'png', `${s}x${s}.png`), png);
writeFileSync(join(here, 'icon.png'), pngs.get(512));
writeFileSync(join(here, 'icon.ico'), encodeIco([16, 24, 32, 48, 64, 128, 256].map((s) => [s, pngs.get(s)])));
console.log('wrote icon.png, icon.ico and png/*.png');
