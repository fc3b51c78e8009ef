/** The words of production status: one line per station event, and the run's summary. */
import type { RunSummary } from './runner';
import type { StationEvent } from './station';

/** A line for the events a person watching the line needs (progress ticks are left out). */
export function stationLine(e: StationEvent): string | null {
  const r = e.record;
  switch (e.state) {
    case 'waiting-board':
      return `${e.station}: waiting for a board`;
    case 'pass':
      return `${e.station}: PASS serial ${String(r?.serial)} uid ${r?.uid ?? '?'} (${r?.durationMs.toFixed(0)} ms)`;
    case 'fail':
      return `${e.station}: FAIL ${e.error?.code ?? ''}: ${e.error?.message ?? ''}${e.error?.remedy ? ` — ${e.error.remedy}` : ''}${r?.serial != null ? ` (serial ${String(r.serial)} spent)` : ''}`;
    case 'remove-board':
      return `${e.station}: remove the board`;
    case 'offline':
      return `${e.station}: OFFLINE ${e.error?.code ?? ''}: ${e.error?.message ?? ''}`;
    case 'done':
      return `${e.station}: done`;
    default:
      return null;
  }
}

export function summaryLines(s: RunSummary): string[] {
  const total = s.passed + s.failed;
  const codes = Object.entries(s.failedByCode).map(([c, n]) => `${c} ×${n}`);
  const lines = [
    `Boards: ${total}, passed ${s.passed}, failed ${s.failed}${codes.length ? ` (${codes.join(', ')})` : ''}; yield ${total ? ((100 * s.passed) / total).toFixed(1) : '0.0'} %`,
    `Rate: ${s.boardsPerHour.toFixed(0)} boards/hour over ${(s.elapsedMs / 1000).toFixed(1)} s`,
  ];
  for (const r of s.recovered) {
    const how = r.t === 'settle' ? `${r.outcome} (from the log)` : 'orphaned (never issued again)';
    lines.push(`Journal: serial ${String(r.serial)}, left open by an earlier run, is now settled as ${how}.`);
  }
  return lines;
}
