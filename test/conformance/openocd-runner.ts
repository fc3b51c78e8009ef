/**
 * Runs the system's OpenOCD against a virtual probe served on a Unix socket, through the
 * stand-in libusb (./standin.ts). Starts no server itself: the caller serves the probe
 * (`swim-studio sim serve`, see ./sim-process.ts) and passes the socket path.
 *
 * Every run is bounded: OpenOCD is killed after `timeoutMs` and the result says so.
 */
import { execFile, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildStandin } from './standin';

const run = promisify(execFile);

export interface RunOpenOcdOptions {
  /** Unix socket of the virtual probe (docs/spec/simulator.md §7). */
  socketPath: string;
  /** The `-c` commands, in order, e.g. ['init', 'reset halt', 'load_image f.bin 0x8000 bin']. */
  commands: string[];
  /** `-f` config files; default interface/stlink-dap.cfg + target/stm8s103.cfg. */
  configs?: string[];
  /** Append `shutdown` when the last command is not one (so OpenOCD never keeps serving). Default true. */
  shutdown?: boolean;
  /** Kill OpenOCD after this long. Default 60 s. */
  timeoutMs?: number;
  /** OpenOCD debug level (-d0..-d4); default its own (2). */
  debugLevel?: number;
  /** Print every socket request of the stand-in on stderr (SWIM_STUDIO_STANDIN_TRACE). */
  trace?: boolean;
  /** The OpenOCD executable; default `openocd` from PATH. */
  executable?: string;
  /** Working directory (relative image paths are resolved against it). */
  cwd?: string;
  /** Extra environment, e.g. SWIM_STUDIO_STANDIN_MAX_WAIT_MS; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
}

export interface OpenOcdResult {
  /** Exit code, or null when it was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when it ran past timeoutMs and was killed. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout and stderr as one text, in arrival order (OpenOCD 0.12 prints logs and command output such as `mdb` on stderr). */
  output: string;
  /** Wall-clock time from spawn to exit, in milliseconds. */
  wallMs: number;
  /** The full argument list, for messages. */
  args: string[];
}

export const DEFAULT_OPENOCD_CONFIGS = ['interface/stlink-dap.cfg', 'target/stm8s103.cfg'];

/** "Open On-Chip Debugger 0.12.0" → "0.12.0", or null when OpenOCD is not installed. */
export async function openOcdVersion(executable = 'openocd'): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(executable, ['--version'], { timeout: 10_000 });
    const m = /Open On-Chip Debugger\s+(\S+)/.exec(stderr + stdout);
    return m ? m[1] : 'unknown';
  } catch {
    return null;
  }
}

/** Where `openocd` is on PATH (for nm), or null. */
export async function whichOpenOcd(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v openocd'], { timeout: 10_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Builds the stand-in (cached) and runs OpenOCD once with the given commands.
 * The gdb/telnet/tcl servers are disabled so that parallel runs never fight over ports.
 */
export async function runOpenOcd(opts: RunOpenOcdOptions): Promise<OpenOcdResult> {
  const libDir = await buildStandin();
  const commands = [...opts.commands];
  if ((opts.shutdown ?? true) && commands.at(-1) !== 'shutdown') commands.push('shutdown');
  const args = [
    ...(opts.debugLevel !== undefined ? [`-d${opts.debugLevel}`] : []),
    '-c', 'gdb_port disabled',
    '-c', 'telnet_port disabled',
    '-c', 'tcl_port disabled',
    ...(opts.configs ?? DEFAULT_OPENOCD_CONFIGS).flatMap((f) => ['-f', f]),
    ...commands.flatMap((c) => ['-c', c]),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LD_LIBRARY_PATH: [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    SWIM_STUDIO_SIM_SOCKET: opts.socketPath,
    SWIM_STUDIO_STANDIN_TRACE: opts.trace ? '1' : '0',
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = performance.now();
  return new Promise<OpenOcdResult>((resolve, reject) => {
    const child = spawn(opts.executable ?? 'openocd', args, { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      output += d;
    });
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(new Error(`could not start OpenOCD: ${e.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(killer);
      resolve({ exitCode, signal, timedOut, stdout, stderr, output, wallMs: performance.now() - started, args });
    });
  });
}
