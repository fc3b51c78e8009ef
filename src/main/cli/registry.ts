import type { CliCommand } from './command';

type CommandModule = { command: CliCommand };

/**
 * Every subcommand, in the order `--help` lists them. Each lives in ./commands/NAME.ts and
 * is imported only when it runs (or for the help listing): `ui` alone pulls in vite and the
 * bridge, and loading everything up front cost `sim serve` over a second per start.
 */
const LOADERS: Record<string, () => Promise<CommandModule>> = {
  list: () => import('./commands/list'),
  parts: () => import('./commands/parts'),
  info: () => import('./commands/info'),
  read: () => import('./commands/read'),
  write: () => import('./commands/write'),
  verify: () => import('./commands/verify'),
  erase: () => import('./commands/erase'),
  blank: () => import('./commands/blank'),
  opt: () => import('./commands/opt'),
  unlock: () => import('./commands/unlock'),
  reset: () => import('./commands/reset'),
  diagnose: () => import('./commands/diagnose'),
  stm8flash: () => import('./commands/stm8flash'),
  ui: () => import('./commands/ui'),
  app: () => import('./commands/app'),
  sim: () => import('./commands/sim'),
  production: () => import('./commands/production'),
};

export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

/** The one command called `name`, or undefined when there is none. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load ? (await load()).command : undefined;
}

/** All commands (for the help listing). */
export async function loadCommands(): Promise<CliCommand[]> {
  const modules = await Promise.all(COMMAND_NAMES.map((n) => LOADERS[n]()));
  return modules.map((m) => m.command);
}
