/** The app's probe selections map onto the ladder's options; the report gains its Markdown. */
import { describe, expect, it } from 'vitest';
import { diagnosticsOptionsFor, toIpcReport } from '../../../src/main/diagnostics/ipc-adapter';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import { forgetVirtualProbes } from '../../../src/main/probes/index';

describe('diagnostics for the app', () => {
  it('maps USB, virtual and socket selections', () => {
    expect(diagnosticsOptionsFor({ kind: 'usb', serial: 'ABC', portPath: '1-4.2' }, 'stm8s103f3')).toEqual({ probe: '1-4.2', part: 'stm8s103f3' });
    expect(diagnosticsOptionsFor({ kind: 'usb', serial: 'ABC' }, undefined)).toEqual({ probe: 'ABC' });
    expect(diagnosticsOptionsFor({ kind: 'virtual', variant: 'stlinkv2', faults: ['rop', 'ubc=2'] }, 'stm8s105c6')).toEqual({
      virtual: 'stlinkv2:stm8s105c6:rop,ubc=2',
      part: 'stm8s105c6',
    });
    expect(diagnosticsOptionsFor({ kind: 'virtual', variant: 'stlinkv3', targetPart: 'stm8s103f3' }, 'stm8s105c6').virtual).toBe('stlinkv3:stm8s103f3');
    expect(diagnosticsOptionsFor({ kind: 'socket', path: '/tmp/p.sock' }, undefined)).toEqual({ simSocket: '/tmp/p.sock' });
  });

  it('a virtual selection runs the ladder and the IPC report carries the Markdown', async () => {
    forgetVirtualProbes();
    const r = toIpcReport(await runDiagnostics(diagnosticsOptionsFor({ kind: 'virtual', variant: 'stlinkv3', faults: ['bad-complement'] }, 'stm8s103f3')));
    expect(r.verdict.code).toBe('option-complement-broken');
    expect(r.markdown).toMatch(/Option bytes are corrupted/);
  });
});
