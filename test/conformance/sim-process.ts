/**
 * Serves a virtual probe in a separate process through the real command line,
 * `swim-studio sim serve` (simulator.md §7), the way a user would start it for OpenOCD.
 * A separate process keeps OpenOCD's traffic honest: nothing is shared but the socket.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(repoRoot, 'bin', 'swim-studio.mjs');

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
  /** How long to wait for "listening on PATH". Default 30 s (tsx compiles on first start). */
  startTimeoutMs?: number;
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
  /** SIGTERM, then wait (bounded) for the state file to be written and the process to exit. */
  stop(timeoutMs?: number): Promise<SimServerExit>;
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  let privateDir: string | null = null;
  let socketPath = opts.socketPath;
  if (!socketPath) {
    privateDir = await mkdtemp(join(tmpdir(), 'swim-sim-'));
    socketPath = join(privateDir, 'probe.sock');
  }
  const args = [CLI, 'sim', 'serve', '--socket', socketPath, '--probe', opts.probe, '--part', opts.part];
  if (opts.stateFile) args.push('--state', opts.stateFile);
  for (const f of opts.faults ?? []) args.push('--fault', f);
  if (opts.clock) args.push('--clock', opts.clock);
  if (opts.serial) args.push('--serial', opts.serial);

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
    const timer = setTimeout(() => resolve('timeout'), opts.startTimeoutMs ?? 30_000);
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

  return {
    socketPath,
    log: () => stdout + stderr,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const end = await exited;
      clearTimeout(timer);
      await cleanup();
      return end;
    },
  };
}
