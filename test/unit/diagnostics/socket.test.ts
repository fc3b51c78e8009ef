/** The ladder on a virtual probe served on a socket (another process's probe, real time). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/main/clock';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { serveVirtualProbe, type SocketServerHandle } from '../../../src/main/sim/socket-server';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import { SocketTransport } from '../../../src/main/usb/socket-transport';

let server: SocketServerHandle | null = null;
let dir = '';

afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('diagnostics over --sim-socket', () => {
  it('a healthy probe behind the socket gives all-good', async () => {
    dir = mkdtempSync(join(tmpdir(), 'diag-sock-'));
    const sock = join(dir, 'p.sock');
    server = await serveVirtualProbe(createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', clock: new RealClock() }), sock);
    const r = await runDiagnostics({ simSocket: sock, part: 'stm8s103f3' });
    expect(r.findings.map((f) => f.code)).toEqual(['all-good']);
    expect(r.probe?.transport).toBe('socket');
    expect(r.clock).toBe('realtime');
  });

  it('a second client while another holds the probe: probe-busy', async () => {
    dir = mkdtempSync(join(tmpdir(), 'diag-sock-'));
    const sock = join(dir, 'p.sock');
    server = await serveVirtualProbe(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', clock: new RealClock() }), sock);
    const holder = await SocketTransport.connect(sock);
    try {
      const r = await runDiagnostics({ simSocket: sock });
      expect(r.verdict.code).toBe('probe-busy');
      expect(r.steps.find((s) => s.id === 'probe-open')?.state).toBe('failed');
    } finally {
      await holder.close();
    }
  });

  it('no server at the path: no-probe with the command that starts one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'diag-sock-'));
    const r = await runDiagnostics({ simSocket: join(dir, 'missing.sock') });
    expect(r.verdict.code).toBe('no-probe');
    expect(r.findings[0].explanation).toMatch(/sim serve/);
    expect(r.steps.find((s) => s.id === 'probe-present')?.state).toBe('failed');
  });
});
