import type { OptionSpec, ParsedArgs } from './args';
import { parseArgs } from './args';
import type { CliCommand, CliIo, GlobalOptions } from './command';
import type { Output } from './output';
import { createOutput } from './output';

/** What a command's body is handed: its own arguments parsed, and how to speak. */
export interface CommandContext {
  args: ParsedArgs;
  out: Output;
  io: CliIo;
  globals: GlobalOptions;
}

export interface CommandDefinition {
  name: string;
  summary: string;
  /** The lines of `swim-studio help NAME`. */
  usage: readonly string[];
  /** Every option the command takes: anything else is a usage error. */
  options: OptionSpec[];
  /** How many positional arguments it takes at the most (default: none). */
  maxPositionals?: number;
  /** Rewords an error before it is reported (opt names its own flags in remedies). */
  reword?: (e: unknown) => unknown;
  /** Returns the exit code; any error thrown becomes its message and exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A command whose arguments are parsed before its body runs and whose errors, usage or
 * otherwise, are printed in the form --json chose (one JSON document, or a message and a
 * remedy on stderr) with the exit code the error table gives them.
 */
export function defineCommand(d: CommandDefinition): CliCommand {
  return {
    name: d.name,
    summary: d.summary,
    usage: d.usage.join('\n'),
    options: d.options,
    async run(argv, io, globals) {
      const out = createOutput(io, globals);
      try {
        const args = parseArgs(argv, d.options, d.maxPositionals ?? 0);
        return await d.run({ args, out, io, globals });
      } catch (e) {
        return out.fail(d.reword ? d.reword(e) : e);
      }
    },
  };
}
