/**
 * Taking a Unix socket path for a virtual-probe server (the libusb stand-in's socket and
 * `sim serve --usbip unix:PATH` alike): a live server there is refused, a stale file from a
 * dead one is removed so that listen() can bind.
 */
import net from 'node:net';
import fs from 'node:fs';
import { AppError } from '#shared/errors';

/** Is a server already answering on this path? (A stale socket file from a dead server is not.) */
function isServerAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Frees `socketPath` for listening; `option` names the flag that chose it, for the hint. */
export async function claimSocketPath(socketPath: string, option: string): Promise<void> {
  if (!fs.existsSync(socketPath)) return;
  if (await isServerAnswering(socketPath)) {
    throw new AppError('socket-in-use', `Something is already serving on ${socketPath}.`, `Stop that server or choose another ${option} path.`);
  }
  fs.unlinkSync(socketPath);
}
