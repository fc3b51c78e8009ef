/**
 * The board control of `sim serve`: a second Unix socket, PROBE_SOCKET + ".control", that
 * takes one text command per line and answers one line, so a script (or a production test)
 * can play the operator of a served virtual probe:
 *   remove          take the board off (no target voltage)          → "ok removed"
 *   insert [SEED]   put a factory-fresh chip on, its unique ID from SEED (default: a counter)
 *                                                                    → "ok inserted UID"
 *   status          → "ok board|no-board UID"
 * Anything else → "error …". Lines are bounded (256 bytes) so a stray client cannot grow memory.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { VirtualProbe } from './index';

export const CONTROL_SUFFIX = '.control';
const MAX_LINE = 256;

const hex = (b: Uint8Array | null): string => (b ? Buffer.from(b).toString('hex') : 'none');

/** Run one control command against `probe`; returns the answer line. */
export function boardCommand(probe: VirtualProbe, line: string, nextSeed: () => string): string {
  const [cmd, arg] = line.trim().split(/\s+/, 2);
  switch (cmd) {
    case 'remove':
      probe.removeBoard();
      return 'ok removed';
    case 'insert':
      probe.insertBoard({ uidSeed: arg ?? nextSeed() });
      return `ok inserted ${hex(probe.target.uniqueId())}`;
    case 'status':
      return `ok ${probe.hasBoard() ? 'board' : 'no-board'} ${hex(probe.target.uniqueId())}`;
    default:
      return `error unknown command "${cmd ?? ''}" (remove, insert [SEED], status)`;
  }
}

export interface BoardControlHandle {
  path: string;
  close(): Promise<void>;
}

export async function serveBoardControl(probe: VirtualProbe, path: string): Promise<BoardControlHandle> {
  let boards = 0;
  const nextSeed = (): string => `${probe.info.serialNumber}/board-${++boards}`;
  try {
    fs.unlinkSync(path);
  } catch {
    /* no stale socket */
  }
  const server = net.createServer((c) => {
    let buf = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        c.write(boardCommand(probe, line, nextSeed) + '\n');
      }
      if (buf.length > MAX_LINE) {
        c.end('error line too long\n');
        buf = '';
      }
    });
    c.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        try {
          fs.unlinkSync(path);
        } catch {
          /* already gone */
        }
      }),
  };
}
