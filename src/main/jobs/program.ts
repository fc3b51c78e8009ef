/**
 * Programming flash and EEPROM from an image (stm8flash's rules, made fast):
 * - block aligned; partial blocks merged with what the chip holds;
 * - blocks that already hold the data are skipped (the comparison is their verification);
 * - fast block mode (FPRG, 3 ms) where the chip block reads all 0x00, block erase where the
 *   new content is all 0x00, standard mode (PRG, erase + write, 6 ms) elsewhere;
 * - the CPU was stalled once at connect, not per block;
 * - every SWIM command is status-checked, and each block's EOP is read before the next
 *   block's mode write (OO `stm8_write_flash`); the first EOP read is timed for when typical
 *   t_prog is over, so polling costs round trips only when the chip is slower than typical;
 * - reads (before, to decide; after, to verify) are as large as READMEM allows. They are not
 *   overlapped with program cycles: flash cannot be read while it is being programmed.
 * Everything written is read back and compared (verify after write) unless asked not to.
 */
import { AppError } from '#shared/errors';
import { isLinkError, type Stm8Session } from '../stm8/session';
import { NO_POWER_VOLTAGE } from '../stlink/constants';
import { JobContext, guarded } from './context';
import { isAllZero, sameBytes } from '#shared/bytes';
import { mergeBlock, planImage, type BlockPlan, type ImagePlan } from './plan';
import { hex } from '#shared/hex';
import type { ImageLike, Mismatch, ProgramJobOptions, ProgramReport, RegionProgramSummary } from './types';

type Mode = 'fast' | 'standard' | 'erase';

interface Slot {
  plan: BlockPlan;
  chip: Uint8Array | null;
  final: Uint8Array | null;
  state: 'unread' | 'read' | 'skipped' | 'written' | 'verified';
  mode?: Mode;
}

/** First pre-read when the run is a whole number of READMEMs, in blocks. */
const FIRST_READ_BLOCKS = 16;

/** Report mismatches as the first differing addresses. */
export function mismatchError(mismatches: Mismatch[], total: number): AppError {
  const first = mismatches
    .slice(0, 8)
    .map((m) => `${hex(m.address)} (expected ${hex(m.expected, 2)}, read ${hex(m.actual, 2)})`)
    .join(', ');
  return new AppError(
    'verify-failed',
    `Verification failed: ${total} byte(s) differ; first at ${first}.`,
    'Program again. If the same addresses keep failing the chip may be protected (ROP/UBC) or worn out; if everything from some address on reads 0x00, check the part (a smaller chip than the one chosen).',
    { mismatches: mismatches.slice(0, 64), count: total },
  );
}

export function compare(start: number, expected: Uint8Array, actual: Uint8Array, out: Mismatch[], mask: Uint8Array | null = null): number {
  let n = 0;
  for (let i = 0; i < expected.length; i++) {
    if (mask && !mask[i]) continue;
    if (expected[i] !== actual[i]) {
      n++;
      if (out.length < 64) out.push({ address: start + i, expected: expected[i], actual: actual[i] });
    }
  }
  return n;
}

/**
 * A SWIM failure in the middle of a block: either the target lost power (the probe then
 * measures ≈ 0 V; the block whose cycle it cut short is left undefined) or, most often, the
 * chip is not the part chosen (another block size makes the controller take longer than one
 * block cycle, a smaller chip has no memory there). Say which, keeping the code where it
 * stays true. Each block's EOP is seen before anything reaches the next one, so the block
 * being written is the only one whose cycle can have been cut.
 */
async function explainBlockFailure(e: unknown, s: Stm8Session, address: number): Promise<unknown> {
  if (!(e instanceof AppError)) return e;
  if (!isLinkError(e.code) && e.code !== 'flash-timeout') return e;
  const v = await s.probe.targetVoltage().catch(() => ({ volts: null }));
  if (v.volts !== null && v.volts < NO_POWER_VOLTAGE) {
    return new AppError(
      'target-power-lost',
      `The target lost power while the block at ${hex(address)} was being programmed (the probe now measures ${v.volts.toFixed(2)} V); that block's content is undefined.`,
      'Restore the supply and program again: the engine rewrites whatever is not right.',
      { ...(e.details ?? {}), address, blocks: [address], cause: e.code },
    );
  }
  // A flash timeout's own remedy starts with the same part check: keep only what follows it.
  const rest = e.code === 'flash-timeout' ? 'Then reset the target and try again; check the supply voltage.' : (e.remedy ?? '');
  return new AppError(e.code, `${e.message} This happened while programming the block at ${hex(address)}.`, `${partHint(s)} ${rest}`.trim(), e.details);
}

