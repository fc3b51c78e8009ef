/**
 * `swim-studio sim serve`: the virtual probe on a Unix socket (docs/spec/simulator.md §7),
 * for OpenOCD/stm8flash through a stand-in libusb, and for the engine in another process.
 * `swim-studio sim list`: the probe variants and fault switches.
 */
import fs from 'node:fs';
import { RealClock, VirtualClock, type Clock } from '../../clock';
import { AppError, toErrorData } from '#shared/errors';
import type { CliCommand, CliIo, GlobalOptions } from '../command';
import { EXIT } from '../command';
import { untilStopSignal } from '../stop-signal';
import { parseArgs, usageError, type OptionSpec } from '../args';
import { exitCodeFor } from '../exit-codes';
import { printHumanError } from '../output';
import {
  createVirtualProbe,
  FAULTS,
  FAULT_NAMES,
  formatViolation,
  VIRTUAL_VARIANTS,
  parseFault,
  parseVirtualVariant,
  parseTimingVariation,
  validateState,
  type Fault,
  type SimState,
  type TimingVariation,
  type VirtualProbe,
} from '../../sim/index';
import { serveVirtualProbe } from '../../sim/socket-server';
import { serveUsbip } from '../../sim/usbip/server';
import { USBIP_PORT, formatListenAddress, parseListenAddress, type ListenAddress } from '../../sim/usbip/listen-address';
import { CONTROL_SUFFIX, serveBoardControl } from '../../sim/board-control';

const USAGE = `Usage:
  swim-studio sim serve --socket PATH --probe stlinkv2|stlinkv21|stlinkv3|stlinkv3minie --part PART
                        [--serial S] [--state FILE] [--fault NAME[=ARG]]... [--clock virtual|realtime]
                        [--timing nominal|slow|fast|jitter[=SEED]]
  swim-studio sim serve --usbip [--usbip-listen unix:PATH|127.0.0.1:PORT] --probe ... (same options)
  swim-studio sim list

serve   Serves a virtual ST-LINK with a virtual STM8 behind it on a Unix stream socket (the
        protocol of docs/spec/simulator.md §7). Prints "listening on PATH", serves until SIGINT,
        SIGTERM or SIGHUP, then writes the state file (all memories of the chip) and exits 0. A
        later server given the same --state file starts with that content. The state file is
        also written each time a client leaves; when that fails the server says why and keeps
        serving (exit 1 at the end if the last save failed too).
        --clock realtime (default) waits the modelled delays for real, so clients that sleep
        on their own (OpenOCD, stm8flash) see the right timing; --clock virtual runs on
        modelled time that never falls behind the wall clock.
        --timing varies every modelled delay within its real range (wire, debug-module
        access, t_prog up to the datasheet maximum, USB latency): slow and fast take the
        ends, jitter draws each delay anew (the same SEED gives the same delays).
        Every protocol violation (a SWIM command before the previous one was reported
        done, READBUF too early, a write during a program cycle) is logged on stderr.
        --usbip exports the probe as a USB/IP device instead (docs/usbip.md): on Linux,
        "usbip attach -r HOST -b 1-1" (vhci-hcd) puts a real ST-LINK on the USB bus.
        --usbip-listen: unix:PATH or 127.0.0.1:PORT only (default 127.0.0.1:${USBIP_PORT}).
        PATH.control (with --socket) swaps the board: send "remove", "insert [SEED]" or "status", one line
        each (a new chip has a new unique ID; see docs/production.md).
list    Lists the probe variants and the fault switches.`;

interface ServeArgs {
  socket: string;
  /** Set by --usbip: serve USB/IP on this address instead of the socket protocol. */
  usbip?: ListenAddress;
  probe: string;
  /** Absent when the --state file names the part. */
  part?: string;
  serial?: string;
  state?: string;
  faults: Fault[];
  clock: 'virtual' | 'realtime';
  timing?: TimingVariation;
}

/** Everything `sim serve` takes; --probe and --part may also come before `sim`. */
const SERVE_OPTIONS: OptionSpec[] = [
  { name: 'socket', value: true },
  { name: 'usbip' },
  { name: 'usbip-listen', value: true },
  { name: 'probe', value: true },
  { name: 'part', value: true },
  { name: 'serial', value: true },
  { name: 'state', value: true },
  { name: 'fault', value: true, repeat: true },
  { name: 'timing', value: true },
  { name: 'clock', value: true },
];

const SEE_SIM_HELP = 'Run "swim-studio help sim" for the options.';

