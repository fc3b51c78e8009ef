import type { CliIo } from './command';

/**
 * A one-line progress bar on stderr, redrawn in place with "\r". Drawn only when stderr is
 * a terminal and not in --json mode: pipes, logs and PlatformIO's output stay clean.
 * Redraws are throttled to whole-percent changes so a 128 KB job does not flood the tty.
 */
export class ProgressBar {
  private lastKey = '';
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
    private readonly width = 30,
  ) {}

  static for(io: CliIo, json: boolean): ProgressBar {
    return new ProgressBar(io, !json && Boolean(io.errIsTty) && Boolean(io.errRaw));
  }

  /** `label` names the phase on the bar instead of the job's own phase (e.g. "blank"). */
  update(event: { phase?: string; done: number; total: number }, label?: string): void {
    const p = { phase: label ?? event.phase, done: event.done, total: event.total };
    this.io.onProgress?.(p);
    if (!this.enabled || !this.io.errRaw) return;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const pct = Math.floor(frac * 100);
    const phase = (p.phase ?? '').padEnd(7);
    const key = `${phase}${pct}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const filled = Math.round(frac * this.width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    this.io.errRaw(`\r${phase} [${bar}] ${String(pct).padStart(3)}%  ${p.done}/${p.total}`);
    this.drawn = true;
  }

  /** Ends the bar's line so the next message starts on a fresh one. */
  finish(): void {
    if (this.drawn && this.io.errRaw) this.io.errRaw('\n');
    this.drawn = false;
    this.lastKey = '';
  }
}