/** A different chip on the board than the part chosen fails in these ways; say what the engine assumed. */
function partHint(s: Stm8Session): string {
  return `Check that the part is right: ${s.part.name} has ${s.part.blockSize}-byte blocks and flash ${hex(s.part.flash.start)}–${hex(s.part.flash.end)}; a different chip on the board fails this way.`;
}

class Programmer {
  readonly slots: Slot[];
  private nextUnread = 0;
  private readonly verifyQueue: number[] = [];
  private readonly unlocked = new Set<'flash' | 'eeprom'>();
  counts = { written: 0, skipped: 0, fast: 0, standard: 0, erased: 0, bytesWritten: 0, bytesPreRead: 0, bytesVerified: 0 };

  constructor(
    private readonly s: Stm8Session,
    private readonly ctx: JobContext,
    plan: ImagePlan,
    private readonly verify: boolean,
    private readonly skipUnchanged: boolean,
  ) {
    this.slots = plan.blocks.map((p) => ({ plan: p, chip: null, final: null, state: 'unread' }));
  }

  private get bs(): number {
    return this.s.part.blockSize;
  }

  /** Blocks from `from` on that are unread and address-contiguous, at most `max`. */
  private runFrom(from: number, max: number): number {
    let n = 0;
    while (from + n < this.slots.length && n < max && this.slots[from + n].state === 'unread') {
      if (n > 0 && this.slots[from + n].plan.address !== this.slots[from + n - 1].plan.address + this.bs) break;
      n++;
    }
    return n;
  }

  private async preRead(from: number, n: number): Promise<void> {
    const addr = this.slots[from].plan.address;
    const data = await this.s.readBlocks(addr, n);
    this.counts.bytesPreRead += n * this.bs;
    for (let k = 0; k < n; k++) {
      const sl = this.slots[from + k];
      sl.chip = data.subarray(k * this.bs, (k + 1) * this.bs);
      sl.state = 'read';
    }
    this.nextUnread = Math.max(this.nextUnread, from + n);
  }

  /**
   * Pre-read the blocks from `i` on. Reads are as big as a READMEM allows (fewest USB round
   * trips); the first takes the remainder of the run modulo a full READMEM, so the whole run
   * costs the fewest reads.
   */
  private async foregroundRead(i: number): Promise<void> {
    const maxBlocks = this.s.blocksPerRead;
    const run = this.runFrom(i, Number.MAX_SAFE_INTEGER);
    let take: number;
    if (this.counts.written === 0 && this.counts.skipped === 0) {
      const rem = run % maxBlocks;
      take = Math.min(run, rem > 0 ? rem : FIRST_READ_BLOCKS);
    } else take = Math.min(run, maxBlocks);
    await this.preRead(i, take);
  }

  private decide(sl: Slot): void {
    const chip = sl.chip as Uint8Array;
    const final = mergeBlock(sl.plan, chip);
    sl.final = final;
    if (this.skipUnchanged && sameBytes(final, chip)) {
      sl.state = 'skipped';
      return;
    }
    if (isAllZero(final)) sl.mode = 'erase';
    else sl.mode = isAllZero(chip) ? 'fast' : 'standard';
  }

