import { findPart } from '../../shared/catalogue/index';
import type { Part } from '../../shared/catalogue/types';
import { AppError } from '../../shared/errors';
import type { CliIo, GlobalOptions } from './command';
import { openTarget } from './engine-adapter';
import type { CliTarget, TargetRequest } from './target';
import { parseVirtualSpec } from '../sim/faults';

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

export function targetRequest(globals: GlobalOptions, extra: Partial<TargetRequest> = {}, io?: CliIo): TargetRequest {
  return {
    ...(io?.signal ? { signal: io.signal } : {}),
    ...(globals.underReset ? { underReset: true } : {}),
    part: partName(globals),
    probe: globals.probe,
    virtual: globals.virtual,
    simSocket: globals.simSocket,
    ...extra,
  };
}

/**
 * Connects, runs `fn`, and always ends the session — by default leaving the target running
 * its firmware (docs/spec/anchors.md T9: tools that leave the core stalled make users power-cycle).
 * The part is resolved before any USB traffic so a typo costs nothing.
 */
export async function withTarget<T>(
  req: TargetRequest,
  fn: (t: CliTarget) => Promise<T>,
  opts: { runAfter?: boolean } = {},
): Promise<T> {
  requirePart(req.part);
  const target = await openTarget(req);
  let result: T;
  try {
    result = await fn(target);
  } catch (e) {
    await target.close({ run: opts.runAfter ?? true }).catch(() => undefined);
    throw e;
  }
  await target.close({ run: opts.runAfter ?? true });
  return result;
}
