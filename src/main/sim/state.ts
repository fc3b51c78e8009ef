/**
 * The state file of a virtual chip: every memory of the target plus the part, the serial
 * and whether ROP was latched, so that a later server starts with what an earlier one was
 * left with (docs/spec/simulator.md §7). JSON with base64 memories: readable, diffable, small enough.
 */
import { AppError } from '#shared/errors';
import type { VirtualVariant } from './faults';
import { INFO_START, INFO_SIZE } from './target-memory';
import type { Stm8Target } from './target';

export const SIM_STATE_FORMAT = 'swim-studio-virtual-chip';

export interface SimState {
  format: typeof SIM_STATE_FORMAT;
  version: 1;
  /** Canonical catalogue name of the part. */
  part: string;
  /** Probe serial; the chip's unique ID is derived from it. */
  serial: string;
  probe?: VirtualVariant;
  /** ROP latched at the last option load (a removal then mass-erases at the next power-up). */
  ropActive: boolean;
  /** base64 of each memory; `info` is the option/system page 0x4800..0x49FF. */
  memories: {
    ram: string;
    eeprom: string | null;
    flash: string;
    info: string;
  };
}

const b64 = (a: Uint8Array): string => Buffer.from(a).toString('base64');

function unb64(s: string, size: number, what: string): Uint8Array {
  const buf = Buffer.from(s, 'base64');
  if (buf.length !== size) {
    throw new AppError('bad-sim-state', `The state file's ${what} holds ${buf.length} bytes, the part has ${size}.`, 'Use a state file written for this part, or start without --state.');
  }
  return new Uint8Array(buf);
}

export function captureState(target: Stm8Target, serial: string, probe: VirtualVariant | undefined, t: number): SimState {
  const m = target.mem;
  target.flash.settle(t);
  const s: SimState = {
    format: SIM_STATE_FORMAT,
    version: 1,
    part: target.part.name,
    serial,
    ropActive: target.isRopActive(),
    memories: {
      ram: b64(m.ram),
      eeprom: m.eeprom ? b64(m.eeprom) : null,
      flash: b64(m.flash),
      info: b64(m.info),
    },
  };
  if (probe) s.probe = probe;
  return s;
}

/** Checks the shape of parsed JSON and that it fits the part; throws AppError 'bad-sim-state'. */
export function validateState(raw: unknown): SimState {
  const bad = (why: string): never => {
    throw new AppError('bad-sim-state', `Not a virtual chip state file: ${why}.`, 'Give a file written by "swim-studio sim serve --state FILE", or start without --state.');
  };
  if (!raw || typeof raw !== 'object') bad('not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== SIM_STATE_FORMAT) bad(`"format" is not "${SIM_STATE_FORMAT}"`);
  if (o.version !== 1) bad(`unsupported version ${String(o.version)}`);
  if (typeof o.part !== 'string' || typeof o.serial !== 'string') bad('"part" and "serial" must be strings');
  if (typeof o.ropActive !== 'boolean') bad('"ropActive" must be true or false');
  const mem = o.memories as Record<string, unknown> | undefined;
  if (!mem || typeof mem !== 'object') bad('"memories" missing');
  const m = mem as Record<string, unknown>;
  for (const k of ['ram', 'flash', 'info']) if (typeof m[k] !== 'string') bad(`memory "${k}" missing`);
  if (m.eeprom !== null && typeof m.eeprom !== 'string') bad('memory "eeprom" must be a string or null');
  return raw as SimState;
}

/** Load memories into a freshly built target of the same part. */
export function restoreState(target: Stm8Target, s: SimState): void {
  if (s.part !== target.part.name) {
    throw new AppError('bad-sim-state', `The state file is for ${s.part}, not ${target.part.name}.`, `Start with --part ${s.part}, or without --state.`, {
      statePart: s.part,
      part: target.part.name,
    });
  }
  const m = target.mem;
  m.ram.set(unb64(s.memories.ram, m.ram.length, 'RAM'));
  m.flash.set(unb64(s.memories.flash, m.flash.length, 'flash'));
  if (m.eeprom) {
    if (s.memories.eeprom === null) throw new AppError('bad-sim-state', 'The state file has no EEPROM but the part has one.', 'Use a state file written for this part.');
    m.eeprom.set(unb64(s.memories.eeprom, m.eeprom.length, 'EEPROM'));
  }
  m.info.set(unb64(s.memories.info, INFO_SIZE, `option page 0x${INFO_START.toString(16)}`));
  target.restoreRopLatch(s.ropActive);
}
