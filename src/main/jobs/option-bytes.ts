/**
 * Option bytes: read and decode by name (catalogue), write with complements filled in
 * automatically and read back. The new image is built from the primaries only and every
 * complement recomputed, and an option file holding only primaries (as STVP saves them) gets
 * complements, never zeros. A ROP value that protects the chip is refused unless confirmed.
 * A pair that is broken on the chip is rewritten only when the request says what it becomes
 * (whole byte or factory value, ./option-pairs.ts); a write cut short says which pairs it
 * left broken.
 */
import { AppError } from '#shared/errors';
import { applyFieldChanges, complementMismatches, dangerousChanges, decodeOptionBytes, fillComplements, findOptionField, isRopActive } from '#shared/catalogue/index';
import type { OptionWrite, Part } from '#shared/catalogue/types';
import type { Stm8Session } from '../stm8/session';
import { JobContext, guarded } from './context';
import { hex } from '#shared/hex';
import { brokenPairs, interruptedOptionWriteError, pairsLeftByInterruptedWrite, requireBrokenPairsResolved } from './option-pairs';
import type { JobOptions, OptionBytesReport, WriteOptionBytesReport, OptionBytesChanges } from './types';

function decodeOptionArea(part: Part, start: number, raw: Uint8Array): OptionBytesReport {
  const at = (a: number) => (a >= start && a < start + raw.length ? raw[a - start] : undefined);
  const decoded = decodeOptionBytes(part, at);
  const rop = at(part.rop.address);
  return {
    start,
    raw,
    decoded,
    ropActive: rop !== undefined && isRopActive(part, rop),
    complementErrors: decoded.filter((d) => !d.complementOk).map((d) => d.name),
  };
}

/** Read the whole option area and decode it. */
export async function readOptionBytes(session: Stm8Session, opts: JobOptions = {}): Promise<OptionBytesReport> {
  const ctx = new JobContext(session, opts);
  const o = session.part.option;
  const raw = await session.readMemory(o.start, o.size);
  ctx.progress('option-bytes', o.size, o.size, o.start);
  return decodeOptionArea(session.part, o.start, raw);
}

/** The primaries-only target image for a request, from what the chip holds now. */
export function targetOptionImage(part: Part, current: ReadonlyMap<number, number>, req: OptionBytesChanges): Map<number, number> {
  const byAddr = new Map(part.optionBytes.map((o) => [o.address, o] as const));
  const byComp = new Map(part.optionBytes.filter((o) => o.complementAddress !== null).map((o) => [o.complementAddress as number, o] as const));
  const broken = brokenPairs(part, current);
  const whole = new Set<number>();
  let prim = new Map<number, number>();
  for (const o of part.optionBytes) prim.set(o.address, current.get(o.address) ?? o.factory);
  // --from-factory: a broken byte starts from its factory value, not from the junk it holds.
  if (req.fromFactory) for (const b of broken) prim.set(b.address, b.factory);
  if (req.bytes && req.bytes.length > 0) {
    const given = new Map<number, number>();
    for (const w of req.bytes) {
      if (!byAddr.has(w.address) && !byComp.has(w.address)) {
        throw new AppError(
          'unknown-option-address',
          `${hex(w.address)} is not an option byte of ${part.name}.`,
          `Option bytes of ${part.name}: ${part.optionBytes.map((o) => `${o.name} ${hex(o.address)}`).join(', ')}.`,
          { address: w.address },
        );
      }
      if (!Number.isInteger(w.value) || w.value < 0 || w.value > 0xff) throw new AppError('bad-option-value', `${hex(w.address)}: ${w.value} is not a byte.`, 'Give values 0..255.');
      given.set(w.address, w.value);
    }
    const bad = complementMismatches(part, given);
    if (bad.length > 0) {
      throw new AppError(
        'bad-option-complement',
        `The option data has broken complements: ${bad.map((b) => `${b.name} ${hex(b.value, 2)} / ${hex(b.complementValue, 2)}`).join(', ')}.`,
        'Give only the primary bytes (complements are filled in) or correct the complements.',
        { mismatches: bad },
      );
    }
    for (const [a, v] of given) {
      if (byAddr.has(a)) {
        prim.set(a, v);
        whole.add(a);
      } else {
        // A complement given without its primary: the primary is its inverse.
        const o = byComp.get(a);
        if (o && !given.has(o.address)) {
          prim.set(o.address, ~v & 0xff);
          whole.add(o.address);
        }
      }
    }
  }
  if (req.named) {
    for (const [name, v] of Object.entries(req.named)) {
      const o = part.optionBytes.find((x) => x.name.toUpperCase() === name.toUpperCase());
      if (!o) throw new AppError('unknown-option-byte', `${part.name} has no option byte "${name}".`, `Option bytes: ${part.optionBytes.map((x) => x.name).join(', ')}.`);
      if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new AppError('bad-option-value', `${name}: ${v} is not a byte.`, 'Give values 0..255.');
      prim.set(o.address, v);
      whole.add(o.address);
    }
  }
  const fields = new Map<number, string[]>();
  for (const name of Object.keys(req.changes ?? {})) {
    const hit = findOptionField(part, name);
    if (hit) fields.set(hit.byte.address, [...(fields.get(hit.byte.address) ?? []), hit.field.name]);
  }
  requireBrokenPairsResolved(broken, { whole, fields, fromFactory: req.fromFactory === true });
  if (req.changes && Object.keys(req.changes).length > 0) prim = applyFieldChanges(part, prim, req.changes);
  return prim;
}

