/**
 * What the unlock wizard tells people about a part, from the catalogue: how its family
 * removes read-out protection (docs/spec/stm8-target.md §3.5: STM8S/AF write ROP off with the factory
 * option bytes and the option load at reset mass-erases; STM8L writes 0xAA to ROP twice, the
 * first starting a global erase; STM8L101/001 use the STM8S polarity without complements),
 * and exactly which memories are lost. Pure: no Vue, no DOM.
 */
import type { Part } from '#shared/catalogue/types';
import { hex } from '#shared/hex';

export interface UnlockMethod {
  /** Short name of the procedure ("STM8S method"). */
  name: string;
  /** The steps in words. */
  steps: string[];
}

export interface ErasedArea {
  label: string;
  start: number;
  size: number;
}

export function sizeWords(bytes: number): string {
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

export function unlockMethod(part: Part): UnlockMethod {
  const rop = hex(part.rop.address, 4);
  switch (part.rop.style) {
    case 'stm8l':
      return {
        name: 'STM8L method (ROP written twice)',
        steps: [
          `Write 0xAA to the ROP byte at ${rop}: the chip starts a global erase of flash and data EEPROM.`,
          'Write 0xAA to the ROP byte a second time: read-out protection is removed.',
          'Reset and reconnect, then check the chip is unprotected and blank.',
        ],
      };
    case 'stm8s-polarity-no-complements':
      return {
        name: 'STM8L101 method (factory option bytes, no complements)',
        steps: [
          `Write the factory option bytes, ROP ${rop} = ${hex(part.rop.unprotectedValue, 2)}.`,
          'Reset: loading the new option bytes erases flash and data memory.',
          'Reconnect and check the chip is unprotected and blank.',
        ],
      };
    default:
      return {
        name: 'STM8S method (factory option bytes with complements)',
        steps: [
          `Write ROP ${rop} = ${hex(part.rop.unprotectedValue, 2)} and every other option byte to its factory value, with complements.`,
          'Reset: loading the new option bytes mass-erases flash and data EEPROM.',
          'Reconnect and check the chip is unprotected and blank.',
        ],
      };
  }
}

/** The memories removing protection erases (program flash and data EEPROM). */
export function erasedAreas(part: Part): ErasedArea[] {
  const list: ErasedArea[] = [{ label: 'Program flash', start: part.flash.start, size: part.flash.size }];
  if (part.eeprom) list.push({ label: 'Data EEPROM', start: part.eeprom.start, size: part.eeprom.size });
  else if (part.dataInFlash) list[0].label = 'Program flash (including the data area)';
  return list;
}

/** The sentence the consent box states: what will be lost, on which chip. */
export function consentText(part: Part, chipName: string): string {
  const areas = erasedAreas(part)
    // "Program flash" → "program flash"; acronyms (EEPROM) keep their case.
    .map((a) => `${a.label[0].toLowerCase()}${a.label.slice(1)} (${sizeWords(a.size)})`)
    .join(' and ');
  return `I understand that everything in ${areas} of this ${chipName} will be erased and cannot be recovered.`;
}
