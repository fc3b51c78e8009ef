/**
 * What the virtual target holds after a run, read from the state file `swim-studio sim serve`
 * writes at SIGTERM, and what a factory-fresh part should hold, from the catalogue.
 *
 * The memories are decoded here from the file's documented layout (src/main/sim/state.ts:
 * base64 arrays placed by the part's memory map, the option page at INFO_START) rather than
 * by rebuilding a virtual probe from the file: that way a save that puts bytes at the wrong
 * offset is caught here, and a restore that does is caught by the second OpenOCD run that
 * verifies against a server started from the same file.
 */
import { readFile } from 'node:fs/promises';
import { factoryOptionImage, findPart } from '#shared/catalogue/index';
import type { MemoryRegion } from '#shared/catalogue/types';
import { validateState, type SimState } from '../../src/main/sim/index';
import { INFO_SIZE, INFO_START } from '../../src/main/sim/target-memory';

export interface TargetState {
  state: SimState;
  /** Bytes [addr, addr+len) of RAM, EEPROM, flash or the option page; throws outside them. */
  peek(addr: number, len: number): Uint8Array;
}

interface Area {
  start: number;
  bytes: Uint8Array;
}

function decode(b64: string, region: Pick<MemoryRegion, 'start' | 'size'>, what: string): Area {
  const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
  if (bytes.length !== region.size) {
    throw new Error(`state file ${what} holds ${bytes.length} bytes, expected ${region.size}`);
  }
  return { start: region.start, bytes };
}

export async function readTargetState(path: string, probe: string, part: string): Promise<TargetState> {
  const state = validateState(JSON.parse(await readFile(path, 'utf8')));
  const p = findPart(part);
  if (state.part !== p.name) throw new Error(`state file is for ${state.part}, expected ${p.name}`);
  if (state.probe !== undefined && state.probe !== probe) throw new Error(`state file is from ${state.probe}, expected ${probe}`);
  const areas: Area[] = [
    decode(state.memories.ram, p.ram, 'RAM'),
    decode(state.memories.flash, p.flash, 'flash'),
    decode(state.memories.info, { start: INFO_START, size: INFO_SIZE }, 'option page'),
  ];
  if (p.eeprom) {
    if (state.memories.eeprom === null) throw new Error('state file has no EEPROM');
    areas.push(decode(state.memories.eeprom, p.eeprom, 'EEPROM'));
  }
  return {
    state,
    peek(addr, len) {
      const a = areas.find((x) => addr >= x.start && addr + len <= x.start + x.bytes.length);
      if (!a) throw new Error(`0x${addr.toString(16)}+${len} is not inside one memory of ${p.name}`);
      return a.bytes.slice(addr - a.start, addr - a.start + len);
    },
  };
}

/**
 * The option bytes [start, start+length) of a factory-fresh part per the catalogue
 * (each primary's factory value, its complement where the part has one), null where the
 * catalogue describes no option byte.
 */
export function expectedOptionBytes(part: string, start: number, length: number): (number | null)[] {
  const image = factoryOptionImage(findPart(part));
  return Array.from({ length }, (_, i) => image.get(start + i) ?? null);
}
