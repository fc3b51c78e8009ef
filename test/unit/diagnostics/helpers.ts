/** Running the ladder on a fresh in-process virtual probe (the real part for these tests). */
import { createVirtualProbe, parseVirtualSpec, type VirtualProbe } from '../../../src/main/sim/index';
import { runDiagnostics, type LadderRunOptions } from '../../../src/main/diagnostics/ladder';
import type { DiagnosticsReport, StepRecord } from '../../../src/main/diagnostics/types';

export interface Diagnosed {
  v: VirtualProbe;
  r: DiagnosticsReport;
}

/**
 * `spec` is PROBE:PART[:FAULT,...] as for --virtual; the part of the spec is also the
 * selected part unless `extra.part` says otherwise (null: no part selected).
 */
export async function diagnose(spec: string, extra: Omit<LadderRunOptions, 'part'> & { part?: string | null } = {}): Promise<Diagnosed> {
  const s = parseVirtualSpec(spec);
  const v = createVirtualProbe({ probe: s.probe, part: s.part, faults: s.faults });
  const { part, ...rest } = extra;
  const chosen = part === undefined ? s.part : part;
  const r = await runDiagnostics({ transport: v.transport, ...(chosen ? { part: chosen } : {}), ...rest });
  return { v, r };
}

/** The last step that ran (the ladder stops there when it fails). */
export function lastRun(r: DiagnosticsReport): StepRecord {
  const ran = r.steps.filter((s) => s.state !== 'skipped' && s.state !== 'waiting');
  return ran[ran.length - 1];
}

export function codes(r: DiagnosticsReport): string[] {
  return r.findings.map((f) => f.code);
}

export function finding(r: DiagnosticsReport, code: string) {
  const f = r.findings.find((x) => x.code === code);
  if (!f) throw new Error(`no finding ${code}; got ${codes(r).join(', ')}`);
  return f;
}
