import { afterEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { serveVirtualProbe, type SocketServerHandle } from '../../../src/main/sim/socket-server';
import { RealClock } from '../../../src/main/clock';
import { connectTarget } from '../../../src/main/jobs/index';
import { listProbes, scanProbes } from '../../../src/main/probes/index';

let server: SocketServerHandle | null = null;
let dir = '';

afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('socket transport (docs/spec/simulator.md §7)', () => {
  it('identifies, programs and reads back through a served virtual probe', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-sock-'));
    const sock = path.join(dir, 'probe.sock');
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', clock: new RealClock() });
    server = await serveVirtualProbe(v, sock);
    const listed = await listProbes({ simSocket: sock });
    expect(listed).toHaveLength(1);
    expect(listed[0].transport).toBe('socket');
    expect(listed[0].serial).toBe(v.info.serialNumber.toUpperCase());
    const c = await connectTarget({ simSocket: sock, part: 'stm8s103f3' });
    expect(c.identity.versionString).toBe('V3J10M3B5S1');
    expect(c.clock.kind).toBe('realtime');
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff);
    const r = await c.program({ segments: [{ address: 0x8010, data }] });
    expect(r.blocksWritten).toBe(4);
    expect(v.target.peek(0x8010, 200)).toEqual(data);
    const back = await c.read({ start: 0x8010, length: 200 });
    expect(back.data).toEqual(data);
    await c.close();
    expect(v.target.isHalted()).toBe(false);
  });

  it('nothing served at the path: no-probe with the command that starts a server', async () => {
    const scan = await scanProbes({ simSocket: '/nonexistent/probe.sock' });
    expect(scan.probes).toEqual([]);
    const err = await connectTarget({ simSocket: '/nonexistent/probe.sock', part: 'stm8s103f3' }).catch((e) => e);
    expect(err.code).toBe('no-probe');
    expect(err.remedy).toMatch(/sim serve/);
  });
});
