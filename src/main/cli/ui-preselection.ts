/**
 * What `swim-studio ui` selects in the app before the page opens, from the global options:
 * `--virtual PROBE:PART[:FAULT,...]` picks that virtual probe, its part and its faults;
 * `--sim-socket PATH` picks the probe served there; `--part` picks the part (over the one in
 * `--virtual`); `--connect-under-reset` ticks that option. The app reads them as the last
 * used probe and part, so the page shows them selected and Connect uses them.
 */
import { findPart } from '#shared/catalogue/index';
import type { ProbeSelection, Settings } from '#shared/ipc';
import { formatFault, parseVirtualSpec } from '../sim/faults';
import type { GlobalOptions } from './command';

/** The settings to start the app with; throws the parser's AppError for a bad spec or part. */
export function uiPreselection(globals: GlobalOptions): Partial<Settings> {
  const chosen: Partial<Settings> = {};
  let partName = globals.part;
  if (globals.virtual) {
    const spec = parseVirtualSpec(globals.virtual);
    const probe: ProbeSelection = { kind: 'virtual', variant: spec.probe };
    if (spec.faults.length > 0) probe.faults = spec.faults.map(formatFault);
    chosen.lastProbe = probe;
    partName ??= spec.part;
  } else if (globals.simSocket) {
    chosen.lastProbe = { kind: 'socket', path: globals.simSocket };
  }
  // The catalogue's own name ("stm8s103?3" or "STM8S103F3P6" become "stm8s103f3").
  if (partName) chosen.lastPart = findPart(partName).name;
  if (globals.underReset) chosen.connectUnderReset = true;
  return chosen;
}
