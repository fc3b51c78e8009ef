import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import type { UnlockDoc } from '../json';
import { AppError } from '#shared/errors';
import { jobOptions, partName, requirePart, withConnection } from '../connect';

/** `swim-studio unlock --yes`: remove read-out protection (erases the chip). */
export const command = defineCommand({
  name: 'unlock',
  summary: 'remove read-out protection: erases flash and EEPROM, restores option bytes',
  usage: [
    'Usage: swim-studio --part PART unlock --yes',
    '',
    'Removes read-out protection the way the family needs it (STM8S/AF: ROP off with factory',
    'option bytes; STM8L: the double write), resets, reconnects and confirms the chip is',
    'unprotected and blank. This ERASES flash and EEPROM, hence --yes.',
    'JSON: {"unlock":{"wasProtected","erased":["flash","eeprom",...],"blank"}}',
  ],
  options: [{ name: 'yes', short: 'y' }],
  async run({ args, out, io, globals }) {
    requirePart(partName(globals));
    if (!args.options.has('yes')) {
      throw new AppError(
        'confirm-required',
        'unlock erases all flash and EEPROM of the chip',
        'Run it again with --yes to confirm.',
        { confirmations: ['erase'] },
      );
    }
    const r = await withConnection(globals, {}, (conn) => conn.unlock(jobOptions(io)));
    const u = { wasProtected: r.wasProtected, erased: r.erased.map((e) => e.region), blank: r.blank };
    out.result({ unlock: u } satisfies UnlockDoc);
    out.line(
      `${u.wasProtected ? 'Read-out protection removed' : 'The chip was not protected; option bytes restored'}; erased: ${u.erased.join(', ') || 'nothing'}; ${u.blank ? 'chip confirmed blank' : 'chip NOT blank'}.`,
    );
    return u.blank ? EXIT.ok : EXIT.failed;
  },
});
