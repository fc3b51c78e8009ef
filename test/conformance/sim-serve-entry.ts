/**
 * Runs the real `sim` subcommand (src/main/cli/commands/sim.ts) without the CLI dispatcher,
 * which imports every other command too (the `ui` one alone costs over a second). The
 * conformance scenarios start a dozen servers, so this keeps the suite short; the main
 * OpenOCD scenarios still go through bin/swim-studio.mjs, the path users take.
 * Usage: node --import tsx/esm test/conformance/sim-serve-entry.ts serve --socket PATH ...
 */
import { command } from '../../src/main/cli/commands/sim';

process.exitCode = await command.run(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    isTty: false,
  },
  { json: false },
);
