/**
 * The faults the virtual probe can play (docs/spec/simulator.md §6), each a named switch, and the
 * parsers for the textual forms used by the CLI (`--fault NAME[=ARG]`, `--virtual
 * PROBE:PART[:FAULT,...]`) and the SWIM_STUDIO_VIRTUAL environment variable.
 */
import { AppError } from '#shared/errors';
import { VIRTUAL_VARIANTS, type VirtualVariant } from '#shared/virtual-variants';
import { parseTimingVariation, type TimingVariation } from './timing-variation';

export { VIRTUAL_VARIANTS, type VirtualVariant };

export type FaultName =
  | 'no-power'
  | 'no-swim-wire'
  | 'no-nrst'
  | 'swim-disabled'
  | 'rop'
  | 'bad-complement'
  | 'ubc'
  | 'busy'
  | 'unplug-after'
  | 'timeout-after'
  | 'power-loss-in-program'
  | 'clone-voltage'
  | 'lsi-clock';

export interface Fault {
  name: FaultName;
  arg?: number;
}

interface FaultInfo {
  /** What it plays, for help texts and error messages. */
  description: string;
  /** 'required': NAME=N only; 'optional': NAME or NAME=N; 'none': NAME only. */
  arg: 'required' | 'optional' | 'none';
  /** Meaning of the argument, when there is one. */
  argMeaning?: string;
}

export const FAULTS: Readonly<Record<FaultName, FaultInfo>> = {
  'no-power': { description: 'target not powered (voltage about 0 V, SWIM entry gets no answer)', arg: 'none' },
  'no-swim-wire': { description: 'SWIM wire not connected (entry gets no answer, status 0x04)', arg: 'none' },
  'no-nrst': { description: 'NRST wire not connected (ASSERT_RESET has no effect on the chip)', arg: 'none' },
  'swim-disabled': {
    description: 'the running firmware disabled SWIM (CFG_GCR.SWD): entry works only while NRST is held low',
    arg: 'none',
  },
  rop: { description: 'read-out protection active (reads give garbage, writes set WR_PG_DIS)', arg: 'none' },
  'bad-complement': { description: 'one option byte pair (OPT3/NOPT3) has a broken complement', arg: 'none' },
  ubc: {
    description: 'user boot code pages write-protected through the UBC option byte',
    arg: 'optional',
    argMeaning: 'the UBC option byte value, as the catalogue sizes it (default 2)',
  },
  busy: { description: 'the probe is held by another program (open fails as busy)', arg: 'none' },
  'unplug-after': {
    description: 'the probe is unplugged after N USB transfers',
    arg: 'required',
    argMeaning: 'number of transfers that still succeed',
  },
  'timeout-after': {
    description: 'after N USB transfers the probe stops answering (transfers time out until a USB reset)',
    arg: 'required',
    argMeaning: 'number of transfers that still succeed',
  },
  'power-loss-in-program': {
    description: 'power is lost during a flash program cycle; that block is left undefined',
    arg: 'optional',
    argMeaning: 'which program cycle fails, counted from 1 (default 1)',
  },
  'clone-voltage': { description: 'a clone that answers the target voltage query with zeros', arg: 'none' },
  'lsi-clock': {
    description: 'the running firmware switched the CPU to the LSI: a hot attach finds the debug module slow until a reset',
    arg: 'none',
  },
};

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

function isFaultName(s: string): s is FaultName {
  return Object.prototype.hasOwnProperty.call(FAULTS, s);
}

/** "unplug-after=40" → { name: 'unplug-after', arg: 40 }. Unknown or malformed → AppError. */
export function parseFault(text: string): Fault {
  const trimmed = text.trim();
  const eq = trimmed.indexOf('=');
  const name = (eq >= 0 ? trimmed.slice(0, eq) : trimmed).toLowerCase();
  const argText = eq >= 0 ? trimmed.slice(eq + 1) : undefined;
  if (!isFaultName(name)) {
    throw new AppError(
      'bad-fault',
      `Unknown fault "${trimmed}".`,
      `Use one of: ${FAULT_NAMES.map((n) => (FAULTS[n].arg === 'required' ? `${n}=N` : n)).join(', ')}.`,
      { fault: trimmed, valid: FAULT_NAMES },
    );
  }
  const info = FAULTS[name];
  if (argText === undefined) {
    if (info.arg === 'required') {
      throw new AppError('bad-fault', `Fault "${name}" needs a number: ${name}=N (${info.argMeaning}).`, `Write for example ${name}=40.`, {
        fault: trimmed,
      });
    }
    return { name };
  }
  if (info.arg === 'none') {
    throw new AppError('bad-fault', `Fault "${name}" takes no argument (got "${argText}").`, `Write just ${name}.`, {
      fault: trimmed,
    });
  }
  if (!/^\d+$/.test(argText)) {
    throw new AppError(
      'bad-fault',
      `Fault "${name}" needs a whole number ≥ 0 after "=", got "${argText}".`,
      `Write for example ${name}=40 (${info.argMeaning}).`,
      { fault: trimmed },
    );
  }
  return { name, arg: Number(argText) };
}

/** The textual form of a fault, the inverse of parseFault. */
export function formatFault(f: Fault): string {
  return f.arg === undefined ? f.name : `${f.name}=${f.arg}`;
}

function isVirtualVariant(s: string): s is VirtualVariant {
  return (VIRTUAL_VARIANTS as readonly string[]).includes(s);
}

/** Checks a probe variant name; unknown → AppError listing the valid ones. */
export function parseVirtualVariant(text: string): VirtualVariant {
  const v = text.trim().toLowerCase();
  if (!isVirtualVariant(v)) {
    throw new AppError('bad-probe-variant', `Unknown virtual probe "${text}".`, `Use one of: ${VIRTUAL_VARIANTS.join(', ')}.`, {
      probe: text,
      valid: VIRTUAL_VARIANTS,
    });
  }
  return v;
}

/**
 * "stlinkv3:stm8s103f3" or "stlinkv2:stm8l152c6:rop,unplug-after=100,timing=jitter=7" →
 * { probe, part, faults, timing }. In the list after the part, `timing=MODE[=SEED]` sets the
 * timing variation (timing-variation.ts); every other item is a fault. The part name is not
 * looked up here (the catalogue does that when the probe is created), so this stays cheap
 * and usable for argument checking.
 */
export function parseVirtualSpec(spec: string): { probe: VirtualVariant; part: string; faults: Fault[]; timing?: TimingVariation } {
  const parts = spec.trim().split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw new AppError(
      'bad-virtual-spec',
      `"${spec}" is not a virtual probe description.`,
      'Write PROBE:PART[:FAULT,...][,timing=MODE], for example stlinkv3:stm8s103f3 or stlinkv2:stm8l152c6:rop,unplug-after=100,timing=jitter=7.',
      { spec },
    );
  }
  const probe = parseVirtualVariant(parts[0]);
  const part = parts[1].trim().toLowerCase();
  const items = parts.length === 3 && parts[2].trim() !== '' ? parts[2].split(',') : [];
  const faults: Fault[] = [];
  let timing: TimingVariation | undefined;
  for (const item of items) {
    const m = /^\s*timing=(.*)$/i.exec(item);
    if (m) timing = parseTimingVariation(m[1]);
    else faults.push(parseFault(item));
  }
  return timing ? { probe, part, faults, timing } : { probe, part, faults };
}
