import type { CliCommand } from './command';

/** Every subcommand, in the order `--help` lists them. Each lives in ./commands/NAME.ts. */
export async function loadCommands(): Promise<CliCommand[]> {
  const modules = await Promise.all([
    // import('./commands/list'),
  ]);
  return modules.map((m: { command: CliCommand }) => m.command);
}
