/**
 * The 32 field-tested symptom → cause → message rules of docs/spec/anchors.md §6, and
 * where diagnostics answers each: a finding the ladder reaches on the virtual probe (with
 * the fault that plays it), a finding reached from observations the virtual probe cannot
 * produce (checked by the pure rule functions), or wording inside a finding's remedies.
 * A test keeps this table, the findings' `rules` fields and the anchors file in step.
 */
export type RuleCoverage =
  /** The ladder reaches the finding on the virtual probe; `play` is the --virtual spec. */
  | { kind: 'virtual'; play: string }
  /** The ladder reaches it from observations only real hardware gives (pure rules are tested). */
  | { kind: 'observed'; observation: string }
  /** Answered in the words of a finding (explanation or remedies). */
  | { kind: 'remedy' };

export interface FieldRule {
  id: string;
  symptom: string;
  findings: string[];
  coverage: RuleCoverage;
}

export const FIELD_RULES: readonly FieldRule[] = [
  { id: 'U1', symptom: 'no ST-LINK on the bus', findings: ['no-probe'], coverage: { kind: 'observed', observation: 'empty USB device list' } },
  { id: 'U2', symptom: 'Windows: listed but no driver', findings: ['probe-no-driver'], coverage: { kind: 'observed', observation: 'open fails with no-driver / NOT_SUPPORTED' } },
  { id: 'U3', symptom: 'Linux: access denied, works with sudo', findings: ['probe-permission'], coverage: { kind: 'observed', observation: 'open fails with LIBUSB_ERROR_ACCESS' } },
  { id: 'U4', symptom: 'open fails as busy', findings: ['probe-busy'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:busy' } },
  { id: 'U5', symptom: 'ST-LINK/V1 shows as mass storage', findings: ['probe-v1-unsupported'], coverage: { kind: 'observed', observation: 'PID 0x3744 listed' } },
  { id: 'U6', symptom: '-c stlinkv2 with a V3 attached', findings: ['stm8flash-wrong-programmer'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3 with stm8flashProgrammer stlinkv2' } },
  { id: 'U7', symptom: 'libusb noise about MI_01/MI_02', findings: ['no-probe', 'probe-no-driver', 'stm8flash-wrong-programmer'], coverage: { kind: 'remedy' } },
  { id: 'P1', symptom: 'SWIM version 0', findings: ['probe-no-swim'], coverage: { kind: 'virtual', play: 'stlinkv3minie:stm8s103f3' } },
  { id: 'P2', symptom: 'V3SET wired to the STDC14 cable', findings: ['swim-no-response'], coverage: { kind: 'remedy' } },
  { id: 'P3', symptom: 'probe in DFU or wedged by a crashed session', findings: ['probe-in-dfu', 'probe-not-answering', 'probe-recovered', 'probe-unplugged'], coverage: { kind: 'observed', observation: 'PID 0x374D/0x3755, or GET_VERSION needing a USB reset' } },
  { id: 'P4', symptom: 'duplicate or garbled serials', findings: ['duplicate-serials', 'several-probes', 'probe-not-found'], coverage: { kind: 'observed', observation: 'two probes with one serial' } },
  { id: 'P5', symptom: 'old or clone firmware blamed', findings: ['firmware-old'], coverage: { kind: 'observed', observation: 'V2 firmware before J13' } },
  { id: 'W1', symptom: 'target voltage about 0 V', findings: ['target-no-power', 'target-low-voltage'], coverage: { kind: 'virtual', play: 'stlinkv2:stm8s103f3:no-power' } },
  { id: 'W2', symptom: 'voltage 0 or absurd yet programming works', findings: ['voltage-not-measured'], coverage: { kind: 'virtual', play: 'stlinkv2:stm8s103f3:clone-voltage' } },
  { id: 'W3', symptom: 'ENTER_SEQ then status 0x04', findings: ['swim-no-response', 'swim-disabled-by-firmware'], coverage: { kind: 'virtual', play: 'stlinkv2:stm8s103f3:no-swim-wire' } },
  { id: 'W4', symptom: 'status 0x10 (SWIM and GND swapped)', findings: ['swim-line-fault'], coverage: { kind: 'observed', observation: 'READSTATUS 0x10 after ENTER_SEQ' } },
  { id: 'W5', symptom: 'intermittent timeouts, retries', findings: ['unstable-link', 'low-speed-only'], coverage: { kind: 'observed', observation: 'entry retries or differing repeated reads' } },
  { id: 'W6', symptom: 'NRST loaded by other circuitry', findings: ['nrst-not-connected'], coverage: { kind: 'remedy' } },
  { id: 'W7', symptom: 'no NRST pin or NRST not wired', findings: ['nrst-not-connected', 'part-without-nrst'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:no-nrst' } },
  { id: 'T1', symptom: 'reads 0x00/0x71, writes fail: ROP', findings: ['rop-active', 'flash-keys-refused'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:rop' } },
  { id: 'T2', symptom: 'WR_PG_DIS with ROP off: UBC', findings: ['ubc-active'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:ubc' } },
  { id: 'T3', symptom: 'OPTx != ~NOPTx', findings: ['option-complement-broken'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:bad-complement' } },
  { id: 'T4', symptom: 'option file without complements', findings: ['option-complement-broken'], coverage: { kind: 'remedy' } },
  { id: 'T5', symptom: 'connects only under reset', findings: ['swim-disabled-by-firmware', 'swim-no-response', 'part-without-nrst'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3:swim-disabled' } },
  { id: 'T6', symptom: 'fails only while the application runs', findings: ['swim-disabled-by-firmware'], coverage: { kind: 'remedy' } },
  { id: 'T7', symptom: 'wrong part chosen', findings: ['part-mismatch', 'part-identified', 'chip-unidentified'], coverage: { kind: 'virtual', play: 'stlinkv3:stm8s103f3 with part stm8s105c6' } },
  { id: 'T8', symptom: 'HEX with records outside flash', findings: ['part-mismatch'], coverage: { kind: 'remedy' } },
  { id: 'T9', symptom: 'target does not run after a read', findings: ['all-good'], coverage: { kind: 'remedy' } },
  { id: 'T10', symptom: 'blank check expects 0xFF', findings: ['all-good'], coverage: { kind: 'remedy' } },
  { id: 'H1', symptom: 'CLI crashes instead of reporting', findings: ['internal-error', 'stm8flash-wrong-programmer'], coverage: { kind: 'remedy' } },
  { id: 'H2', symptom: 'PlatformIO "Error 4294967295"', findings: ['stm8flash-wrong-programmer'], coverage: { kind: 'remedy' } },
  { id: 'H3', symptom: 'works after STVP, fails from cold', findings: ['swim-no-response', 'probe-recovered'], coverage: { kind: 'remedy' } },
];
