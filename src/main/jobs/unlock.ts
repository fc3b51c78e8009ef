/**
 * Removing read-out protection the way each family needs (docs/spec/stm8-target.md §3.5,
 * docs/spec/stlink-swim.md §5.5): STM8S/AF — ROP 0x00 and the factory option bytes, then a reset
 * mass-erases flash and EEPROM (stm8flash -u, OO stm8_reset_rop); STM8L — 0xAA written twice,
 * each a full unlock + OPT + EOP pass (PM0054 via stm8flash #172); STM8L101/001 — factory bytes
 * in the STM8S polarity without complements (SF-git:ffb5947). Then reset, reconnect, confirm
 * the chip is unprotected and blank, and report what was erased.
 */
import { AppError } from '#shared/errors';
import { factoryOptionImage } from '#shared/catalogue/index';
import type { RegionKind } from '#shared/catalogue/types';
import type { Stm8Session } from '../stm8/session';
import { JobContext, guarded } from './context';
import { readOptionBytes } from './option-bytes';
import { readChunked, readRopActive } from './read';
import { isAllZero } from '#shared/bytes';
import { waitFor } from '../stlink/wait';
import type { JobOptions, UnlockReport } from './types';

/**
 * How long the mass erase may keep the chip from reading unprotected after the reset. No
 * public source gives its duration; a block erase is ~3 ms and the whole array is erased at
 * once (PM0051 §4.5), so 500 ms is a generous bound, polled every 10 ms.
 */
const MASS_ERASE_WAIT_MS = 500;
const MASS_ERASE_POLL_MS = 10;

/** Poll the ROP byte until it reads unprotected or MASS_ERASE_WAIT_MS passed; true = still protected. */
async function waitRopCleared(session: Stm8Session): Promise<boolean> {
  const clock = session.clock;
  const deadline = clock.now() + MASS_ERASE_WAIT_MS;
  for (;;) {
    const sentAt = clock.now(); // a read sent before the deadline proves nothing if it answers late
    if (!(await readRopActive(session))) return false;
    if (sentAt >= deadline) return true;
    await waitFor(clock, MASS_ERASE_POLL_MS);
  }
}

export async function unlockChip(session: Stm8Session, opts: JobOptions = {}): Promise<UnlockReport> {
  const part = session.part;
  const ctx = new JobContext(session, opts);
  const wasProtected = await readRopActive(session);
  const style = part.rop.style;
  const method: UnlockReport['method'] = style === 'stm8l' ? 'stm8l' : style === 'stm8s' ? 'stm8s' : 'stm8l101';
  await guarded(ctx, async () => {
    ctx.checkAbort();
    const f = session.flash;
    if (method === 'stm8l') {
      for (let pass = 1; pass <= 2; pass++) {
        await f.unlock('option');
        await f.writeOptionByte(part.rop.address, part.rop.unprotectedValue);
        await f.clearMode();
        await f.lock();
        ctx.progress('unlock', pass, 3, part.rop.address);
      }
    } else {
      const img = [...factoryOptionImage(part).entries()].sort((a, b) => a[0] - b[0]);
      await f.unlock('option');
      let n = 0;
      for (const [address, value] of img) {
        await f.writeOptionByte(address, value);
        ctx.progress('unlock', ++n, img.length + 1, address);
      }
      await f.clearMode();
      await f.lock();
    }
    // The option load at the one reset performs the erase; the session re-enters without a
    // second reset (HSIT may stay 0 after the mass erase: it then falls back to low speed).
    await session.reloadOptionBytes();
    ctx.progress('reset', 1, 1, 0);
  });
  if (await waitRopCleared(session)) {
    throw new AppError('unlock-failed', 'Read-out protection is still active after the unlock.', 'Power-cycle the target and run unlock again; check that NRST is connected.');
  }
  const erased: UnlockReport['erased'] = [];
  let blank = true;
  for (const kind of ['flash', 'eeprom'] as RegionKind[]) {
    const r = part.regions.find((x) => x.kind === kind);
    if (!r) continue;
    const data = await readChunked(session, ctx, r.start, r.size, 'blank-check');
    const isBlank = isAllZero(data);
    blank = blank && isBlank;
    if (wasProtected && isBlank) erased.push({ region: kind, start: r.start, size: r.size });
  }
  if (wasProtected && !blank) {
    throw new AppError('unlock-failed', 'The chip is unprotected but not blank after removing read-out protection.', 'Run "erase" for flash and EEPROM, then check again.');
  }
  const optionBytes = await readOptionBytes(session);
  return { wasProtected, method, erased, blank, optionBytes, durationMs: ctx.elapsedMs };
}
