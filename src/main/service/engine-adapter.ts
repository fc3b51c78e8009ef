/**
 * EnginePort on the real engine (src/main/probes, src/main/jobs) and diagnostics.
 * PRELIMINARY: the engine's facade is landing concurrently; connect/diagnostics are wired
 * as soon as its API is published.
 */
import { AppError } from '../../shared/errors';
import type { ProbeInfo } from '../../shared/ipc';
import { VIRTUAL_VARIANTS } from '../../shared/ipc';
import { FAULTS, FAULT_NAMES } from '../sim/faults';
import type { EnginePort } from './engine-port';

const VARIANT_LABEL: Record<string, string> = {
  stlinkv2: 'ST-LINK/V2',
  stlinkv21: 'ST-LINK/V2-1',
  stlinkv3: 'STLINK-V3SET',
  stlinkv3minie: 'STLINK-V3MINIE',
};

export function virtualProbeList(): ProbeInfo[] {
  return VIRTUAL_VARIANTS.map((variant) => ({
    id: `virtual:${variant}`,
    selection: { kind: 'virtual', variant },
    label: `Virtual ${VARIANT_LABEL[variant]} (simulated, no hardware)`,
    variant,
    serial: '',
    vendorId: 0x0483,
    productId: 0,
    portPath: '',
    swim: variant !== 'stlinkv3minie',
  }));
}

export function createEngineAdapter(): EnginePort {
  return {
    listProbes: async () => virtualProbeList(),
    watchProbes: () => () => undefined,
    virtualFaults: () => FAULT_NAMES.map((name) => ({ name, description: FAULTS[name].description })),
    connect: async () => {
      throw new AppError('not-supported', 'The engine is not wired yet.');
    },
    runDiagnostics: async () => {
      throw new AppError('not-supported', 'Diagnostics are not wired yet.');
    },
  };
}
