import { decodeOptionBytes, findPart, isRopActive } from '../../shared/catalogue/index';
import type { Part, RegionKind } from '../../shared/catalogue/types';
import { AppError, toErrorData } from '../../shared/errors';
import type { MemoryImage } from '../../shared/image/index';
import { blankCheck, eraseMemory } from '../jobs/erase';
import { programImage } from '../jobs/program';
import { readMemory } from '../jobs/read';
import type { JobProgress, Mismatch } from '../jobs/types';
import { verifyImage } from '../jobs/verify';
import { openProbe, scanProbes, type ProbeSelection, type ProbeSummary } from '../probes/index';
import type { StlinkProbe } from '../stlink/probe';
import { Stm8Session } from '../stm8/session';
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
      doc.firmware = id.versionLine.split(' ')[1] ?? null;
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

/** Opens the probe and connects to the target (layers 2–3), ready for jobs (layer 4). */
export async function openTarget(req: TargetRequest): Promise<CliTarget> {
  if (!req.part) throw new AppError('part-required', 'no part given', 'Name the STM8 part with --part.');
  const part = findPart(req.part);
  const sel = await chooseByHint(selection(req), req.preferVariant);
  const probe = await openProbe(sel);
  let session: Stm8Session;
  try {
    session = await Stm8Session.connect(probe, part, { connectUnderReset: req.underReset ?? false });
  } catch (e) {
    await probe.close().catch(() => undefined);
    throw e;
  }
  return new EngineTarget(probe, session, part, await probeDoc(probe, sel), await readProtected(session));
}

async function probeDoc(probe: StlinkProbe, sel: ProbeSelection): Promise<ProbeDoc> {
  const id = probe.identity;
  return {
    variant: id.variant,
    name: id.variantName,
    serial: id.serial,
    vendorId: id.usbVid,
    productId: id.usbPid,
    portPath: id.portPath,
    kind: sel.virtual ? 'virtual' : sel.simSocket ? 'socket' : 'usb',
    firmware: id.versionLine.split(' ')[1] ?? null,
    swim: id.supportsSwim,
    problem: null,
  };
}

async function readProtected(session: Stm8Session): Promise<boolean | null> {
  try {
    return isRopActive(session.part, await session.readByte(session.part.rop.address));
  } catch {
    return null;
  }
}

function progressOf(cb: ((p: ProgressLike) => void) | undefined): ((p: JobProgress) => void) | undefined {
  return cb ? (p) => cb({ phase: p.phase, done: p.done, total: p.total }) : undefined;
}

class EngineTarget implements CliTarget {
  readonly targetVoltage: number | null;
  readonly swimSpeed: 'low' | 'high';
  readonly underReset: boolean;

  constructor(
    private readonly stlink: StlinkProbe,
    private readonly session: Stm8Session,
    readonly part: Part,
    readonly probe: ProbeDoc,
    readonly readProtected: boolean | null,
  ) {
    const r = session.report;
    this.targetVoltage = r.voltage.volts;
    this.swimSpeed = r.speed;
    this.underReset = r.underReset;
  }

  async read(start: number, length: number, onProgress?: (p: ProgressLike) => void): Promise<Uint8Array> {
    const r = await readMemory(this.session, { start, length }, { onProgress: progressOf(onProgress) });
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
    const rep = await programImage(this.session, image, {
      verify: opts.verify,
      skipUnchanged: opts.skipUnchanged,
      onProgress: progressOf(opts.onProgress),
    });
    const regions: WrittenRegionDoc[] = rep.regions.map((r) => {
      const span = spanIn(this.part, image, r.region);
      return { region: r.region, start: span.start, size: r.imageBytes, blocksWritten: r.blocksWritten, blocksSkipped: r.blocksSkipped };
    });
    if (rep.ramBytesWritten > 0 && !regions.some((r) => r.region === 'ram')) {
      const span = spanIn(this.part, image, 'ram');
      regions.push({ region: 'ram', start: span.start, size: rep.ramBytesWritten, blocksWritten: null, blocksSkipped: null });
    }
    return { regions, bytes: rep.imageBytes, verified: rep.verified };
  }

  async verify(image: MemoryImage, onProgress?: (p: ProgressLike) => void): Promise<VerifyOutcome> {
    try {
      const r = await verifyImage(this.session, image, { onProgress: progressOf(onProgress) });
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
    await eraseMemory(this.session, { region }, { onProgress: progressOf(onProgress) });
  }

  async blankCheck(region: 'flash' | 'eeprom', onProgress?: (p: ProgressLike) => void) {
    const r = await blankCheck(this.session, { region }, { onProgress: progressOf(onProgress) });
    return { blank: r.blank, firstNonBlank: r.firstNonBlank };
  }

  async readOptionBytes(): Promise<OptionsOutcome> {
    const opt = this.part.option;
    const raw = (await readMemory(this.session, { start: opt.start, length: opt.size })).data;
    return optionsOutcome(this.part, raw);
  }

  async writeOptionBytes(): Promise<OptionsOutcome> {
    throw new AppError('not-implemented', 'writing option bytes is not wired yet');
  }

  async unlock(): Promise<never> {
    throw new AppError('not-implemented', 'unlock is not wired yet');
  }

  async reset(run: boolean): Promise<void> {
    await this.session.reset({ halt: !run });
  }

  async close(opts: { run?: boolean } = {}): Promise<void> {
    try {
      await this.session.disconnect({ resume: opts.run ?? true });
    } finally {
      await this.stlink.close();
    }
  }
}

/** Where the image's bytes in one region start (for reports). */
function spanIn(part: Part, image: MemoryImage, kind: RegionKind): { start: number } {
  const r = part.regions.find((x) => x.kind === kind);
  const b = r ? image.byRegion({ start: r.start, end: r.end }).bounds : undefined;
  return { start: b?.start ?? r?.start ?? 0 };
}

/** Decoded option bytes as the CLI documents them. */
export function optionsOutcome(part: Part, raw: Uint8Array): OptionsOutcome {
  const at = (a: number): number | undefined => (a >= part.option.start && a < part.option.start + raw.length ? raw[a - part.option.start] : undefined);
  const decoded = decodeOptionBytes(part, at);
  const bytes: OptionByteDoc[] = decoded.map((b) => ({
    name: b.name,
    address: b.address,
    value: b.value ?? 0,
    complement: b.complementValue,
    complementOk: b.complementOk,
    fields: b.fields.map((f) => ({ name: f.name, value: f.value, meaning: f.meaning ?? null })),
  }));
  const rop = at(part.rop.address);
  return { readProtected: rop !== undefined && isRopActive(part, rop), bytes, raw };
}