/**
 * Write option bytes. Order: every changed byte (and complement) in address order, ROP last.
 * Errors before writing: 'confirm-required' (enabling ROP, details.confirmations ['ROP'];
 * or dangerous fields, their names), 'bad-option-complement', 'unknown-option-*'. After: 'option-verify-failed'.
 */
export async function writeOptionBytes(session: Stm8Session, req: OptionBytesChanges, opts: JobOptions = {}): Promise<WriteOptionBytesReport> {
  const part = session.part;
  const ctx = new JobContext(session, opts);
  const o = part.option;
  const raw = await session.readMemory(o.start, o.size);
  const current = new Map<number, number>();
  for (let i = 0; i < raw.length; i++) current.set(o.start + i, raw[i]);
  const prim = targetOptionImage(part, current, req);
  const ropAddr = part.rop.address;
  const ropNow = isRopActive(part, current.get(ropAddr) ?? 0);
  const ropNew = isRopActive(part, prim.get(ropAddr) ?? 0);
  if (ropNew && !ropNow && !req.confirmProtect) {
    throw new AppError(
      'confirm-required',
      `This would enable read-out protection (ROP ${hex(prim.get(ropAddr) ?? 0, 2)}): the chip could then only be unlocked by erasing it.`,
      'If that is what you want, confirm enabling read-out protection explicitly.',
      { confirmations: ['ROP'], rop: prim.get(ropAddr) },
    );
  }
  const before = new Map(part.optionBytes.map((ob) => [ob.address, current.get(ob.address) ?? ob.factory] as const));
  const danger = dangerousChanges(part, before, prim).filter((d) => !part.optionBytes.some((ob) => ob.address === ropAddr && ob.fields.some((f) => f.name === d.field)));
  if (danger.length > 0 && !req.confirmDangerous) {
    throw new AppError(
      'confirm-required',
      `Changing ${danger.map((d) => `${d.field} (${d.from} → ${d.to})`).join(', ')} needs confirmation: ${danger.map((d) => d.warning).join(' ')}`,
      'If that is what you want, confirm these changes explicitly.',
      { confirmations: danger.map((d) => d.field), changes: danger },
    );
  }
  const full = fillComplements(part, prim);
  // Recompute every complement from its primary (a corrupt complement on the chip is fixed).
  for (const ob of part.optionBytes) if (ob.complementAddress !== null) full.set(ob.complementAddress, ~(prim.get(ob.address) ?? ob.factory) & 0xff);
  const writes: OptionWrite[] = [...full.entries()]
    .filter(([a, v]) => current.get(a) !== v)
    .map(([address, value]) => ({ address, value }))
    .sort((a, b) => (a.address === ropAddr ? 1 : b.address === ropAddr ? -1 : a.address - b.address));
  const complements = new Set(part.optionBytes.flatMap((ob) => (ob.complementAddress === null ? [] : [ob.complementAddress])));
  await guarded(ctx, async () => {
    if (writes.length > 0) {
      await session.flash.unlock('option');
      let done = 0;
      try {
        for (const w of writes) {
          // Cancel between pairs only: stopping after OPTx and before NOPTx would break the pair.
          if (!(complements.has(w.address) && writes[done - 1]?.address === w.address - 1)) ctx.checkAbort();
          await session.flash.writeOptionByte(w.address, w.value);
          ctx.progress('option-bytes', ++done, writes.length, w.address);
        }
      } catch (e) {
        if (!(e instanceof AppError) || e.code === 'cancelled') throw e;
        throw interruptedOptionWriteError(e, pairsLeftByInterruptedWrite(part, current, writes, done), done, writes.length);
      }
      await session.flash.clearMode();
      await session.flash.lock();
    }
  });
  const backRaw = await session.readMemory(o.start, o.size);
  const wrong = [...full.entries()].filter(([a, v]) => backRaw[a - o.start] !== v);
  if (wrong.length > 0 && !(ropNow && part.rop.style === 'stm8l')) {
    throw new AppError(
      'option-verify-failed',
      `Option bytes read back different: ${wrong
        .slice(0, 8)
        .map(([a, v]) => `${hex(a)} wrote ${hex(v, 2)} read ${hex(backRaw[a - o.start], 2)}`)
        .join(', ')}.`,
      'Check the supply voltage and try again; a protected STM8L erases its option bytes on the first ROP write.',
      { wrong: wrong.map(([address, expected]) => ({ address, expected, actual: backRaw[address - o.start] })) },
    );
  }
  return {
    written: writes,
    unchanged: full.size - writes.length,
    after: decodeOptionArea(part, o.start, backRaw),
    effectiveAfterReset: true,
    durationMs: ctx.elapsedMs,
  };
}
