/**
 * A long-running command (`npm start`, `swim-studio ui`, `sim serve`) started as its own
 * process group, so stopping it reaches every process it started (npm → sh → node), with
 * every wait bounded.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  /** Everything written so far on stdout and stderr. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects on timeout or exit. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name) once the process has ended, bounded. */
  exited(timeoutMs: number): Promise<number | string>;
  /** SIGTERM to the whole group, then SIGKILL after a grace period; resolves when it is gone. */
  stop(): Promise<void>;
}

export function spawnGroup(command: string, args: string[], opts: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  let ended: number | string | null = null;
  const endedP = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = code ?? signal ?? -1;
      resolve(ended);
    });
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = out.match(pattern);
          if (m) {
            cleanup();
            resolve(m);
          }
          return Boolean(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`exited (${String(ended)}) before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.on('exit', onExit);
        if (ended !== null) onExit();
        else check();
      });
    },
    exited(timeoutMs) {
      return Promise.race([endedP, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs).unref())]);
    },
    async stop() {
      if (ended !== null) {
        killGroup('SIGKILL'); // the leader is gone; anything it left behind goes too
        return;
      }
      killGroup('SIGTERM');
      const late = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await endedP;
      clearTimeout(late);
      killGroup('SIGKILL');
    },
  };
}
