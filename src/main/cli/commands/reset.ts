import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { parseArgs } from '../args';
import type { ResetDoc } from '../json';
import { createOutput } from '../output';
import { partName, requirePart, withConnection } from '../connect';

/** `swim-studio reset [--halt]`: reset the target and let it run (or keep it halted). */
export const command: CliCommand = {
  name: 'reset',
  summary: 'reset the target (it then runs its firmware, or stays halted with --halt)',
  usage: [
    'Usage: swim-studio --part PART reset [--halt]',
    '',
    'JSON: {"reset":{"running"}}',
  ].join('\n'),
  async run(args, io, globals) {
    const out = createOutput(io, globals);
    try {
      const p = parseArgs(args, [{ name: 'halt' }], 0);
      requirePart(partName(globals));
      const run = !p.options.has('halt');
      await withConnection(globals, { runAfter: run }, (conn) => conn.reset({ halt: !run }));
      out.result({ reset: { running: run } } satisfies ResetDoc);
      out.line(run ? 'Target reset; it runs its firmware.' : 'Target reset and halted.');
      return EXIT.ok;
    } catch (e) {
      return out.fail(e);
    }
  },
};
