/**
 * A made-up but realistic-looking STM8 firmware image for screenshots: an interrupt vector
 * table (0x82 + 24-bit address per entry), a few KB of code-like bytes and some strings.
 * Deterministic, so screenshots compare across runs.
 */
import { MemoryImage, writeIntelHex } from '#shared/image/index';

export function demoFirmwareHex(): string {
  const base = 0x8000;
  const code = new Uint8Array(0x0c00);
  // Vector table: 32 entries "82 00 xx xx" pointing into the code.
  for (let i = 0; i < 32; i++) {
    const target = i === 0 ? 0x8080 : 0x8a00 + (i % 4) * 2;
    code.set([0x82, 0x00, (target >> 8) & 0xff, target & 0xff], i * 4);
  }
  // Code-like bytes from a small LCG, with the opcodes STM8 code is full of.
  const ops = [0x35, 0x72, 0xcd, 0xa6, 0xae, 0xc7, 0x5f, 0x4f, 0x81, 0x89, 0x85, 0x1e, 0x90, 0x27, 0x26, 0x20, 0xbb, 0x5c];
  let x = 0x1234;
  for (let i = 0x80; i < 0x0a00; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    code[i] = (x >> 16) % 3 === 0 ? ops[(x >> 8) % ops.length] : (x >> 16) & 0xff;
  }
  const enc = new TextEncoder();
  const strings = ['SWIM Studio demo firmware v1.4.2', 'UART ready\r\n', 'Temperature: %d.%d C\r\n', 'Build 2026-11-30', 'Copyright (c) the makers'];
  let at = 0x0a10;
  for (const s of strings) {
    code.set(enc.encode(s + '\0'), at);
    at += Math.ceil((s.length + 1) / 16) * 16;
  }
  const eeprom = enc.encode('CALIB\x01\x02\x03\x04 serial 000172');
  return writeIntelHex(
    MemoryImage.fromSegments('demo', [
      { address: base, data: code },
      { address: 0x4000, data: eeprom },
    ]),
  );
}
