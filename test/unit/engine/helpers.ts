/** Shared set-up for engine tests: a virtual probe on a virtual clock and a connection to it. */
import { createVirtualProbe, type Fault, type VirtualVariant, type VirtualProbe } from '../../../src/main/sim/index';
import { connectTarget, type TargetConnection } from '../../../src/main/jobs/index';
import type { SwimConnectOptions } from '../../../src/main/stm8/session';

export interface Bench {
  v: VirtualProbe;
  c: TargetConnection;
}

export async function setup(probe: VirtualVariant, part: string, faults: Fault[] = [], opts: SwimConnectOptions = {}): Promise<Bench> {
  const v = createVirtualProbe({ probe, part, faults });
  const c = await connectTarget({ transport: v.transport, part, ...opts });
  return { v, c };
}

export function image(...segments: { address: number; data: Uint8Array }[]) {
  return { segments };
}

export const PROBES: VirtualVariant[] = ['stlinkv2', 'stlinkv21', 'stlinkv3'];
export const PARTS = ['stm8s103f3', 'stm8s105c6', 'stm8s208rb', 'stm8l152c6', 'stm8l101f3'];
