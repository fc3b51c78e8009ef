import { connectTarget } from './src/main/jobs/index';
import { createVirtualProbe } from './src/main/sim/index';
import { serveVirtualProbe } from './src/main/sim/socket-server';
import { RealClock } from './src/main/clock';
function prng(n: number, seed: number) { const a = new Uint8Array(n); let x = seed; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; a[i] = x >>> 16; } return a; }
for (let run = 0; run < 4; run++) {
  const probe = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s105c6', clock: new RealClock() });
  const sock = `/tmp/flake-${process.pid}.sock`;
  const server = await serveVirtualProbe(probe, sock);
  try {
    const conn = await connectTarget({ simSocket: sock, part: 'stm8s105c6' });
    await conn.program({ segments: [{ address: 0x8000, data: prng(4096, run) }] });
    await conn.close();
    console.log('ok');
  } catch (e) {
    console.log('FAIL', (e as Error).message);
    const tr = probe.trace();
    const i = tr.findIndex((x) => x.note);
    for (const t of tr.slice(Math.max(0, i - 30), i + 3)) console.log(t.t.toFixed(3), t.dir, t.data.slice(0, 8).map((b) => b.toString(16).padStart(2, '0')).join(' '), t.length, t.note ?? '');
    break;
  } finally { await server.close(); }
}
