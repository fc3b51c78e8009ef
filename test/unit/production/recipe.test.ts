import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../../src/main/production/recipe';
import { ropConsentText } from '../../../src/main/production/rop-consent';
import { findPart } from '#shared/catalogue/index';
import { recipeFolder, sha256 } from './fixture';

describe('production recipe', () => {
  it('accepts the minimal recipe of issue 15, with paths relative to the recipe file', async () => {
    const f = recipeFolder();
    const r = await loadRecipe(f.recipePath);
    expect(r.part.name).toBe('stm8s103f3');
    expect(r.firmware[0].path).toBe(join(f.dir, 'fw.hex'));
    expect(r.logPath).toBe(join(f.dir, 'production.jsonl'));
    expect(r.journalPath).toBe(join(f.dir, 'production.jsonl.journal'));
    expect(r.serial).toMatchObject({ region: 'eeprom', address: 0x4000, encoding: 'u32le', source: { kind: 'counter', start: 1000, step: 1 } });
    expect(r.image.segments[0].address).toBe(0x8000);
    expect(r.repeatedUid).toBe('same-serial');
  });

  it('refuses a changed firmware file, naming both hashes', async () => {
    const f = recipeFolder();
    writeFileSync(join(f.dir, 'fw.hex'), ':00000001FF\n');
    const err = await loadRecipe(f.recipePath).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'file-changed' });
    expect((err as Error).message).toContain(f.firmwareSha256);
    expect((err as Error).message).toContain(sha256(':00000001FF\n'));
  });

  it('refuses unknown keys, a serial outside its region, overlaps and unknown option fields', async () => {
    await expect(loadRecipe(recipeFolder({ serail: {} }).recipePath)).rejects.toMatchObject({ code: 'bad-recipe' });
    await expect(loadRecipe(recipeFolder({ serial: { region: 'eeprom', address: '0x8000', encoding: 'u32le', start: 1 } }).recipePath)).rejects.toMatchObject({ code: 'bad-recipe' });
    await expect(loadRecipe(recipeFolder({ serial: { region: 'flash', address: '0x8010', encoding: 'u32le', start: 1 } }).recipePath)).rejects.toThrow(/overlap/);
    await expect(loadRecipe(recipeFolder({ optionBytes: { NOPE: 1 } }).recipePath)).rejects.toThrow(/NOPE/);
    await expect(loadRecipe(recipeFolder({ serial: { region: 'eeprom', address: '0x4000', encoding: 'ascii', start: 1 } }).recipePath)).rejects.toThrow(/format/);
  });

  it('reads a pinned serial list and refuses repeats in it', async () => {
    const f = recipeFolder();
    const withList = (text: string, encoding = 'ascii'): void => {
      writeFileSync(join(f.dir, 'serials.txt'), text);
      const recipe = JSON.parse(readFileSync(f.recipePath, 'utf8')) as Record<string, unknown>;
      recipe.serial = { region: 'eeprom', address: 16384, encoding, length: 8, list: { file: 'serials.txt', sha256: sha256(text) } };
      writeFileSync(f.recipePath, JSON.stringify(recipe));
    };
    withList('# lot 7\nA-001\nA-002\n');
    expect((await loadRecipe(f.recipePath)).serial.source).toMatchObject({ kind: 'list', values: ['A-001', 'A-002'] });
    withList('A-001\nA-001\n');
    await expect(loadRecipe(f.recipePath)).rejects.toThrow(/more than once/);
    withList('A-001\n', 'u32le');
    await expect(loadRecipe(f.recipePath)).rejects.toMatchObject({ code: 'bad-serial' });
  });

  it('takes read-out protection only with the exact consent sentence', async () => {
    const part = findPart('stm8s103f3');
    await expect(loadRecipe(recipeFolder({ readoutProtection: { consent: 'yes' } }).recipePath)).rejects.toThrow(/consent/);
    const r = await loadRecipe(recipeFolder({ readoutProtection: { consent: ropConsentText(part) } }).recipePath);
    expect(r.readoutProtection).toBe(true);
  });
});
