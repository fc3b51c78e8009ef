/**
 * Option-byte pairs that are not complements. On STM8S/STM8AF every option byte but ROP is
 * stored twice, OPTx and NOPTx = ~OPTx (RM0016, "Option bytes"), and an option write is two
 * byte programs, so a write cut short between them (power loss, unplug, timeout) leaves a
 * broken pair. What the chip then does is in docs/option-bytes.md: at the next reset its
 * option load finds the mismatch and resets again; neither byte can be trusted.
 *
 * This module finds broken pairs on the chip, says which pairs an interrupted write left
 * broken, and holds the rule that a write must say what a broken byte becomes: the whole
 * byte, or its factory value — never a read-modify-write of the junk it holds now.
 */
import { AppError } from '#shared/errors';
import { hex } from '#shared/hex';
import type { OptionByte, OptionWrite, Part } from '#shared/catalogue/types';

export interface BrokenPair {
  name: string;
  address: number;
  complementAddress: number;
  /** What the chip holds in OPTx and NOPTx. */
  value: number;
  complementValue: number;
  factory: number;
}

/** What a chip does at its next reset with a broken pair (docs/option-bytes.md). */
export const BROKEN_PAIR_AT_RESET =
  'At the next reset the chip finds the mismatch while loading its options and resets again (an EMC reset, RST_SR.EMCF): ' +
  'the firmware may not start, and the options in force are not the ones read. SWIM still connects and can rewrite the pair.';

function pairedBytes(part: Part): (OptionByte & { complementAddress: number })[] {
  return part.optionBytes.filter((o): o is OptionByte & { complementAddress: number } => o.complementAddress !== null);
}

function describePair(p: { name: string; address: number; complementAddress: number; value: number; complementValue: number }): string {
  return `${p.name}/N${p.name} at ${hex(p.address)}/${hex(p.complementAddress)} hold ${hex(p.value, 2)}/${hex(p.complementValue, 2)}`;
}

/** The pairs of `image` (the chip's option area by address) whose complement is not ~value. */
export function brokenPairs(part: Part, image: ReadonlyMap<number, number>): BrokenPair[] {
  const out: BrokenPair[] = [];
  for (const o of pairedBytes(part)) {
    const value = image.get(o.address);
    const complementValue = image.get(o.complementAddress);
    if (value === undefined || complementValue === undefined || complementValue === (~value & 0xff)) continue;
    out.push({ name: o.name, address: o.address, complementAddress: o.complementAddress, value, complementValue, factory: o.factory });
  }
  return out;
}

/** How a write request says what each option byte becomes. */
export interface PairResolution {
  /** Primary addresses given as whole bytes (a file, OPT2=0x01, factory values). */
  whole: ReadonlySet<number>;
  /** Field names changed, by the primary address they live in. */
  fields: ReadonlyMap<number, readonly string[]>;
  /** Broken bytes not given whole start from their factory value (`--from-factory`). */
  fromFactory: boolean;
}

/**
 * Refuses ('option-pair-broken') a write that leaves a broken pair's value to chance: a
 * field change on a broken byte would keep its junk bits, and an untouched broken byte would
 * get a complement computed from a primary nobody chose.
 */
export function requireBrokenPairsResolved(broken: readonly BrokenPair[], how: PairResolution): void {
  if (how.fromFactory) return;
  const open = broken.filter((b) => !how.whole.has(b.address));
  if (open.length === 0) return;
  const fieldsOnBroken = open.flatMap((b) => (how.fields.get(b.address) ?? []).map((f) => `${f} (in ${b.name})`));
  const why =
    fieldsOnBroken.length > 0
      ? `Changing ${fieldsOnBroken.join(', ')} would keep bits of a byte whose value is unknown`
      : `This write would make ${open.map((b) => b.name).join(', ')} whatever ${open.length === 1 ? 'its primary holds' : 'their primaries hold'} now, which nobody chose`;
  throw new AppError(
    'option-pair-broken',
    `${open.map(describePair).join('; ')}: not complements, so the chip's value is unknown. ${why}.`,
    `Give the whole byte (${open.map((b) => `${b.name}=${hex(b.factory, 2)}`).join(' ')} are the factory values) or start it from its factory value.`,
    { brokenPairs: open },
  );
}

/** A pair as an interrupted write left it: values known, or null where a program was cut short. */
export interface PairAfterInterrupt {
  name: string;
  address: number;
  complementAddress: number | null;
  value: number | null;
  complementValue: number | null;
}

/**
 * The option bytes an interrupted write may have left wrong: `done` of `writes` completed
 * (each waits for its end of programming), `writes[done]` was cut short (its byte may hold
 * the old value, the new one or neither), the rest never started.
 */
export function pairsLeftByInterruptedWrite(part: Part, current: ReadonlyMap<number, number>, writes: readonly OptionWrite[], done: number): PairAfterInterrupt[] {
  const after = new Map<number, number | null>(current);
  writes.slice(0, done).forEach((w) => after.set(w.address, w.value));
  const cut = writes[done];
  if (cut) after.set(cut.address, null);
  const out: PairAfterInterrupt[] = [];
  for (const o of part.optionBytes) {
    const value = after.get(o.address) ?? null;
    if (o.complementAddress === null) {
      if (cut?.address === o.address) out.push({ name: o.name, address: o.address, complementAddress: null, value: null, complementValue: null });
      continue;
    }
    const complementValue = after.get(o.complementAddress) ?? null;
    const touched = writes.slice(0, done + 1).some((w) => w.address === o.address || w.address === o.complementAddress);
    if (!touched) continue;
    if (value === null || complementValue === null || complementValue !== (~value & 0xff)) {
      out.push({ name: o.name, address: o.address, complementAddress: o.complementAddress, value, complementValue });
    }
  }
  return out;
}

function describeLeft(p: PairAfterInterrupt): string {
  const byte = (v: number | null) => (v === null ? 'undefined' : hex(v, 2));
  if (p.complementAddress === null) return `${p.name} (${hex(p.address)}) is undefined`;
  return `${p.name}/N${p.name} (${hex(p.address)}/${hex(p.complementAddress)}) ${byte(p.value)}/${byte(p.complementValue)}`;
}

/**
 * The error of an option write cut short, saying which pairs are now inconsistent and what
 * the chip does with them at the next reset. The code stays the cause's (unplugged, power
 * lost, timeout...), so the exit code and remedy of the cause still apply.
 */
export function interruptedOptionWriteError(e: AppError, left: readonly PairAfterInterrupt[], done: number, total: number): AppError {
  if (left.length === 0) return e;
  const paired = left.some((p) => p.complementAddress !== null);
  const message =
    `${e.message} The option write stopped after ${done} of ${total} bytes: ${left.map(describeLeft).join('; ')} ` +
    `${left.length === 1 ? 'is' : 'are'} now ${paired ? 'inconsistent' : 'undefined'}. ${paired ? BROKEN_PAIR_AT_RESET : 'The chip loads whatever the byte holds at the next reset.'}`;
  const names = left.map((p) => p.name).join(', ');
  const remedy = `${e.remedy ? `${e.remedy} ` : ''}Then write ${names} again as ${left.length === 1 ? 'a whole byte, or from its factory value' : 'whole bytes, or from their factory values'}.`;
  return new AppError(e.code, message, remedy, { ...(e.details ?? {}), optionWriteInterrupted: { done, total, pairs: left } });
}
