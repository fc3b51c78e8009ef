/**
 * The most data an image file may load: the memory of the largest part in the catalogue
 * (flash, EEPROM, RAM, option bytes and boot ROM together). A file holding more is not
 * firmware for any STM8, and refusing it as soon as it passes this mark bounds the time and
 * memory any file can cost.
 */
import { allParts } from '../catalogue/parts';

let cached: number | undefined;

export function maxImageDataBytes(): number {
  cached ??= Math.max(...allParts().map((p) => p.regions.reduce((sum, r) => sum + r.size, 0)));
  return cached;
}
