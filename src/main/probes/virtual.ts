/**
 * In-process virtual probes (src/main/sim) chosen with --virtual PROBE:PART[:FAULT,...].
 * One virtual probe per spec string lives as long as the process, so a chip written by one
 * job is still there for the next (the app's demo mode; several CLI steps in one process).
 */
import { createVirtualProbe, parseVirtualSpec, type VirtualProbe } from '../sim/index';
import type { ProbeSummary } from './types';
import { summarizeProbe } from './summary';

const cache = new Map<string, VirtualProbe>();

function key(spec: string): string {
  return spec.trim().toLowerCase();
}

/**
 * The virtual probe for `spec`, created on first use. Bad specs throw the sim's AppErrors
 * ('bad-virtual-spec', 'bad-probe-variant', 'bad-fault', 'unknown-part').
 */
export function virtualProbeFor(spec: string): VirtualProbe {
  const k = key(spec);
  let v = cache.get(k);
  if (!v) {
    const parsed = parseVirtualSpec(spec);
    v = createVirtualProbe({ probe: parsed.probe, part: parsed.part, faults: parsed.faults, ...(parsed.timing ? { timing: parsed.timing } : {}) });
    cache.set(k, v);
  }
  return v;
}

/** Forget every cached virtual probe (tests; the app's "reset demo chip"). */
export function forgetVirtualProbes(): void {
  cache.clear();
}

/** The part named in a virtual spec (so --part may be left out with --virtual). */
export function virtualSpecPart(spec: string): string {
  return parseVirtualSpec(spec).part;
}

export function summarizeVirtual(spec: string, v: VirtualProbe): ProbeSummary {
  return summarizeProbe(v.info, `virtual:${key(spec)}`, 'virtual');
}
