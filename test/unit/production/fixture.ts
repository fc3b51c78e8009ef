/** A recipe folder for production tests: firmware as Intel HEX, pinned by its SHA-256. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryImage } from '#shared/image/memory-image';
import { writeImage } from '#shared/image/format';

export interface RecipeFolder {
  dir: string;
  recipePath: string;
  firmware: Uint8Array;
  firmwareSha256: string;
}

/** Firmware bytes that are not blank anywhere (so verify has something to catch). */
export function firmwareBytes(size: number, seed = 7): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = (x >>> 16) & 0xff;
  }
  return b;
}

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A folder with fw.hex and recipe.json; `extra` is merged into the minimal recipe. */
export function recipeFolder(extra: Record<string, unknown> = {}, firmwareSize = 1024): RecipeFolder {
  const dir = mkdtempSync(join(tmpdir(), 'swim-production-'));
  const firmware = firmwareBytes(firmwareSize);
  const hex = writeImage(MemoryImage.fromBytes('fw', 0x8000, firmware), 'ihex');
  writeFileSync(join(dir, 'fw.hex'), hex);
  const recipe = {
    part: 'stm8s103f3',
    firmware: [{ file: 'fw.hex', sha256: sha256(hex) }],
    serial: { region: 'eeprom', address: '0x4000', encoding: 'u32le', start: 1000, step: 1 },
    log: 'production.jsonl',
    ...extra,
  };
  const recipePath = join(dir, 'recipe.json');
  writeFileSync(recipePath, JSON.stringify(recipe, null, 2));
  return { dir, recipePath, firmware, firmwareSha256: sha256(hex) };
}
