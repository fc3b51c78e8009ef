import type { Part, RegionKind } from '../../shared/catalogue/types';
import { AppError, toErrorData } from '../../shared/errors';
import type { MemoryImage } from '../../shared/image/index';
import { connectTarget, type PhaseProgress, type Mismatch, type OptionBytesReport, type TargetConnection } from '../jobs/index';
import { openProbe, scanProbes, type ProbeSelection, type ProbeSummary } from '../probes/index';
import type { ErrorDoc, OptionByteDoc, ProbeDoc, WrittenRegionDoc } from './json';
import type { ProgressLike } from './progress';
import type { CliTarget, OptionsOutcome, TargetRequest, VerifyOutcome } from './target';

/**
 * The one file where the CLI meets the engine (layers 1–4 through src/main/probes and
 * src/main/jobs). Commands only see CliTarget and ProbeDoc.
 */

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
export async function listProbeDocs(sel: { virtual?: string; simSocket?: string; probe?: string }): Promise<ProbeListing> {
  const scan = await scanProbes(selection(sel));
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

function selection(sel: { virtual?: string; simSocket?: string; probe?: string }): ProbeSelection {
  return {
    ...(sel.virtual ? { virtual: sel.virtual } : {}),
    ...(sel.simSocket ? { simSocket: sel.simSocket } : {}),
    ...(sel.probe ? { probe: sel.probe } : {}),
  };
}

/** The selection that opens exactly this listed probe. */
function selectionFor(s: ProbeSummary, sel: { virtual?: string; simSocket?: string }): ProbeSelection {
  if (s.transport === 'virtual' && sel.virtual) return { virtual: sel.virtual };
  if (s.transport === 'socket' && sel.simSocket) return { simSocket: sel.simSocket };
  return { probe: s.portPath || s.serial };
}

export function summaryDoc(s: ProbeSummary): ProbeDoc {
  return {
    variant: s.variant,
    name: s.variantName,
    serial: s.serial,
    vendorId: s.vendorId,
    productId: s.productId,
    portPath: s.portPath,
    kind: s.transport,
    firmware: null,
    swim: s.supportsSwim,
    problem: null,
  };
}

export function errorDoc(e: unknown): ErrorDoc {
  const d = toErrorData(e);
  return { code: d.code, message: d.message, ...(d.remedy ? { remedy: d.remedy } : {}) };
}

/**
 * With no probe named and several USB probes attached, a variant hint (stm8flash -c) picks
 * the one of that family when exactly one matches; otherwise the engine's own rule applies
 * (one probe: use it; several: 'probe-ambiguous' listing them).
 */
async function chooseByHint(sel: ProbeSelection, hint: string | undefined): Promise<ProbeSelection> {
  if (!hint || sel.probe || sel.virtual || sel.simSocket) return sel;
  const { probes } = await scanProbes(sel);
  if (probes.length < 2) return sel;
  const family = (v: string): string => (v.startsWith('stlinkv3') ? 'stlinkv3' : v);
  const same = probes.filter((p) => family(p.variant) === family(hint));
  return same.length === 1 ? { probe: same[0].portPath } : sel;
}

/** Opens the probe and connects to the target through the engine's facade (src/main/jobs). */
export async function openTarget(req: TargetRequest): Promise<CliTarget> {
  const sel = await chooseByHint(selection(req), req.preferVariant);
  const conn = await connectTarget({ ...sel, part: req.part, connectUnderReset: req.underReset ?? false });
  // null = unknown (reported as such); the job itself will say what is wrong.
  const prot = await conn.readOptionBytes().then(
    (o) => o.ropActive,
    () => null,
  );
  return new EngineTarget(conn, probeDoc(conn, sel), prot, req.signal);
}

function probeDoc(conn: TargetConnection, sel: ProbeSelection): ProbeDoc {
  const id = conn.identity;
  return {
    variant: id.variant,
    name: id.variantName,
    serial: id.serial,
    vendorId: id.usbVid,
    productId: id.usbPid,
    portPath: id.portPath,
    kind: sel.virtual ? 'virtual' : sel.simSocket ? 'socket' : 'usb',
    firmware: id.versionString ?? null,
    swim: id.supportsSwim,
    problem: null,
  };
}

function progressOf(cb: ((p: ProgressLike) => void) | undefined): ((p: PhaseProgress) => void) | undefined {
  return cb ? (p) => cb({ phase: p.phase, done: p.done, total: p.total }) : undefined;
}

class EngineTarget implements CliTarget {
  readonly targetVoltage: number | null;
  readonly swimSpeed: 'low' | 'high';
  readonly underReset: boolean;
  readonly part: Part;

  constructor(
    private readonly conn: TargetConnection,
    readonly probe: ProbeDoc,
    readonly readProtected: boolean | null,
    private readonly signal: AbortSignal | undefined,
  ) {
    const r = conn.connectReport;
    this.part = conn.part;
    this.targetVoltage = r.voltage.volts;
    this.swimSpeed = r.speed;
    this.underReset = r.underReset;
  }

  private jobOpts(onProgress: ((p: ProgressLike) => void) | undefined): { signal?: AbortSignal; onProgress?: (p: PhaseProgress) => void } {
    const cb = progressOf(onProgress);
    return { ...(this.signal ? { signal: this.signal } : {}), ...(cb ? { onProgress: cb } : {}) };
  }

  async read(start: number, length: number, onProgress?: (p: ProgressLike) => void): Promise<Uint8Array> {
    const r = await this.conn.read({ start, length }, this.jobOpts(onProgress));
    if (r.protected) {
      throw new AppError(
        'read-protected',
        `${this.part.name} is read-out protected: flash and EEPROM read back as filler, not the firmware`,
        'Nothing can read it back. "swim-studio unlock --yes" removes the protection by erasing the chip.',
      );
    }
    return r.data;
  }

  async program(image: MemoryImage, opts: { verify: boolean; skipUnchanged: boolean; onProgress?: (p: ProgressLike) => void }) {
    const rep = await this.conn.program(image, {
      verify: opts.verify,
      skipUnchanged: opts.skipUnchanged,
      ...this.jobOpts(opts.onProgress),
    });
    const regions: WrittenRegionDoc[] = rep.regions.map((r) => {
      const ram = r.region === 'ram';
      return {
        region: r.region,
        start: spanIn(this.part, image, r.region).start,
        size: r.imageBytes,
        blocksWritten: ram ? null : r.blocksWritten,
        blocksSkipped: ram ? null : r.blocksSkipped,
      };
    });
    return { regions, bytes: rep.imageBytes, verified: rep.verified };
  }

  async verify(image: MemoryImage, onProgress?: (p: ProgressLike) => void): Promise<VerifyOutcome> {
    try {
      const r = await this.conn.verify(image, this.jobOpts(onProgress));
      return { ok: true, bytes: r.bytesCompared, mismatchCount: 0, mismatches: [] };
    } catch (e) {
      if (e instanceof AppError && e.code === 'verify-failed') {
        const d = e.details as { mismatches?: Mismatch[]; count?: number } | undefined;
        const mismatches = (d?.mismatches ?? []).map((m) => ({ address: m.address, expected: m.expected, actual: m.actual }));
        return { ok: false, bytes: image.byteCount, mismatchCount: d?.count ?? mismatches.length, mismatches };
      }
      throw e;
    }
  }

  async erase(region: 'flash' | 'eeprom', onProgress?: (p: ProgressLike) => void): Promise<void> {
    await this.conn.erase({ region }, this.jobOpts(onProgress));
  }

  async blankCheck(region: 'flash' | 'eeprom', onProgress?: (p: ProgressLike) => void) {
    const r = await this.conn.blankCheck({ region }, this.jobOpts(onProgress));
    return { blank: r.blank, firstNonBlank: r.firstNonBlank };
  }

  async readOptionBytes(): Promise<OptionsOutcome> {
    return optionsOutcome(await this.conn.readOptionBytes());
  }

  async writeOptionBytes(values: { address: number; value: number }[], opts: { allowProtect: boolean; allowDangerous?: boolean; fromFactory?: boolean }): Promise<OptionsOutcome> {
    const rep = await this.conn.writeOptionBytes(
      { bytes: values, confirmProtect: opts.allowProtect, confirmDangerous: opts.allowDangerous ?? false, fromFactory: opts.fromFactory ?? false },
      this.jobOpts(undefined),
    );
    return optionsOutcome(rep.after);
  }

  async unlock() {
    const u = await this.conn.unlock(this.jobOpts(undefined));
    return { wasProtected: u.wasProtected, erased: u.erased.map((e) => e.region), blank: u.blank };
  }

  async reset(run: boolean): Promise<void> {
    await this.conn.reset({ halt: !run });
  }

  async close(opts: { run?: boolean } = {}): Promise<void> {
    await this.conn.close({ resume: opts.run ?? true });
  }

  /** For the bench and diagnostics: the engine connection underneath. */
  get connection(): TargetConnection {
    return this.conn;
  }
}

/** Where the image's bytes in one region start (for reports). */
function spanIn(part: Part, image: MemoryImage, kind: RegionKind): { start: number } {
  const r = part.regions.find((x) => x.kind === kind);
  const b = r ? image.byRegion({ start: r.start, end: r.end }).bounds : undefined;
  return { start: b?.start ?? r?.start ?? 0 };
}

/** Decoded option bytes as the CLI documents them. */
export function optionsOutcome(rep: OptionBytesReport): OptionsOutcome {
  const bytes: OptionByteDoc[] = rep.decoded.map((b) => ({
    name: b.name,
    address: b.address,
    value: b.value ?? 0,
    complement: b.complementValue,
    complementOk: b.complementOk,
    fields: b.fields.map((f) => ({ name: f.name, value: f.value, meaning: f.meaning ?? null })),
  }));
  return { readProtected: rep.ropActive, bytes, raw: rep.raw };
}
