/**
 * For the app (src/main/service): the IPC contract's probe selection turned into ladder
 * options, and the report turned into the contract's AppDiagnosticsReport (which carries the
 * Markdown for copy/save). Kept here so the app's engine adapter stays a one-liner.
 */
import type { AppDiagnosticsReport, ProbeSelection } from '#shared/ipc';
import { formatReportMarkdown } from './markdown';
import type { DiagnosticsOptions, DiagnosticsReport } from './types';

/** Ladder options for an IPC probe selection and the part the app has selected. */
export function diagnosticsOptionsFor(sel: ProbeSelection | undefined, part: string | undefined): DiagnosticsOptions {
  const o: DiagnosticsOptions = {};
  if (part) o.part = part;
  if (!sel) return o;
  switch (sel.kind) {
    case 'usb':
      o.probe = sel.portPath || sel.serial;
      break;
    case 'virtual': {
      const chip = sel.targetPart ?? part ?? 'stm8s103f3';
      o.virtual = `${sel.variant}:${chip}${sel.faults && sel.faults.length > 0 ? `:${sel.faults.join(',')}` : ''}`;
      break;
    }
    case 'socket':
      o.simSocket = sel.path;
      break;
  }
  return o;
}

/** The report as the IPC contract carries it: the same data plus the Markdown text. */
export function toIpcReport(r: DiagnosticsReport): AppDiagnosticsReport & DiagnosticsReport {
  return { ...r, markdown: formatReportMarkdown(r) };
}
