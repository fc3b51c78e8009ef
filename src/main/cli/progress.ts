import type { CliIo } from './command';

/** What the jobs report; kept structural so any job's progress event fits. */
export interface ProgressLike {
  /** e.g. "write", "verify", "read", "erase". */
  phase?: string;
  done: number;
  total: number;
}

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

  update(p: ProgressLike): void {
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
