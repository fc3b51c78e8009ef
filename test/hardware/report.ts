/** The Markdown report of a hardware run: what was tested, each step's result, where the trace is. */
import { platform, release } from 'node:os';
import type { StepResult } from './suite';

export interface ReportInput {
  header: string;
  started: Date;
  args: { part: string; allowOptionWrites: boolean };
  results: StepResult[];
  traceLines: number;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownReport(r: ReportInput): string {
  const passed = r.results.filter((x) => x.ok).length;
  return [
    '# SWIM Studio hardware test',
    '',
    `- Probe and part: ${r.header || '(did not connect)'} (asked for ${r.args.part})`,
    `- Run: ${r.started.toISOString()}, ${platform()} ${release()}, Node ${process.version}`,
    `- Option-byte writes: ${r.args.allowOptionWrites ? 'allowed (one harmless field toggled and restored)' : 'not allowed'}`,
    `- Result: ${passed} of ${r.results.length} passed`,
    '',
    '| step | result | ms | detail |',
    '|---|---|---|---|',
    ...r.results.map((x) => `| ${cell(x.name)} | ${x.ok ? 'pass' : '**FAIL**'} | ${Math.round(x.ms)} | ${cell(x.detail)} |`),
    '',
    `The USB trace (${r.traceLines} exchanges) is in usb-trace.json next to this file; attach both to a bug report.`,
    '',
  ].join('\n');
}
