/**
 * The ladder, known up front so the app can show every rung before the run starts and
 * then each one's live state. Order matters: a later rung only means something when the
 * earlier ones passed (docs/spec/anchors.md §6: "layers are checked in order; stop at the first
 * failing layer"), so the first failure is the cause to fix first.
 */
import type { StepId, StepRecord } from './types';

export interface StepDefinition {
  id: StepId;
  title: string;
  /** What the step checks, for tooltips and the docs. */
  checks: string;
}

export const STEP_DEFINITIONS: readonly StepDefinition[] = [
  { id: 'usb', title: 'USB subsystem', checks: 'The program can use USB on this machine (or a virtual probe is selected).' },
  { id: 'probe-present', title: 'ST-LINK present', checks: 'An ST-LINK is attached: VID 0x0483 with a known PID; names its variant, serial and port; spots a probe in its firmware-upgrade (DFU) mode.' },
  { id: 'probe-open', title: 'Probe can be opened', checks: 'The probe opens and its interface 0 can be claimed: permissions (Linux udev), driver (Windows), another program holding it.' },
  { id: 'firmware', title: 'Probe firmware', checks: 'The firmware answers GET_VERSION (and GET_VERSION_EX on V3) and has SWIM (SWIM version ≠ 0).' },
  { id: 'target-voltage', title: 'Target voltage', checks: 'The probe measures the target supply on its VDD/VCC sense pin.' },
  { id: 'swim-entry', title: 'SWIM entry', checks: 'The SWIM entry sequence gets an answer without touching NRST (the running firmware is attached to as it is).' },
  { id: 'nrst', title: 'NRST and connect under reset', checks: 'If plain entry failed: entry with NRST held low. If it worked: that NRST really resets the chip.' },
  { id: 'swim-speed', title: 'SWIM speed and link quality', checks: 'HSIT comes after reset, the link switches to high speed, and repeated reads agree without retries.' },
  { id: 'chip-identity', title: 'Which chip is it', checks: 'Family and density from the chip itself (flash-register position, option-area pattern, unique ID, RAM size, boot ROM), compared with the selected part.' },
  { id: 'option-bytes', title: 'Option bytes', checks: 'Every option byte that has a complement is stored with its exact complement.' },
  { id: 'protection', title: 'Read-out protection and UBC', checks: 'Read-out protection (ROP) and the user-boot-code (UBC) write protection.' },
  { id: 'flash-controller', title: 'Flash controller', checks: 'The program-memory and data-EEPROM keys are accepted, and the memories lock again afterwards.' },
];

/** Fresh records for a run: every step waiting. */
export function initialSteps(): StepRecord[] {
  return STEP_DEFINITIONS.map((d, i) => ({ id: d.id, index: i + 1, title: d.title, state: 'waiting', facts: {} }));
}
