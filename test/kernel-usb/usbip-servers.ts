/**
 * The host side of the rig: one `sim serve --usbip` process per exported probe, each on its
 * own Unix socket, with a state file, and the one-word forwarder script qemu's guestfwd runs
 * for every guest connection (socat between its stdin/stdout and the socket).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ServedProbe {
  name: string;
  probe: string;
  part: string;
  serial: string;
  faults: string[];
  /** Guest-side address of its guestfwd rule. */
  ip: string;
  busid: string;
  socket: string;
  state: string;
  forwarder: string;
  process?: ChildProcess;
  log: string[];
}

export function describeProbe(dir: string, p: Omit<ServedProbe, 'socket' | 'state' | 'forwarder' | 'log' | 'busid'>): ServedProbe {
  const socket = path.join(dir, `${p.name}.sock`);
  const forwarder = path.join(dir, `fwd-${p.name}.sh`);
  fs.writeFileSync(forwarder, `#!/bin/sh\nexec socat - UNIX-CONNECT:${socket}\n`, { mode: 0o755 });
  return { ...p, busid: '1-1', socket, state: path.join(dir, `${p.name}.state.json`), forwarder, log: [] };
}

/** Start the server; resolves once it prints "listening on" (bounded). */
export function startServer(cli: string, p: ServedProbe, timeoutMs = 30_000): Promise<void> {
  const args = [cli, 'sim', 'serve', '--usbip', '--usbip-listen', `unix:${p.socket}`, '--probe', p.probe, '--part', p.part, '--serial', p.serial, '--state', p.state];
  for (const f of p.faults) args.push('--fault', f);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  p.process = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${p.name}: the server did not start within ${timeoutMs} ms: ${p.log.join(' | ')}`)), timeoutMs);
    const take = (c: Buffer): void => {
      for (const line of c.toString().split('\n').filter(Boolean)) {
        p.log.push(line);
        if (line.startsWith('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${p.name}: the server exited (${code}): ${p.log.join(' | ')}`));
    });
  });
}

/** SIGTERM, which makes the server write its state file; SIGKILL if it does not exit in time. */
export async function stopServer(p: ServedProbe, timeoutMs = 10_000): Promise<void> {
  const child = p.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
