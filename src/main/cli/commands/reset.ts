import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import type { ResetDoc } from '../json';
import { partName, requirePart, withConnection } from '../connect';

/** `swim-studio reset [--halt]`: reset the target and let it run (or keep it halted). */
export const command = defineCommand({
  name: 'reset',
  summary: 'reset the target (it then runs its firmware, or stays halted with --halt)',
  usage: [
    'Usage: swim-studio --part PART reset [--halt]',
    '',
    'JSON: {"reset":{"running"}}',
  ],
  options: [{ name: 'halt' }],
  async run({ args, out, globals }) {
    requirePart(partName(globals));
    const run = !args.options.has('halt');
    await withConnection(globals, { runAfter: run }, (conn) => conn.reset({ halt: !run }));
    out.result({ reset: { running: run } } satisfies ResetDoc);
    out.line(run ? 'Target reset; it runs its firmware.' : 'Target reset and halted.');
    return EXIT.ok;
  },
});
