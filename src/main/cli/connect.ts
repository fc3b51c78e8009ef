/**
 * How a CLI command reaches the chip: resolve the part before any USB traffic, open the probe
 * and connect through the engine's facade (TargetConnection, src/main/jobs), run the
 * command's jobs, and always end the session. Commands call the connection directly; what
 * turns its reports into JSON documents lives in ./job-docs.ts.
 */
import { findPart } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import { connectTarget, type JobOptions, type PhaseProgress, type TargetConnection } from '../jobs/index';
import { scanProbes, type ProbeChoice } from '../probes/index';
import { parseVirtualSpec } from '../sim/faults';
import type { CliIo, GlobalOptions } from './command';
import type { ProbeDoc } from './json';
import type { ProgressBar } from './progress';

/** The part named by --part (or a command's own option), or a usage error saying how to name one. */
export function requirePart(name: string | undefined): Part {
  if (!name) {
    throw new AppError(
      'part-required',
      'no part given',
      'Name the STM8 part with --part, e.g. "swim-studio --part stm8s103f3 ..." (run "swim-studio parts" for the list).',
    );
  }
  return findPart(name);
}

/**
 * The part the user means: --part, else the part of the --virtual spec (a virtual chip
 * knows what it is). A socket probe's part must still be named.
 */
export function partName(globals: GlobalOptions): string | undefined {
  if (globals.part) return globals.part;
  // A malformed spec is reported as what it is (bad-virtual-spec, bad-fault, ...), not as a missing part.
  if (globals.virtual) return parseVirtualSpec(globals.virtual).part;
  return undefined;
}

/** What a command may set beyond the global options (stm8flash mode: -p, -S and its -c hint). */
export interface ConnectChoices {
  part?: string;
  probe?: string;
  underReset?: boolean;
  /**
   * When several probes are attached and none was named: prefer this variant (stm8flash
   * mode passes its -c hint). Never a reason to refuse a probe that is attached.
   */
  preferVariant?: string;
  /** false leaves the target halted after the command; by default it runs its firmware. */
  runAfter?: boolean;
}

/** The probe the global options (and a command's choice) name. */
export function probeSelection(globals: GlobalOptions, probe?: string): ProbeChoice {
  const named = probe ?? globals.probe;
  return {
    ...(globals.virtual ? { virtual: globals.virtual } : {}),
    ...(globals.simSocket ? { simSocket: globals.simSocket } : {}),
    ...(named ? { probe: named } : {}),
  };
}

/**
 * With no probe named and several USB probes attached, a variant hint (stm8flash -c) picks
 * the one of that family when exactly one matches; otherwise the engine's own rule applies
 * (one probe: use it; several: 'probe-ambiguous' listing them).
 */
async function chooseByHint(sel: ProbeChoice, hint: string | undefined): Promise<ProbeChoice> {
  if (!hint || sel.probe || sel.virtual || sel.simSocket) return sel;
  const { probes } = await scanProbes(sel);
  if (probes.length < 2) return sel;
  const same = probes.filter((p) => sameFamily(hint, p.variant));
  return same.length === 1 ? { probe: same[0].portPath } : sel;
}

/** stlinkv3 names a family (V3SET, V3MINI, V3MINIE...); the others one product. */
export function sameFamily(hint: string, variant: string): boolean {
  return hint === 'stlinkv3' ? variant.startsWith('stlinkv3') : hint === variant;
}

/**
 * Connects, runs `fn`, and always ends the session — by default leaving the target running
 * its firmware (OpenOCD's stm8 target and stm8flash both leave the core running at exit;
 * a stalled core makes users power-cycle). The part is resolved before any USB traffic so a
 * typo costs nothing. Option bytes are not read here: only the commands that use them do.
 */
export async function withConnection<T>(
  globals: GlobalOptions,
  choices: ConnectChoices,
  fn: (conn: TargetConnection) => Promise<T>,
): Promise<T> {
  const part = requirePart(choices.part ?? partName(globals));
  const sel = await chooseByHint(probeSelection(globals, choices.probe), choices.preferVariant);
  const conn = await connectTarget({ ...sel, part, connectUnderReset: choices.underReset ?? globals.underReset ?? false });
  const resume = choices.runAfter ?? true;
  let result: T;
  try {
    result = await fn(conn);
  } catch (e) {
    await conn.close({ resume }).catch(() => undefined);
    throw e;
  }
  await conn.close({ resume });
  return result;
}

/** The options every job of a command gets: Ctrl-C cancels it; progress goes to the bar, if any. */
export function jobOptions(io: CliIo, bar?: ProgressBar, label?: string): JobOptions {
  return {
    ...(io.signal ? { signal: io.signal } : {}),
    ...(bar ? { onProgress: (p: PhaseProgress) => bar.update(p, label) } : {}),
  };
}

/** The connected probe as `list` documents probes. */
export function probeDoc(conn: TargetConnection, globals: GlobalOptions): ProbeDoc {
  const id = conn.identity;
  return {
    variant: id.variant,
    name: id.variantName,
    serial: id.serial,
    vendorId: id.usbVid,
    productId: id.usbPid,
    portPath: id.portPath,
    kind: globals.virtual ? 'virtual' : globals.simSocket ? 'socket' : 'usb',
    firmware: id.versionString ?? null,
    swim: id.supportsSwim,
    problem: null,
  };
}