export function parseServeArgs(argv: string[], globals: GlobalOptions): ServeArgs {
  const { options, lists } = parseArgs(argv, SERVE_OPTIONS, 0);
  const listen = options.get('usbip-listen');
  const usbip = listen !== undefined ? parseListenAddress(listen) : options.has('usbip') ? parseListenAddress(`127.0.0.1:${USBIP_PORT}`) : undefined;
  const socket = options.get('socket');
  const probe = options.get('probe') ?? globals.probe;
  const part = options.get('part') ?? globals.part;
  const clock = options.get('clock') ?? 'realtime';
  if (clock !== 'virtual' && clock !== 'realtime') throw usageError(`--clock must be "virtual" or "realtime", not "${clock}".`, SEE_SIM_HELP);
  if (!socket && !usbip) throw usageError('sim serve needs --socket PATH (or --usbip).', SEE_SIM_HELP);
  if (socket && usbip) throw usageError('sim serve takes --socket or --usbip, not both.', SEE_SIM_HELP);
  if (!probe) throw usageError(`sim serve needs --probe (${VIRTUAL_VARIANTS.join(', ')}).`, SEE_SIM_HELP);
  parseVirtualVariant(probe);
  const timing = options.get('timing');
  const serial = options.get('serial');
  const state = options.get('state');
  return {
    socket: socket ?? '',
    ...(usbip ? { usbip } : {}),
    probe,
    ...(part !== undefined ? { part } : {}),
    ...(serial !== undefined ? { serial } : {}),
    ...(state !== undefined ? { state } : {}),
    faults: (lists.get('fault') ?? []).map(parseFault),
    clock,
    ...(timing !== undefined ? { timing: parseTimingVariation(timing) } : {}),
  };
}

function readState(file: string): SimState | undefined {
  if (!fs.existsSync(file)) return undefined; // first run: the file is written at exit
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError('bad-sim-state', `Cannot read the state file ${file}: ${(e as Error).message}.`, 'Give a file written by "swim-studio sim serve --state FILE", or delete it to start blank.');
  }
  return validateState(raw);
}

function writeState(file: string, probe: VirtualProbe): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(probe.saveState(), null, 1));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Saves the state file, or says why it could not. A server keeps serving when a save fails
 * (a missing folder, a full disk): the chip is still in memory and the next save may work.
 */
function trySaveState(file: string, probe: VirtualProbe, io: CliIo): boolean {
  try {
    writeState(file, probe);
    return true;
  } catch (e) {
    io.err(`sim: could not save the state file ${file}: ${(e as Error).message}`);
    return false;
  }
}

async function serve(args: string[], io: CliIo, globals: GlobalOptions): Promise<number> {
  const a = parseServeArgs(args, globals);
  const state = a.state ? readState(a.state) : undefined;
  const part = a.part ?? state?.part;
  if (!part) throw usageError('sim serve needs --part PART (or a --state file that names it).', SEE_SIM_HELP);
  const clock: Clock = a.clock === 'virtual' ? new VirtualClock() : new RealClock();
  const probe = createVirtualProbe({
    probe: parseVirtualVariant(a.probe),
    part,
    ...(a.serial !== undefined ? { serial: a.serial } : {}),
    faults: a.faults,
    clock,
    ...(a.timing ? { timing: a.timing } : {}),
    ...(state ? { state } : {}),
    onViolation: (v) => io.err(`sim: ${formatViolation(v)}`),
  });
  const save = (): boolean => (a.state ? trySaveState(a.state, probe, io) : true);
  const saveOrSay = (): void => {
    if (!save()) io.err('sim: still serving; the state is saved again when the next client leaves and at exit.');
  };
  const log = (line: string): void => io.err(`sim: ${line}`);
  let server: { close(): Promise<void> };
  // Board swaps (remove / insert) for production runs, beside the probe's socket.
  let control: { close(): Promise<void> } | null = null;
  if (a.usbip) {
    const u = await serveUsbip(probe, { listen: a.usbip, onDetached: saveOrSay, log });
    server = u;
    io.out(`listening on ${formatListenAddress(u.address)} (USB/IP, bus id ${u.busid})`);
  } else {
    server = await serveVirtualProbe(probe, a.socket, { onClientClosed: saveOrSay, log });
    // Ready before "listening on" is printed: clients take that line as the go-ahead.
    control = await serveBoardControl(probe, a.socket + CONTROL_SUFFIX);
    io.out(`listening on ${a.socket}`);
  }
  await untilStopSignal();
  await control?.close();
  await server.close();
  // The socket file is gone by now whatever happens to the save.
  return save() ? EXIT.ok : EXIT.failed;
}

function list(io: CliIo): number {
  io.out('Probe variants: ' + VIRTUAL_VARIANTS.join(', '));
  io.out('Timing (--timing MODE, or timing=MODE in the --virtual list): nominal, slow, fast, jitter[=SEED]');
  io.out('Faults (--fault NAME[=ARG], or PROBE:PART:FAULT,... for --virtual):');
  for (const n of FAULT_NAMES) {
    const f = FAULTS[n];
    const shown = f.arg === 'required' ? `${n}=N` : f.arg === 'optional' ? `${n}[=N]` : n;
    io.out(`  ${shown.padEnd(26)} ${f.description}${f.argMeaning ? ` (N: ${f.argMeaning})` : ''}`);
  }
  return EXIT.ok;
}

export const command: CliCommand = {
  name: 'sim',
  summary: 'serve a virtual ST-LINK + STM8 on a socket (sim serve), list its faults (sim list)',
  usage: USAGE,
  async run(args, io, globals) {
    const [sub, ...rest] = args;
    try {
      if (sub === 'serve') return await serve(rest, io, globals);
      if (sub === 'list') return list(io);
      io.err(USAGE);
      return EXIT.usage;
    } catch (e) {
      const d = toErrorData(e);
      printHumanError(io, d);
      return exitCodeFor(d.code);
    }
  },
};
