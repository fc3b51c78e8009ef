import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimSocketPath } from '../../../src/main/sim/socket-path';

const dirs: string[] = [];
function socketPathInTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-socket-path-'));
  dirs.push(dir);
  return path.join(dir, 'probe.sock');
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('claimSocketPath', () => {
  it('leaves a free path alone', async () => {
    const p = socketPathInTempDir();
    await claimSocketPath(p, '--socket');
    expect(fs.existsSync(p)).toBe(false);
  });

  it('removes the stale socket file a dead server left behind', async () => {
    const p = socketPathInTempDir();
    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(p, resolve));
    // Closing a listening server unlinks its file; recreate a stale one without a listener.
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    fs.writeFileSync(p, '');
    await claimSocketPath(p, '--socket');
    expect(fs.existsSync(p)).toBe(false);
  });

  it('refuses a path a live server answers on, naming the option, and keeps its file', async () => {
    const p = socketPathInTempDir();
    const live = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => live.listen(p, resolve));
    try {
      await expect(claimSocketPath(p, '--usbip-listen')).rejects.toMatchObject({ code: 'socket-in-use', remedy: expect.stringContaining('--usbip-listen') });
      expect(fs.existsSync(p)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => live.close(() => resolve()));
    }
  });
});
