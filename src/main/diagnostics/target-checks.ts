/**
 * Single checks inside steps 7, 8, 9 and 12 that need a few reads and writes of their own:
 * does NRST reset the chip, is the link stable, do the flash keys work.
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import { isLinkError, type Stm8Session } from '../stm8/session';
import { IAPSR } from '../stm8/registers';
import { readFlashControllerStyle, type ChipEvidence } from './chip-identity';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { hex2 } from '#shared/hex';
import { hexs } from './words';

/** STM8S / STM8L CLK_CKDIVR (docs/spec/stm8-target.md §2.1). */
const CKDIVR_S = 0x50c6;
const CKDIVR_L = 0x50c0;

/** Repeated reads for the link-quality check. */
export const STABILITY_READS = 8;

/** The chip evidence as step facts (hex strings for bytes, numbers for sizes). */
export function evidenceFacts(e: ChipEvidence): Record<string, string | number | boolean | null> {
  return {
    flashController: e.regsStyle,
    ncr2: hex2(e.ncr2),
    nfpr: hex2(e.nfpr),
    optionHead: hexs(e.optionHead),
    complementPairs: e.complementPairs,
    uid: e.uidPlace,
    uidBytes: e.uid ? hexs(e.uid) : null,
    ramSize: e.ramSize,
    bootRom: e.bootRom,
    sp: e.sp === null ? null : `0x${e.sp.toString(16).toUpperCase()}`,
  };
}

/**
 * Does NRST reach the chip? Set CLK_CKDIVR to 0x00 (stm8flash writes the same before
 * programming), pulse NRST through the probe, read it again: a reset restores its non-zero
 * reset value (0x18 on STM8S, 0x03 on STM8L, GX). A link that drops is a reset too.
 */
export async function checkNrst(run: RunState, s: Stm8Session): Promise<void> {
  const ckdivr = (await readFlashControllerStyle(s)).regsStyle === 'stm8s' ? CKDIVR_S : CKDIVR_L;
  const before = await s.readByte(ckdivr);
  await s.writeByte(ckdivr, 0x00);
  const marked = await s.readByte(ckdivr);
  if (marked !== 0x00) {
    run.facts('nrst', { ckdivr: hex2(before), marker: 'not taken' });
    run.pass('nrst', 'Not conclusive: CLK_CKDIVR did not take the test value.');
    return;
  }
  await s.probe.swimAssertReset();
  await s.probe.swimDeassertReset();
  await s.clock.sleep(1);
  let after: number | null = null;
  try {
    after = await s.readByte(ckdivr);
  } catch (e) {
    if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
  }
  run.facts('nrst', { ckdivrBefore: hex2(before), ckdivrAfterPulse: after === null ? 'link reset' : hex2(after) });
  if (after === 0x00) {
    run.add(
      makeFinding('nrst-not-connected', {
        vars: { detail: `CLK_CKDIVR set to 0x00 kept that value through an NRST pulse` },
        evidence: `CLK_CKDIVR 0x${ckdivr.toString(16).toUpperCase()}: ${hex2(before)} → 0x00 → NRST low/high → 0x00`,
      }),
    );
    run.fail('nrst', 'NRST pulse did not reset the chip.');
  } else {
    run.pass('nrst', after === null ? 'NRST reset the chip (the SWIM link restarted).' : `NRST reset the chip (CLK_CKDIVR back to ${hex2(after)}).`);
  }
}

/** Read the same bytes several times at the current speed; count failures and differences. */
export async function checkStability(s: Stm8Session): Promise<{ problems: number; detail: string }> {
  let reference: string | null = null;
  let problems = 0;
  const notes: string[] = [];
  for (let i = 0; i < STABILITY_READS; i++) {
    try {
      const b = hexs(await s.readMemory(0x4800, 16));
      if (reference === null) reference = b;
      else if (b !== reference) {
        problems++;
        notes.push(`read ${i + 1} differed: ${b}`);
      }
    } catch (e) {
      if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
      problems++;
      notes.push(`read ${i + 1} failed: ${e.message}`);
    }
  }
  return { problems, detail: notes.join('; ') };
}

/** Unlock program memory and data EEPROM with their keys, then lock again (OO, SF, SPL). */
export async function checkFlashKeys(run: RunState, s: Stm8Session, part: Part, rop: boolean): Promise<void> {
  const iapsrAt = part.flashRegs.IAPSR;
  const before = await s.readByte(iapsrAt);
  const refused: string[] = [];
  for (const area of ['flash', 'eeprom'] as const) {
    try {
      await s.flash.unlock(area);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'flash-locked') throw e;
      refused.push(area === 'flash' ? 'program memory (PUKR)' : 'data EEPROM / option bytes (DUKR)');
    }
  }
  const unlocked = await s.readByte(iapsrAt);
  await s.flash.lock();
  const after = await s.readByte(iapsrAt);
  run.facts('flash-controller', { iapsrBefore: hex2(before), iapsrUnlocked: hex2(unlocked), iapsrAfterLock: hex2(after) });
  if (refused.length > 0) {
    if (rop) {
      run.facts('flash-controller', { refusedUnderRop: refused.join(', ') });
    } else {
      run.add(
        makeFinding('flash-keys-refused', {
          vars: { area: refused.join(' and '), detail: `IAPSR ${hex2(unlocked)} after the keys` },
          evidence: `IAPSR before ${hex2(before)}, after keys ${hex2(unlocked)}`,
        }),
      );
    }
  }
  if (after & (IAPSR.PUL | IAPSR.DUL)) {
    run.add(makeFinding('flash-not-relocked', { vars: { detail: `IAPSR ${hex2(after)}` }, evidence: `IAPSR after lock ${hex2(after)}` }));
  }
  run.conclude('flash-controller', `IAPSR ${hex2(before)} → keys → ${hex2(unlocked)} → lock → ${hex2(after)}`);
}
