/**
 * Serves a virtual probe in a separate process through the real command line,
 * `swim-studio sim serve` (docs/spec/simulator.md §7), the way a user would start it for OpenOCD.
 * A separate process keeps OpenOCD's traffic honest: nothing is shared but the socket.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
/** `swim-studio sim serve ...` exactly as a user types it. */
const VIA_BIN = [join(repoRoot, 'bin', 'swim-studio.mjs'), 'sim'];
/** The same `sim` command module, without the dispatcher's start-up cost (./sim-serve-entry.ts). */
const VIA_COMMAND = ['--import', 'tsx/esm', join(here, 'sim-serve-entry.ts')];

export type SimProbeVariant = 'stlinkv2' | 'stlinkv21' | 'stlinkv3' | 'stlinkv3minie';

export interface SimServerOptions {
  probe: SimProbeVariant;
  part: string;
  /** Socket path; default a fresh one in a private temporary directory. */
  socketPath?: string;
  /** State file: loaded at start when it exists, written at SIGTERM. */
  stateFile?: string;
  /** Named faults, e.g. ['no-power'] or ['unplug-after=40']. */
  faults?: string[];
  /** 'realtime' (the server's default) or 'virtual'. */
  clock?: 'virtual' | 'realtime';
  serial?: string;
  /** `--timing nominal|slow|fast|jitter[=SEED]` of sim serve. */
  timing?: string;
  /** How long to wait for "listening on PATH". Default 60 s (tsx compiles on first start; CI machines are busy). */
  startTimeoutMs?: number;
  /**
   * 'bin' (default): bin/swim-studio.mjs, the user's path. 'command': the same `sim` command
   * module started directly, about a second faster per server.
   */
  via?: 'bin' | 'command';
}

export interface SimServerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SimServer {
  socketPath: string;
  /** Output so far (for failure messages). */
  log(): string;
  /**
   * Resolves once `text` has appeared `count` times in the server's output (e.g. the sim's
   * "client disconnected", so the next client is not refused as a second one); rejects
   * after timeoutMs or when the server exits first.
   */
  waitForLog(text: string, count?: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM (or `signal`), then wait (bounded) for the state file to be written and the process to exit. */
  stop(timeoutMs?: number, signal?: NodeJS.Signals): Promise<SimServerExit>;
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  let privateDir: string | null = null;
  let socketPath = opts.socketPath;
  if (!socketPath) {
    privateDir = await mkdtemp(join(tmpdir(), 'swim-sim-'));
    socketPath = join(privateDir, 'probe.sock');
  }
  const launcher = opts.via === 'command' ? VIA_COMMAND : VIA_BIN;
  const args = [...launcher, 'serve', '--socket', socketPath, '--probe', opts.probe, '--part', opts.part];
  if (opts.stateFile) args.push('--state', opts.stateFile);
  for (const f of opts.faults ?? []) args.push('--fault', f);
  if (opts.clock) args.push('--clock', opts.clock);
  if (opts.serial) args.push('--serial', opts.serial);
  if (opts.timing) args.push('--timing', opts.timing);

  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<SimServerExit>((resolve) => {
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  const cleanup = async () => {
    if (privateDir) await rm(privateDir, { recursive: true, force: true });
  };

  const expected = `listening on ${socketPath}`;
  const ready = await new Promise<'ready' | 'exited' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), opts.startTimeoutMs ?? 60_000);
    const check = () => {
      if (stdout.includes(expected)) {
        clearTimeout(timer);
        resolve('ready');
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(stdout.includes(expected) ? 'ready' : 'exited');
    });
    check();
  });
  if (ready !== 'ready') {
    child.kill('SIGKILL');
    const end = await exited;
    await cleanup();
    throw new Error(
      `sim server did not start (${ready}): node ${args.join(' ')}\nexit ${end.exitCode}\n${end.stdout}\n${end.stderr}`,
    );
  }

  const occurrences = (text: string): number => (stdout + stderr).split(text).length - 1;
  return {
    socketPath,
    log: () => stdout + stderr,
    waitForLog(text, count = 1, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.stderr.off('data', check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (occurrences(text) >= count) done();
        };
        const timer = setTimeout(() => done(new Error(`sim server never printed "${text}" x${count}:\n${stdout}${stderr}`)), timeoutMs);
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exited.then(() => (occurrences(text) >= count ? done() : done(new Error(`sim server exited before printing "${text}"`))));
        check();
      });
    },
    async stop(timeoutMs = 15_000, signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const end = await exited;
      clearTimeout(timer);
      await cleanup();
      return end;
    },
  };
}
