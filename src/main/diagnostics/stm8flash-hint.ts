/**
 * stm8flash's -c option picks one fixed USB product id (docs/spec/stlink-swim.md §1.1, SF-main
 * `pgms[]`): stlink → 0x3744, stlinkv2 → 0x3748, stlinkv21 → 0x374B, stlinkv3 → 0x374F only.
 * The field report behind this project (PIO-30045) was `upload_protocol = stlinkv2` with a
 * V3 attached: stm8flash looked for 0x3748 and said "Could not open USB device". This names
 * the probe that is there and the -c value that fits it (docs/spec/anchors.md §6 U6).
 */
import { makeFinding } from './findings';
import type { Finding, ProbeFacts } from './types';
import { hex } from '#shared/hex';

/** The -c values stm8flash knows and the PID each one opens. */
export const STM8FLASH_PROGRAMMER_PIDS: Readonly<Record<string, { pid: number; name: string }>> = {
  stlink: { pid: 0x3744, name: 'an ST-LINK/V1 (PID 0x3744)' },
  stlinkv2: { pid: 0x3748, name: 'an ST-LINK/V2 (PID 0x3748)' },
  stlinkv21: { pid: 0x374b, name: 'an ST-LINK/V2-1 (PID 0x374B)' },
  stlinkv3: { pid: 0x374f, name: 'an STLINK-V3 (PID 0x374F)' },
};

/** The -c value for a probe variant (null when stm8flash has none, e.g. a loader). */
export function stm8flashProgrammerFor(variant: string): string | null {
  switch (variant) {
    case 'stlinkv1':
      return 'stlink';
    case 'stlinkv2':
      return 'stlinkv2';
    case 'stlinkv21':
      return 'stlinkv21';
    case 'stlinkv3':
    case 'stlinkv3pwr':
      return 'stlinkv3';
    default:
      return null;
  }
}

/**
 * A finding when the -c value does not match any attached probe; null when one matches,
 * when nothing is attached (no-probe says that) or when `asked` is not an stm8flash name
 * (the stm8flash argument parser reports that).
 */
export function stm8flashProgrammerFinding(asked: string, probes: readonly ProbeFacts[]): Finding | null {
  const key = asked.trim().toLowerCase();
  const want = STM8FLASH_PROGRAMMER_PIDS[key];
  if (!want || probes.length === 0) return null;
  if (probes.some((p) => p.productId === want.pid)) return null;
  const p = probes.find((x) => stm8flashProgrammerFor(x.variant) !== null) ?? probes[0];
  const suggest = stm8flashProgrammerFor(p.variant) ?? 'the matching type';
  const v3Note =
    suggest === 'stlinkv3' && p.productId !== 0x374f
      ? `stm8flash's -c stlinkv3 opens only PID 0x374F; this probe is ${hex(p.productId)}, so real stm8flash cannot open it at all — use SWIM Studio's stm8flash mode.`
      : undefined;
  return makeFinding('stm8flash-wrong-programmer', {
    vars: {
      asked: key,
      askedName: want.name,
      found: `an ${p.name} (PID ${hex(p.productId)}, serial ${p.serial || '?'})`,
      suggest,
      v3Note,
    },
    evidence: `-c ${key} → PID ${hex(want.pid)}; attached: ${probes.map((x) => `${x.name} ${hex(x.productId)}`).join(', ')}`,
  });
}
