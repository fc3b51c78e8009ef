import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { parseArgs } from '../args';
import type { UnlockDoc } from '../json';
import { AppError } from '#shared/errors';
import { createOutput } from '../output';
import { jobOptions, partName, requirePart, withConnection } from '../connect';

/** `swim-studio unlock --yes`: remove read-out protection (erases the chip). */
export const command: CliCommand = {
  name: 'unlock',
  summary: 'remove read-out protection: erases flash and EEPROM, restores option bytes',
  usage: [
    'Usage: swim-studio --part PART unlock --yes',
    '',
    'Removes read-out protection the way the family needs it (STM8S/AF: ROP off with factory',
    'option bytes; STM8L: the double write), resets, reconnects and confirms the chip is',
    'unprotected and blank. This ERASES flash and EEPROM, hence --yes.',
    'JSON: {"unlock":{"wasProtected","erased":["flash","eeprom",...],"blank"}}',
  ].join('\n'),
  async run(args, io, globals) {
    const out = createOutput(io, globals);
    try {
      const p = parseArgs(args, [{ name: 'yes', short: 'y' }], 0);
      requirePart(partName(globals));
      if (!p.options.has('yes')) {
        throw new AppError(
          'confirm-required',
          'unlock erases all flash and EEPROM of the chip',
          'Run it again with --yes to confirm.',
        );
      }
      const r = await withConnection(globals, {}, (conn) => conn.unlock(jobOptions(io)));
      const u = { wasProtected: r.wasProtected, erased: r.erased.map((e) => e.region), blank: r.blank };
      out.result({ unlock: u } satisfies UnlockDoc);
      out.line(
        `${u.wasProtected ? 'Read-out protection removed' : 'The chip was not protected; option bytes restored'}; erased: ${u.erased.join(', ') || 'nothing'}; ${u.blank ? 'chip confirmed blank' : 'chip NOT blank'}.`,
      );
      return u.blank ? EXIT.ok : EXIT.failed;
    } catch (e) {
      return out.fail(e);
    }
  },
};
