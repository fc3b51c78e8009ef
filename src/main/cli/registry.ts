import type { CliCommand } from './command';

/** Every subcommand, in the order `--help` lists them. Each lives in ./commands/NAME.ts. */
export async function loadCommands(): Promise<CliCommand[]> {
  const modules = await Promise.all([
    import('./commands/list'),
    import('./commands/parts'),
    import('./commands/info'),
    import('./commands/read'),
    import('./commands/write'),
    import('./commands/verify'),
    import('./commands/erase'),
    import('./commands/blank'),
    import('./commands/opt'),
    import('./commands/unlock'),
    import('./commands/reset'),
    import('./commands/diagnose'),
    import('./commands/stm8flash'),
    import('./commands/ui'),
    import('./commands/sim'),
  ]);
  return modules.map((m: { command: CliCommand }) => m.command);
}
