/**
 * The one vocabulary for how good or bad something is, shown as colour: `ok` (green), `warn`
 * (amber), `err` (red), `info` (blue). A `tone-*` class (styles/app.css) sets --tone, the strong
 * colour, and --tone-bg, its soft background, on an element and all it holds; each component
 * says where they go (`color: var(--tone, …)`), with its neutral look as the fallback. The words
 * several places share (finding severities, check results) map onto tones here; a component's
 * own states (an area's, a station's) map beside them.
 */
import type { FindingSeverity, LogLevel } from '#shared/ipc';

export type Tone = 'ok' | 'warn' | 'err' | 'info';

/** The class that gives an element a tone; no tone, no class (the neutral look). */
export function toneClass(tone: Tone | null | undefined): string {
  return tone ? `tone-${tone}` : '';
}

export const SEVERITY_TONE: Record<FindingSeverity, Tone> = { ok: 'ok', info: 'info', warning: 'warn', error: 'err' };

/** A log line's level: warnings and errors stand out, debug and info lines keep the neutral look. */
export const LEVEL_TONE: Partial<Record<LogLevel, Tone>> = { warn: 'warn', error: 'err' };

/** A check or step that has ended: passed is ok, failed is err; waiting, running or skipped has none. */
export function resultTone(state: string): Tone | null {
  return state === 'passed' ? 'ok' : state === 'failed' ? 'err' : null;
}
