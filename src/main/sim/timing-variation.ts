/**
 * The timing-variation option of the virtual probe (`--timing nominal|slow|fast|jitter[=SEED]`
 * on `sim serve` and in `--virtual` specs; `timing` in createVirtualProbe's options).
 * Real probes, chips and USB stacks differ in every delay the model assumes; an engine that
 * is correct only at the nominal figures is not correct. What each mode charges is in
 * timing-profile.ts and CHOICES.md.
 */
import { AppError } from '#shared/errors';

export type TimingMode = 'nominal' | 'slow' | 'fast' | 'jitter';

export const TIMING_MODES: readonly TimingMode[] = ['nominal', 'slow', 'fast', 'jitter'];

export interface TimingVariation {
  /**
   * nominal: the datasheet's typical figures (the default).
   * slow: every delay at the slow end of its range (t_prog at the datasheet maximum).
   * fast: every delay at the fast end (t_prog at typical, wire and USB a little quicker).
   * jitter: each delay drawn anew, per event, from its whole range; deterministic per seed.
   */
  mode: TimingMode;
  /** jitter only: the PRNG seed (default 1). The same seed gives the same delays for the same traffic. */
  seed?: number;
}

export const NOMINAL_TIMING: TimingVariation = { mode: 'nominal' };

function isTimingMode(s: string): s is TimingMode {
  return (TIMING_MODES as readonly string[]).includes(s);
}

/** "slow" → { mode: 'slow' }; "jitter=7" → { mode: 'jitter', seed: 7 }. Anything else → AppError 'bad-timing'. */
export function parseTimingVariation(text: string): TimingVariation {
  const trimmed = text.trim().toLowerCase();
  const eq = trimmed.indexOf('=');
  const mode = eq >= 0 ? trimmed.slice(0, eq) : trimmed;
  const seedText = eq >= 0 ? trimmed.slice(eq + 1) : undefined;
  const hint = 'Use one of: nominal, slow, fast, jitter, jitter=SEED (SEED a whole number).';
  if (!isTimingMode(mode)) throw new AppError('bad-timing', `Unknown timing "${text.trim()}".`, hint, { timing: text });
  if (seedText === undefined) return { mode };
  if (mode !== 'jitter') throw new AppError('bad-timing', `Timing "${mode}" takes no seed (got "${seedText}").`, hint, { timing: text });
  if (!/^\d{1,9}$/.test(seedText)) throw new AppError('bad-timing', `The jitter seed must be a whole number, got "${seedText}".`, hint, { timing: text });
  return { mode, seed: Number(seedText) };
}

/** The textual form, the inverse of parseTimingVariation. */
export function formatTimingVariation(v: TimingVariation): string {
  return v.mode === 'jitter' && v.seed !== undefined ? `jitter=${v.seed}` : v.mode;
}
