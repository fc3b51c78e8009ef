/** Probes as `list` and `stm8flash -L` document them (./json.ts ProbeDoc). */
import { toErrorData } from '#shared/errors';
import { openProbe, scanProbes, type ProbeChoice, type ProbeSummary } from '../probes/index';
import type { ErrorDoc, ProbeDoc } from './json';
import { probeIdentityDoc } from '../probes/summary';

export interface ProbeListing {
  probes: ProbeDoc[];
  /** Why the list is empty or partial (e.g. no USB subsystem), never thrown. */
  notes: ErrorDoc[];
}

/**
 * Lists probes as the CLI documents them. Each probe is opened briefly to read its firmware
 * version and SWIM support (as `list` promises); one that cannot be opened is listed with
 * its problem instead of failing the listing.
 */
export async function listProbeDocs(sel: ProbeChoice): Promise<ProbeListing> {
  const scan = await scanProbes(sel);
  const probes: ProbeDoc[] = [];
  for (const s of scan.probes) {
    const doc = summaryDoc(s);
    try {
      const p = await openProbe(selectionFor(s, sel));
      const id = p.identity;
      doc.firmware = id.versionString;
      doc.swim = id.supportsSwim;
      doc.name = id.variantName;
      await p.close();
    } catch (e) {
      doc.problem = errorDoc(e);
      if (doc.problem.code === 'probe-no-swim') doc.swim = false;
    }
    probes.push(doc);
  }
  return { probes, notes: scan.notes.map((n) => errorDoc(n)) };
}

/** The selection that opens exactly this listed probe. */
function selectionFor(s: ProbeSummary, sel: ProbeChoice): ProbeChoice {
  if (s.transport === 'virtual' && sel.virtual) return { virtual: sel.virtual };
  if (s.transport === 'socket' && sel.simSocket) return { simSocket: sel.simSocket };
  return { probe: s.portPath || s.serial };
}

function summaryDoc(s: ProbeSummary): ProbeDoc {
  return { ...probeIdentityDoc(s), kind: s.transport, firmware: null, swim: s.supportsSwim, problem: null };
}

function errorDoc(e: unknown): ErrorDoc {
  const d = toErrorData(e);
  return { code: d.code, message: d.message, ...(d.remedy ? { remedy: d.remedy } : {}) };
}
