/** Job results in words, for the status line and the log ("Programmed 8192 bytes of flash in 0.61 s, verified."). */
import type { JobKind, JobReport, MemoryArea, AreaSegment } from '#shared/ipc';
import { areaWords } from './memory-map';
import type { WorkDone } from './job-reports';

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function bytesWords(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** "flash", "flash and EEPROM", "flash, EEPROM and RAM" */
export function areaListWords(segments: { region: MemoryArea }[]): string {
  const names = [...new Set(segments.map((s) => s.region))].map(areaWords);
  if (names.length <= 1) return names[0] ?? 'nothing';
  return names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
}

export function totalBytes(segments: AreaSegment[]): number {
  return segments.reduce((n, s) => n + s.data.length, 0);
}

/**
 * "<head> in <time> (<blocks>; <note>)[, verified][: <outcome>]."
 * e.g. "Programmed 8192 bytes of flash in 0.86 s (128 blocks written), verified."
 */
export function makeReport(jobId: string, kind: JobKind, durationMs: number, summaryHead: string, done: WorkDone, outcome?: string): JobReport {
  const extras: string[] = [];
  if (done.blocksWritten !== undefined || done.blocksSkipped !== undefined) {
    const w = done.blocksWritten ?? 0;
    const s = done.blocksSkipped ?? 0;
    extras.push(`${w} block${w === 1 ? '' : 's'} written` + (s ? `, ${s} unchanged skipped` : ''));
  }
  if (done.note) extras.push(done.note);
  let summary = `${summaryHead} in ${seconds(durationMs)}`;
  if (extras.length) summary += ` (${extras.join('; ')})`;
  if (done.verified) summary += ', verified';
  if (outcome) summary += `: ${outcome}`;
  summary += '.';
  const r: JobReport = { jobId, kind, summary, durationMs, bytes: done.bytes };
  if (done.blocksWritten !== undefined) r.blocksWritten = done.blocksWritten;
  if (done.blocksSkipped !== undefined) r.blocksSkipped = done.blocksSkipped;
  if (done.verified !== undefined) r.verified = done.verified;
  return r;
}
