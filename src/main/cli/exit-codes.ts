import { ERROR_CODES, exitClassOf, type ErrorCode, type ExitClass } from '#shared/errors';
import { EXIT } from './command';

/**
 * Which exit code an error code gets, from the one table of codes (src/shared/errors.ts).
 * The rule (documented in docs/cli.md):
 * - 2 "usage": what was typed is wrong — unknown option or command, a value that is not a
 *   number, an unknown part name, a region or address the part does not have, a missing
 *   argument. Nothing was attempted.
 * - 3 "no probe or no target": no ST-LINK found (or not the one asked for), it cannot be
 *   opened (permissions, driver, busy), it has no SWIM, or the target does not answer.
 * - 1 "operation failed": everything else — an unreadable or corrupt file, an image that
 *   does not fit the part, a verify mismatch, a flash error, protection, cancel, unplug.
 * Unknown codes fall to 1, so a new engine error never masquerades as a usage error.
 */
const EXIT_OF: Record<ExitClass, number> = { usage: EXIT.usage, 'no-target': EXIT.noProbe, failed: EXIT.failed };

function codesOf(exit: ExitClass): ReadonlySet<string> {
  return new Set((Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => ERROR_CODES[c].exit === exit));
}

export const USAGE_CODES: ReadonlySet<string> = codesOf('usage');
export const NO_TARGET_CODES: ReadonlySet<string> = codesOf('no-target');

export function exitCodeFor(code: string): number {
  return EXIT_OF[exitClassOf(code)];
}
