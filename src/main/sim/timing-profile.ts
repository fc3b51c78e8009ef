/**
 * What each timing variation (timing-variation.ts) charges, event by event: SWIM wire time,
 * the debug module's bus access per byte, t_prog, and USB latency per transfer and per
 * poll. The nominal figures are those of timing.ts; the ranges and their sources are in
 * CHOICES.md ("Timing variation"). `jitter` draws every event anew from its whole range with
 * a seeded xorshift32, so the same seed and the same traffic give the same delays.
 */
import type { Part } from '#shared/catalogue/types';
import { Xorshift32 } from '#shared/pseudo-random';
import type { ProgramKind } from './flash-controller';
import { T_FAST_MS, T_PROG_MS, swimWireTimeMs, USB_FS_BASE_MS, USB_FS_PER_BYTE_MS, USB_HS_BASE_MS, USB_HS_PER_BYTE_MS, type UsbSpeed } from './timing';
import type { TimingVariation } from './timing-variation';

/**
 * The SWIM clock is the target's HSI / 2 whatever the CPU clock (UM0470); the factory-trimmed
 * HSI is ±1 % at 25 °C and about ±5 % over the full temperature and voltage range (STM8S103
 * and STM8L151 datasheets, "HSI oscillator accuracy"). Bit times scale by at most this much.
 */
export const WIRE_SPREAD = 0.05;

/**
 * CPU clock cycles the debug module spends on the bus per byte a ROTF/WOTF moves: nominal,
 * fastest and slowest. No public source gives the figure; the choice (CHOICES.md) is that the
 * access is not overlapped with the wire bits and costs a synchronisation into the CPU clock
 * domain and back plus the access itself.
 */
export const DM_CYCLES = { nominal: 5, fast: 3, slow: 8 } as const;

/**
 * t_prog ranges. STM8S/STM8AF datasheets: standard block/word/byte program 6 ms typ, 6.6 ms
 * max; fast (erased) block program and block erase 3 ms typ, 3.3 ms max. STM8L/AL/TL
 * datasheets give typical values only (6 ms / 3 ms); their maximum is taken as 1.2 × typical,
 * a wider spread than the STM8S's 1.1 ×, so that a bound copied from the STM8S fails there
 * visibly (CHOICES.md).
 */
export const STM8L_MAX_OVER_TYP = 1.2;
export const STM8S_MAX_OVER_TYP = 1.1;

export interface ProgramTimeRange {
  typMs: number;
  maxMs: number;
}

/** The datasheet range of one program cycle of `kind` on `part`. */
export function programTimeRange(part: Pick<Part, 'series'>, kind: ProgramKind): ProgramTimeRange {
  const typMs = kind === 'fast' || kind === 'erase' ? T_FAST_MS : T_PROG_MS;
  const lFamily = part.series === 'STM8L' || part.series === 'STM8AL' || part.series === 'STM8L101' || part.series === 'STM8TL';
  return { typMs, maxMs: typMs * (lFamily ? STM8L_MAX_OVER_TYP : STM8S_MAX_OVER_TYP) };
}

/** USB base latency per bulk transfer (ms): nominal per timing.ts; fast and slow ends (CHOICES.md). */
export const USB_BASE_MS: Record<UsbSpeed, { fast: number; nominal: number; slow: number }> = {
  full: { fast: 0.25, nominal: USB_FS_BASE_MS, slow: 1.0 },
  high: { fast: 0.03125, nominal: USB_HS_BASE_MS, slow: 0.25 },
};

/** Extra time the probe's firmware takes to have a READSTATUS answer ready (ms), slowest case: one (micro)frame. */
export const POLL_LATENCY_SLOW_MS: Record<UsbSpeed, number> = { full: 1.0, high: 0.125 };

export class TimingProfile {
  private readonly rng: Xorshift32 | null;

  constructor(readonly variation: TimingVariation) {
    this.rng = variation.mode === 'jitter' ? new Xorshift32(0x51a7 ^ Math.imul(variation.seed ?? 1, 0x9e3779b1)) : null;
  }

  /** A value in [lo, hi] by the mode: nominal → nom, fast → lo, slow → hi, jitter → uniform draw. */
  private pick(lo: number, nom: number, hi: number): number {
    switch (this.variation.mode) {
      case 'nominal':
        return nom;
      case 'fast':
        return lo;
      case 'slow':
        return hi;
      case 'jitter':
        return lo + ((this.rng as Xorshift32).next() / 0x100000000) * (hi - lo);
    }
  }

  /** Factor on the SWIM bit time for one operation (the target's HSI). */
  wireFactor(): number {
    return this.pick(1 - WIRE_SPREAD, 1, 1 + WIRE_SPREAD);
  }

  /** CPU clock cycles of the debug module's bus access per byte, for one operation. */
  dmCycles(): number {
    return Math.round(this.pick(DM_CYCLES.fast, DM_CYCLES.nominal, DM_CYCLES.slow));
  }

  /** Duration of one program cycle (t_prog) within the datasheet's typical..max. */
  programMs(part: Pick<Part, 'series'>, kind: ProgramKind): number {
    const r = programTimeRange(part, kind);
    // "fast" cannot beat the typical figure: chips are not known to program faster.
    return this.pick(r.typMs, r.typMs, r.maxMs);
  }

  /** One bulk transfer of `bytes` on the USB side. */
  usbTransferMs(bytes: number, speed: UsbSpeed): number {
    const b = USB_BASE_MS[speed];
    return this.pick(b.fast, b.nominal, b.slow) + (speed === 'high' ? USB_HS_PER_BYTE_MS : USB_FS_PER_BYTE_MS) * bytes;
  }

  /** Extra wait before a READSTATUS answer can be read (the probe's firmware turn-around). */
  pollLatencyMs(speed: UsbSpeed): number {
    return this.pick(0, 0, POLL_LATENCY_SLOW_MS[speed]);
  }
}

/** Debug-module access time of `bytes` bytes at CPU clock `cpuHz` with `cycles` cycles per byte. */
export function dmAccessMs(bytes: number, cpuHz: number, cycles: number = DM_CYCLES.nominal): number {
  return (bytes * cycles * 1000) / cpuHz;
}

/**
 * Nominal time one ROTF/WOTF of `bytes` bytes keeps the link busy: the wire time of
 * timing.ts plus the debug module's access per byte at CPU clock `cpuHz` (tests and
 * benchmarks; 2 MHz after reset, 16 MHz once CLK_CKDIVR = 0x00).
 */
export function swimOperationMs(bytes: number, highSpeed: boolean, cpuHz: number): number {
  return swimWireTimeMs(bytes, highSpeed) + dmAccessMs(bytes, cpuHz);
}
