import type { CliIo, GlobalOptions } from './command';
import { EXIT } from './command';
import { pipeWriter } from './closed-pipe';
import { loadCommand, loadCommands } from './registry';
import { cancelOnStopSignal } from './stop-signal';

const VERSION = '0.1.0';

/** Splits the options before the subcommand from the subcommand and its own arguments. */
export function parseGlobals(argv: string[], env: NodeJS.ProcessEnv = process.env): { globals: GlobalOptions; rest: string[] } {
  const globals: GlobalOptions = { json: false };
  if (env.SWIM_STUDIO_VIRTUAL) globals.virtual = env.SWIM_STUDIO_VIRTUAL;
  if (env.SWIM_STUDIO_SIM_SOCKET) globals.simSocket = env.SWIM_STUDIO_SIM_SOCKET;
  let i = 0;
  const takesValue: Record<string, keyof GlobalOptions> = {
    '--probe': 'probe',
    '--part': 'part',
    '--virtual': 'virtual',
    '--sim-socket': 'simSocket',
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      globals.json = true;
      continue;
    }
    if (a === '--connect-under-reset') {
      globals.underReset = true;
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    const field = takesValue[key];
    if (!field) break;
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${key} needs a value`);
    (globals as unknown as Record<string, string>)[field] = value;
  }
  return { globals, rest: argv.slice(i) };
}

export async function runCli(argv: string[], io?: Partial<CliIo>): Promise<number> {
  // The first Ctrl-C, SIGTERM (an IDE's stop button) or SIGHUP cancels the job cleanly
  // (between blocks: flash locked, target reset); a second one ends the process at once.
  const interrupt = io?.signal ? null : new AbortController();
  const stopListening = interrupt ? cancelOnStopSignal(interrupt) : null;
  try {
    return await dispatch(argv, io, interrupt?.signal);
  } finally {
    stopListening?.();
  }
}

async function dispatch(argv: string[], io: Partial<CliIo> | undefined, signal: AbortSignal | undefined): Promise<number> {
  // A reader that closes the pipe early (`| head`) silences the stream, never crashes us.
  const stdout = io?.out ? undefined : pipeWriter(process.stdout);
  const stderr = io?.err ? undefined : pipeWriter(process.stderr);
  return dispatchWith(argv, {
    out: io?.out ?? ((l) => stdout!.write(l + '\n')),
    err: io?.err ?? ((l) => stderr!.write(l + '\n')),
    isTty: io?.isTty ?? Boolean(process.stdout.isTTY),
    errIsTty: io?.errIsTty ?? (io?.err ? false : Boolean(process.stderr.isTTY)),
    errRaw: io?.errRaw ?? (io?.err ? undefined : (chunk) => stderr!.write(chunk)),
    signal: io?.signal ?? signal,
    onProgress: io?.onProgress,
  });
}

async function dispatchWith(argv: string[], cio: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseGlobals(argv);
  } catch (e) {
    cio.err(`swim-studio: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const { globals, rest } = parsed;
  const [name, ...args] = rest;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' && args[0] ? await loadCommand(args[0]) : undefined;
    if (target) {
      cio.out(target.usage);
      return EXIT.ok;
    }
    cio.out(helpText(await loadCommands()));
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    cio.out(VERSION);
    return EXIT.ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    cio.err(`swim-studio: unknown command "${name}". Run "swim-studio --help" for the list.`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    if (command.name !== 'stm8flash') {
      cio.out(command.usage);
      return EXIT.ok;
    }
  }
  return command.run(args, cio, globals);
}

function helpText(commands: { name: string; summary: string }[]): string {
  const width = Math.max(8, ...commands.map((c) => c.name.length));
  return [
    `swim-studio ${VERSION} — program STM8 microcontrollers through ST-LINK probes over SWIM`,
    '',
    'Usage: swim-studio [global options] COMMAND [options]',
    '',
    'Global options:',
    '  --probe SERIAL          use the probe with this serial (or USB port path)',
    '  --part NAME             the STM8 part, e.g. stm8s103f3 (stm8flash patterns accepted)',
    '  --virtual PROBE:PART[:FAULT,...]  use an in-process virtual probe, e.g. stlinkv3:stm8s103f3',
    '  --sim-socket PATH       use a virtual probe served with "swim-studio sim serve"',
    '  --connect-under-reset   hold NRST low while entering SWIM (firmware that disables SWIM)',
    '  --json                  machine-readable output',
    '  Environment: SWIM_STUDIO_VIRTUAL, SWIM_STUDIO_SIM_SOCKET do the same as the options.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "swim-studio help COMMAND" for the options of one command.',
  ].join('\n');
}