  async run(): Promise<void> {
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      this.ctx.checkAbort();
      const sl = this.slots[i];
      if (sl.state === 'unread') await this.foregroundRead(i);
      this.decide(sl);
      if (sl.state === 'skipped') {
        this.counts.skipped++;
        this.ctx.progress('program', i + 1, n, sl.plan.address, 'blocks');
        continue;
      }
      await this.ensureUnlocked(sl.plan.region);
      try {
        await this.writeOne(sl);
      } catch (e) {
        throw await explainBlockFailure(e, this.s, sl.plan.address);
      }
      if (this.verify) this.verifyQueue.push(i);
      // Reported only now: writeOne returns after the block's EOP was read.
      this.ctx.progress('program', i + 1, n, sl.plan.address, 'blocks');
    }
    if (this.verify) await this.verifyRest();
  }

  /**
   * One block: mode write, data write, EOP — each status-checked, and the EOP seen before
   * anything else reaches the chip (OO `stm8_write_flash`). Nothing is overlapped with the
   * program cycle: flash cannot be read while it is being programmed, and the next mode write
   * must wait for this EOP.
   */
  private async writeOne(sl: Slot): Promise<void> {
    const flash = this.s.flash;
    const final = sl.final as Uint8Array;
    if (sl.mode === 'erase') await flash.eraseBlock(sl.plan.address);
    else await flash.writeBlock(sl.plan.address, final, sl.mode === 'fast' ? 'fast' : 'standard');
    sl.state = 'written';
    this.counts.written++;
    this.counts.bytesWritten += sl.mode === 'erase' ? 4 : this.bs;
    if (sl.mode === 'fast') this.counts.fast++;
    else if (sl.mode === 'standard') this.counts.standard++;
    else this.counts.erased++;
  }

  private async ensureUnlocked(region: 'flash' | 'eeprom'): Promise<void> {
    if (this.unlocked.has(region)) return;
    await this.s.flash.unlock(region);
    this.unlocked.add(region);
  }

  /** Length of the address-contiguous run at the front of the verify queue. */
  private verifyRunLength(max: number): number {
    const q = this.verifyQueue;
    let n = 0;
    while (n < q.length && n < max) {
      if (n > 0 && this.slots[q[n]].plan.address !== this.slots[q[n - 1]].plan.address + this.bs) break;
      n++;
    }
    return n;
  }

  private check(idx: number[], data: Uint8Array): void {
    const mism: Mismatch[] = [];
    let total = 0;
    idx.forEach((k, j) => {
      const sl = this.slots[k];
      total += compare(sl.plan.address, sl.final as Uint8Array, data.subarray(j * this.bs, (j + 1) * this.bs), mism);
      sl.state = 'verified';
    });
    if (total > 0) throw mismatchError(mism, total);
  }

  /** Verify what the background did not: big checked reads. */
  private async verifyRest(): Promise<void> {
    const total = this.verifyQueue.length;
    const maxBlocks = this.s.blocksPerRead;
    let done = 0;
    while (this.verifyQueue.length > 0) {
      this.ctx.checkAbort();
      const n = this.verifyRunLength(maxBlocks);
      const idx = this.verifyQueue.splice(0, n);
      const addr = this.slots[idx[0]].plan.address;
      const data = await this.s.readBlocks(addr, n);
      this.counts.bytesVerified += n * this.bs;
      try {
        this.check(idx, data);
      } catch (e) {
        // Written blocks that read back wrong: a chip with other block sizes than the part's does that.
        if (e instanceof AppError) throw new AppError(e.code, e.message, `${partHint(this.s)} ${e.remedy ?? ''}`.trim(), e.details);
        throw e;
      }
      done += n;
      this.ctx.progress('verify', done, total, addr, 'blocks');
    }
  }
}

/**
 * Program an image into flash, EEPROM and RAM. Throws before touching the chip for data
 * outside the part ('outside-memory', 'image-has-options'). WR_PG_DIS →
 * 'write-protected'; a difference after writing → 'verify-failed' (details.mismatches);
 * abort → 'cancelled'. On any failure the flash is locked and the target reset.
 */
export async function programImage(session: Stm8Session, image: ImageLike, opts: ProgramJobOptions = {}): Promise<ProgramReport> {
  const ctx = new JobContext(session, opts);
  const plan = planImage(session.part, image);
  const verify = opts.verify !== false;
  const prog = new Programmer(session, ctx, plan, verify, opts.skipUnchanged !== false);
  let ramVerified = 0;
  await guarded(ctx, async () => {
    ctx.checkAbort();
    if (plan.blocks.length > 0) {
      // Before the pre-read too: it runs at the CPU clock like the writes (see ensureFullSpeedClock).
      await session.ensureFullSpeedClock();
      await prog.run();
      if (prog.counts.written > 0) await session.flash.lock();
    }
    for (const w of plan.ram) {
      ctx.checkAbort();
      await session.writeMemory(w.address, w.data);
      if (verify) {
        const back = await session.readMemory(w.address, w.data.length);
        const mism: Mismatch[] = [];
        const n = compare(w.address, w.data, back, mism);
        if (n > 0) throw mismatchError(mism, n);
        ramVerified += w.data.length;
      }
      ctx.progress('ram', w.data.length, w.data.length, w.address);
    }
  });
  const c = prog.counts;
  const regions: RegionProgramSummary[] = [];
  for (const [region, bytes] of plan.byRegion) {
    const sl = prog.slots.filter((x) => x.plan.region === region);
    regions.push({
      region,
      imageBytes: bytes,
      blocksTouched: sl.length,
      blocksWritten: sl.filter((x) => x.state === 'written' || x.state === 'verified').length,
      blocksSkipped: sl.filter((x) => x.state === 'skipped').length,
    });
  }
  const ramBytes = plan.ram.reduce((a, w) => a + w.data.length, 0);
  return {
    regions,
    blocksTotal: prog.slots.length,
    blocksWritten: c.written,
    blocksSkipped: c.skipped,
    blocksFast: c.fast,
    blocksStandard: c.standard,
    blocksErased: c.erased,
    imageBytes: plan.imageBytes,
    bytesWritten: c.bytesWritten + ramBytes,
    bytesPreRead: c.bytesPreRead,
    bytesVerified: c.bytesVerified + ramVerified,
    ramBytesWritten: ramBytes,
    verified: verify,
    durationMs: ctx.elapsedMs,
    transfers: ctx.transfers,
  };
}
