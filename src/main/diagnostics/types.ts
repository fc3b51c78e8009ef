/**
 * The vocabulary of connection diagnostics: ladder steps, findings and the report. Plain
 * data only (no classes, no functions), so a report can cross IPC, be saved as JSON and be
 * rendered by the app, the CLI and the Markdown formatter alike. Compatible with the IPC
 * contract's DiagnosticStep / DiagnosticFinding (src/shared/ipc.ts): same field names, more
 * fields.
 */
import type { ProbeIdentityDoc } from '../probes/summary';

/** Stable ids of the ladder's rungs, in the order they run (see steps.ts). */
export type StepId =
  | 'usb'
  | 'probe-present'
  | 'probe-open'
  | 'firmware'
  | 'target-voltage'
  | 'swim-entry'
  | 'nrst'
  | 'swim-speed'
  | 'chip-identity'
  | 'option-bytes'
  | 'protection'
  | 'flash-controller';

export type StepState = 'waiting' | 'running' | 'passed' | 'failed' | 'skipped';

export type Severity = 'ok' | 'info' | 'warning' | 'error';

/** A fact a step saw, for people and for JSON (numbers stay numbers). */
export type FactValue = string | number | boolean | null;

export interface StepRecord {
  id: StepId;
  /** 1-based position in the ladder. */
  index: number;
  title: string;
  state: StepState;
  /** What was seen, in one or a few lines (the IPC contract's `evidence`). */
  evidence?: string;
  /** The same facts as named values (volts, status bytes, version string ...). */
  facts: Record<string, FactValue>;
  /** Why a step was skipped or where it stopped. */
  note?: string;
  /** Clock time (ms, the probe's clock) spent in the step. */
  durationMs?: number;
}

/** Something the app can offer to do from a finding card. */
export type FindingAction =
  | 'enable-connect-under-reset'
  | 'open-unlock-wizard'
  | 'show-udev-rule'
  | 'restore-factory-option-bytes'
  | 'clear-ubc'
  | 'choose-part'
  | 'choose-probe'
  | 'use-virtual-probe'
  | 'retry';

/** A block of text the user may copy: a udev rule, shell commands, a config line. */
export interface Snippet {
  title: string;
  language: 'shell' | 'udev' | 'ini' | 'text';
  text: string;
}

export interface Finding {
  /** Stable code (findings.ts); apps and tests key on it. */
  code: string;
  severity: Severity;
  title: string;
  /** The cause in plain words. */
  explanation: string;
  /** Numbered steps, most likely fix first. */
  remedies: string[];
  /** What was observed that led here (values, status bytes, replies), one line or a few. */
  evidence?: string;
  action?: FindingAction;
  /** The ladder step that produced it. */
  step: StepId;
  /** Field-tested rules of docs/spec/anchors.md §6 this finding answers (e.g. "W1"). */
  rules: string[];
  snippets?: Snippet[];
}

/** One ST-LINK seen on the bus (or the virtual / socket probe). */
export interface ProbeFacts extends ProbeIdentityDoc {
  /** "usb" | "virtual" | "socket". */
  transport: string;
  /** A V3 in its USB loader (PID 0x374D / 0x3755). */
  inDfu: boolean;
}

export interface FirmwareFacts {
  /** e.g. "V3J10M3B5S1". */
  version: string;
  /** OpenOCD-style line: "STLINK V3J10M3B5S1 (API v3) VID:PID 0483:374F". */
  versionLine: string;
  stlink: number;
  jtag: number;
  swim: number;
  msd: number;
  bridge: number;
  supportsSwim: boolean;
}

export interface EnvironmentFacts {
  /** e.g. "linux 6.8.0 x64". */
  os: string;
  appVersion: string;
  node: string;
  electron: string | null;
  /** Wall-clock time the report was made (ISO 8601). */
  createdAt: string;
}

export interface PartFacts {
  /** What the user selected (--part or the app), null when none. */
  selected: string | null;
  /** The part the later steps used (the selected one, or the identified one when it disagreed). */
  used: string | null;
  /** What the chip itself says it is, in words ("STM8S low density, 1 KB RAM, UID at 0x4865"). */
  identified: string | null;
  /** Catalogue entries consistent with what the chip answered. */
  candidates: string[];
}

/** One USB exchange as the report shows it. */
export interface TraceLine {
  /** Clock time in ms. */
  t: number;
  op: 'open' | 'claim' | 'out' | 'in' | 'reset' | 'clear-halt' | 'close';
  endpoint: number;
  length: number;
  /** Bytes as hex (truncated), empty for control operations. */
  hex: string;
  /** Decoded command name for OUT blocks ("SWIM ENTER_SEQ"). */
  decoded?: string;
  error?: string;
}

export interface DiagnosticsReport {
  /** Report format version (bumped when a field changes meaning). */
  format: 1;
  steps: StepRecord[];
  /** In ladder order: the earliest cause comes first. */
  findings: Finding[];
  /** The finding that matters most: the first error, else the first warning, else all-good. */
  verdict: { code: string; severity: Severity; title: string };
  environment: EnvironmentFacts;
  probe: ProbeFacts | null;
  /** Every ST-LINK listed in step 2 (several may be attached). */
  probesSeen: ProbeFacts[];
  firmware: FirmwareFacts | null;
  targetVoltage: number | null;
  part: PartFacts;
  /** Last USB exchanges with the probe, oldest first: up to the first failed step, else the run's end. */
  traceTail: TraceLine[];
  /** Which part of the trace traceTail is ("up to the first failed step (nrst)"). */
  traceNote: string;
  /** Clock kind the run used ("virtual" for in-process virtual probes). */
  clock: 'virtual' | 'realtime';
  /** True when the run was cancelled before the end. */
  cancelled: boolean;
}

/** How to run the ladder. */
export interface DiagnosticsOptions {
  /** Serial (hex or raw) or USB port path of the probe to test. */
  probe?: string;
  /** In-process virtual probe "PROBE:PART[:FAULT,...]". */
  virtual?: string;
  /** Socket path of a virtual probe served by `swim-studio sim serve`. */
  simSocket?: string;
  /** The part the user selected (name, alias or stm8flash pattern). */
  part?: string;
  /** stm8flash mode: the programmer type the user passed with -c (e.g. "stlinkv2"). */
  stm8flashProgrammer?: string;
  /** Called with a copy of a step every time its state changes. */
  onStep?: (step: StepRecord) => void;
  signal?: AbortSignal;
  /** Defaults to package.json's version. */
  appVersion?: string;
  /** How many USB exchanges the report keeps (default 40). */
  traceTail?: number;
}
