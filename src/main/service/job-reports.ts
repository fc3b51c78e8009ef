/**
 * The engine's job reports (src/main/jobs) as the app's contract shapes and words: small pure
 * functions, so target-requests.ts calls TargetConnection directly.
 */
import type { MemoryArea, OptionBytesResult, AreaSegment, UnlockResult } from '#shared/ipc';
import { optionBytesShown } from '#shared/option-byte-readings';
import type { Comparison, ImageLike, JobOptions, JobPhase, OptionBytesReport, ProgramReport, UnlockReport } from '../jobs/index';
import type { RunningJob } from './job-runner';
import { areaWords } from './memory-map';

/** What a job did, before the service turns it into words. */
export interface WorkDone {
  bytes: number;
  blocksWritten?: number;
  blocksSkipped?: number;
  verified?: boolean;
  /** Extra words for the summary, e.g. "3 blocks skipped (unchanged)". */
  note?: string;
}

export type OptionReading = Omit<OptionBytesResult, 'report'>;

/** The verify part of a program job (a failed verify throws there; see Comparison). */
export type VerifyOutcome = Omit<Comparison, 'ok'>;

const PHASE_WORDS: Record<JobPhase, string> = {
  read: 'reading',
  compare: 'comparing with the chip',
  erase: 'erasing',
  program: 'writing',
  verify: 'verifying',
  'blank-check': 'blank checking',
  'option-bytes': 'writing option bytes',
  unlock: 'removing read-out protection',
  reset: 'resetting the target',
  ram: 'writing RAM',
};

/** The engine's job options for one job of the runner: its signal and its progress in words ("writing flash"). */
export function jobOptions(job: RunningJob, what?: string): JobOptions {
  return {
    signal: job.signal,
    onProgress: (p) => job.progress(what ? `${PHASE_WORDS[p.phase]} ${what}` : PHASE_WORDS[p.phase], p.done, p.total),
  };
}

/** The page's segments (any order, tagged by area) as an image for the engine. */
export function imageOf(segments: AreaSegment[]): ImageLike {
  return { segments: [...segments].sort((a, b) => a.address - b.address).map((s) => ({ address: s.address, data: s.data })) };
}

export function programDone(r: ProgramReport): WorkDone & { verify?: VerifyOutcome } {
  const done: WorkDone & { verify?: VerifyOutcome } = {
    bytes: r.imageBytes,
    blocksWritten: r.blocksWritten,
    blocksSkipped: r.blocksSkipped,
    verified: r.verified,
  };
  // Which programming modes were used (fast block mode needs a block the chip holds erased).
  const modes = [
    r.blocksFast ? `${r.blocksFast} in fast mode` : '',
    r.blocksStandard ? `${r.blocksStandard} in standard mode` : '',
    r.blocksErased ? `${r.blocksErased} by block erase` : '',
  ].filter(Boolean);
  if (modes.length > 1) done.note = modes.join(', ');
  if (r.verified) done.verify = { bytes: r.bytesVerified, mismatchCount: 0, mismatches: [] };
  return done;
}

export function optionReading(r: OptionBytesReport): OptionReading {
  return { raw: { region: 'option', address: r.start, data: r.raw }, bytes: optionBytesShown(r.decoded), readProtected: r.ropActive };
}

export function unlockDone(r: UnlockReport): WorkDone & Omit<UnlockResult, 'report' | 'after'> & { after: OptionReading } {
  const erased = r.erased.map((e) => e.region).filter((x): x is MemoryArea => x === 'flash' || x === 'eeprom' || x === 'option' || x === 'ram');
  const words = erased.map(areaWords).join(' and ');
  return {
    bytes: r.erased.reduce((n, e) => n + e.size, 0),
    note: r.wasProtected ? `${r.method} method; erased ${words || 'nothing'}; ${r.blank ? 'chip blank' : 'chip NOT blank'}` : 'the chip was not protected',
    method: r.method,
    wasProtected: r.wasProtected,
    blank: r.blank,
    erased,
    after: optionReading(r.optionBytes),
  };
}
