/**
 * THE IPC CONTRACT between the main process (or the browser bridge) and the renderer.
 *
 * Every request: a name, one argument object, one result. Every event: a name and a
 * payload. The Electron preload exposes exactly `SwimStudioApi` on `window.swimStudio`;
 * the browser bridge serves the same names over a WebSocket (see ./ipc-wire.ts). Main
 * validates every argument at runtime (src/main/service/schemas.ts) before it reaches a job.
 *
 * Errors cross as data (AppErrorData: code, message, remedy, details), never as a stack:
 * every request resolves to an `IpcResult`, never rejects.
 *
 * Pure TypeScript: no Node, no Electron, no DOM. Binary data is `Uint8Array` here; Electron's
 * structured clone carries it as is, the bridge's codec encodes it for JSON.
 */
import type { AppErrorData } from './errors';
import type { Part, RegionKind } from './catalogue/types';
import type { ProductionRecordInfo, ProductionTotals, RecipePreview, StationStatus } from './production';

export const IPC_CONTRACT_VERSION = 1;

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

/** The memory areas the app shows as tabs (the boot ROM is read-only and not shown). */
export type MemoryArea = Extract<RegionKind, 'flash' | 'eeprom' | 'ram' | 'option'>;
export const MEMORY_AREAS: readonly MemoryArea[] = ['flash', 'eeprom', 'ram', 'option'];

export { VIRTUAL_VARIANTS, type VirtualVariant } from './virtual-variants';
import type { VirtualVariant } from './virtual-variants';

/**
 * Which probe to use. Real probes are picked by serial (and port path, to tell apart clones
 * sharing a serial). A virtual probe is an in-process simulated ST-LINK with an STM8 behind
 * it; its target is `targetPart` or, when absent, the part given to `connect`. A socket probe
 * is a virtual probe served by `swim-studio sim serve` (docs/spec/simulator.md §7).
 */
export type ProbeSelection =
  | { kind: 'usb'; serial: string; portPath?: string }
  | { kind: 'virtual'; variant: VirtualVariant; targetPart?: string; faults?: string[] }
  | { kind: 'socket'; path: string };

export interface ProbeInfo {
  /** Stable key for lists (e.g. "usb:1-4.2:SERIAL", "virtual:stlinkv3"). */
  id: string;
  /** Pass this back to `connect`. */
  selection: ProbeSelection;
  /** What people read, e.g. "ST-LINK/V3 · 002F00283137510939383538 (USB 1-4.2)". */
  label: string;
  /** "stlinkv2" | "stlinkv21" | "stlinkv3" | ... or "unknown". */
  variant: string;
  serial: string;
  vendorId: number;
  productId: number;
  /** USB bus/port chain, or "" for virtual probes. */
  portPath: string;
  /** False when we know it cannot do SWIM (e.g. V3MINIE); null when unknown until opened. */
  swim: boolean | null;
  /** Set when the probe is visible but cannot be used (no permission, held by another program...). */
  problem?: AppErrorData;
}

export interface PartSummary {
  name: string;
  family: string;
  series: Part['series'];
  aliases: string[];
  flashSize: number;
  eepromSize: number;
  ramSize: number;
}

/** One contiguous run of bytes at an absolute STM8 address, tagged with its area. */
export interface AreaSegment {
  region: MemoryArea;
  address: number;
  data: Uint8Array;
}

/** An inclusive address range. */
export type { AddressRange } from './image/address';
import type { AddressRange } from './image/address';

export interface RegionInfo {
  region: MemoryArea;
  start: number;
  size: number;
  end: number;
}

export interface ConnectOptions {
  /** Hold NRST low while entering SWIM (needed when firmware disabled SWIM). */
  underReset?: boolean;
  /** Switch SWIM to high speed after entry (default true). */
  highSpeed?: boolean;
}

export interface ConnectionInfo {
  probe: ProbeInfo;
  /** Canonical part name from the catalogue. */
  part: string;
  /** Probe firmware as people read it, e.g. "V2J37S7" or "V3J10M3B5S1". */
  probeFirmware: string;
  /** Target voltage in volts, or null when the probe cannot tell (clones answer zeros). */
  targetVoltage: number | null;
  swimSpeed: 'low' | 'high';
  underReset: boolean;
  /** True when read-out protection is active (reads return garbage until unlocked). */
  readProtected: boolean | null;
  regions: RegionInfo[];
}

export type JobKind =
  | 'connect'
  | 'read'
  | 'program'
  | 'verify'
  | 'erase'
  | 'blankCheck'
  | 'writeRam'
  | 'readOptionBytes'
  | 'writeOptionBytes'
  | 'unlock'
  | 'diagnostics';

export interface JobInfo {
  jobId: string;
  kind: JobKind;
  /** Epoch ms (wall clock) when it started. */
  startedAt: number;
}

/** What a finished job did, in numbers and in words. */
export interface JobReport {
  jobId: string;
  kind: JobKind;
  /** One sentence for people, e.g. "Programmed 8192 bytes of flash in 0.61 s, verified." */
  summary: string;
  durationMs: number;
  bytes: number;
  blocksWritten?: number;
  blocksSkipped?: number;
  verified?: boolean;
}

export interface ProgramOptions {
  /** Read back and compare after writing (default: settings.verifyAfterWrite). */
  verifyAfterWrite?: boolean;
  /** Compare with the chip first and skip blocks that already hold the data (default true). */
  skipUnchanged?: boolean;
}

export interface Mismatch {
  address: number;
  expected: number;
  actual: number;
}

export interface VerifyResult {
  ok: boolean;
  /** Total number of differing bytes. */
  mismatchCount: number;
  /** The first differences (at most 256), in address order. */
  mismatches: Mismatch[];
  report: JobReport;
}

export interface BlankCheckResult {
  blank: boolean;
  /** First address whose byte is not the erased value, if any. */
  firstNonBlank: number | null;
  nonBlankCount: number;
  report: JobReport;
}

export interface OptionFieldReading {
  name: string;
  value: number;
  /** The meaning of the value, when the catalogue names it. */
  meaning?: string;
}

export interface OptionByteReading {
  name: string;
  address: number;
  value: number;
  /** The complement byte's value, or null when this family has no complements. */
  complement: number | null;
  /** False when the complement does not match (the chip then uses factory defaults). */
  complementOk: boolean;
  fields: OptionFieldReading[];
}

export interface OptionBytesResult {
  /** The raw option area as read. */
  raw: AreaSegment;
  bytes: OptionByteReading[];
  readProtected: boolean;
  report: JobReport;
}

export interface WriteOptionBytesRequest {
  /** Change by field: byte name + field name + value (complements are written for you). */
  fields?: { byte: string; field: string; value: number }[];
  /** Or by raw byte: address + value (primary byte; its complement is derived). */
  raw?: { address: number; value: number }[];
  /**
   * Names of the dangerous fields the user confirmed (e.g. "ROP", "UBC"). A change to a
   * dangerous field not listed here is refused with code "confirm-required".
   */
  confirmations: string[];
}

export interface UnlockResult {
  report: JobReport;
  /** How protection was removed: STM8S (ROP 0x00 + factory bytes), STM8L (0xAA twice), STM8L101. */
  method: 'stm8s' | 'stm8l' | 'stm8l101';
  /** Protection was active before. */
  wasProtected: boolean;
  /** Flash and EEPROM read blank (all 0x00) afterwards. */
  blank: boolean;
  /** The areas the unlock erased (empty when the chip was not protected). */
  erased: MemoryArea[];
  /** The option bytes afterwards (factory defaults). */
  after: OptionBytesResult;
}

export type DiagnosticStepState = 'waiting' | 'running' | 'passed' | 'failed' | 'skipped';

/** One rung of the diagnostics ladder (the list is known up front; each step's state changes live). */
export interface DiagnosticStep {
  /** Stable id of the check, e.g. "usb-subsystem", "probe-open", "swim-entry". */
  id: string;
  title: string;
  state: DiagnosticStepState;
  /** Raw facts seen (for the log and the report). */
  evidence?: string;
}

export type FindingSeverity = 'ok' | 'info' | 'warning' | 'error';

/** A conclusion with a plain-language cause and numbered remedies. */
export interface DiagnosticFinding {
  code: string;
  severity: FindingSeverity;
  title: string;
  explanation: string;
  remedies: string[];
  evidence?: string;
  /** Something the app can offer to do, e.g. 'enable-connect-under-reset', 'open-unlock-wizard', 'show-udev-rule'. */
  action?: string;
  /** Text the user may copy: a udev rule, shell commands, a config line. */
  snippets?: { title: string; language: 'shell' | 'udev' | 'ini' | 'text'; text: string }[];
}

/** A diagnostics run as the app receives it: the ladder's report in the contract's shapes, plus its Markdown. */
export interface AppDiagnosticsReport {
  steps: DiagnosticStep[];
  /** In ladder order: the earliest cause first. */
  findings: DiagnosticFinding[];
  /** The finding that matters most: the first error, else the first warning, else all-good. */
  verdict: { code: string; severity: FindingSeverity; title: string };
  /** The report as Markdown, for copy/save. */
  markdown: string;
}

export type { ImageFormat } from './image/extensions';
import type { ImageFormat } from './image/extensions';

export interface LoadedFile {
  /** File name without folder. */
  name: string;
  /** Full path when it came from disk (Electron / CLI), absent for browser uploads. */
  path?: string;
  format: ImageFormat;
  /** Segments that fall into the part's memories, split per area. */
  segments: AreaSegment[];
  /** Address ranges in the file that lie outside every memory of the part: reported, not dropped silently. */
  outside: AddressRange[];
  /** Total bytes in the file's data (inside + outside). */
  totalBytes: number;
  /** Part the file was split against. */
  part: string;
}

export interface SaveFileRequest {
  segments: AreaSegment[];
  /** 'srec' is Motorola S19; 'bin' needs exactly one contiguous segment (or fills gaps with `fill`). */
  format: Exclude<ImageFormat, 'elf'>;
  /** Where to write. Absent: Electron shows a save dialog; the bridge returns the bytes for a download. */
  path?: string;
  /** Suggested file name (for the dialog or the download). */
  suggestedName?: string;
  /** Gap fill byte for 'bin' across several segments (default 0x00, the STM8's erased value). */
  fill?: number;
}

export interface SaveFileResult {
  /** Where it was written, when written to disk. */
  path?: string;
  name: string;
  /** The file's bytes, when there was no path (the bridge: the renderer offers a download). */
  bytes?: Uint8Array;
  size: number;
}

export type Theme = 'system' | 'light' | 'dark';

/** Persisted in the user data folder (settings.json). */
export interface Settings {
  lastProbe: ProbeSelection | null;
  lastPart: string | null;
  /** Most recent first, at most 10. */
  recentFiles: string[];
  verifyAfterWrite: boolean;
  skipUnchanged: boolean;
  connectUnderReset: boolean;
  highSpeed: boolean;
  theme: Theme;
}

export const DEFAULT_SETTINGS: Settings = {
  lastProbe: null,
  lastPart: null,
  recentFiles: [],
  verifyAfterWrite: true,
  skipUnchanged: true,
  connectUnderReset: false,
  highSpeed: true,
  theme: 'system',
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  /** Increasing sequence number (for getLog({ afterSeq })). */
  seq: number;
  /** Epoch ms. */
  time: number;
  level: LogLevel;
  message: string;
  /** Error code, job id... for the log view's details line. */
  details?: Record<string, unknown>;
}

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop app, 'bridge' when served by `swim-studio ui`. */
  host: 'electron' | 'bridge';
  platform: string;
  /** Where settings and logs live (Electron), or null. */
  userDataPath: string | null;
  contractVersion: number;
}

export interface AppStatus {
  connection: ConnectionInfo | null;
  job: JobInfo | null;
}

/** Commands the application menu (or a file dropped on the app icon) sends to the renderer. */
export type MenuCommand =
  | { command: 'open' }
  | { command: 'openRecent'; path: string }
  | { command: 'save' }
  | { command: 'saveAs' }
  | { command: 'connect' }
  | { command: 'disconnect' }
  | { command: 'read' }
  | { command: 'program' }
  | { command: 'verify' }
  | { command: 'erase' }
  | { command: 'blankCheck' }
  | { command: 'about' };

// ---------------------------------------------------------------------------------------
// Requests: name → [argument, result]
// ---------------------------------------------------------------------------------------

/** Use `{}` for requests that take nothing. */
export type NoArgs = Record<string, never>;

export interface IpcRequests {
  appInfo: [NoArgs, AppInfo];
  listProbes: [NoArgs, ProbeInfo[]];
  /** Fault names the virtual probe can play (docs/spec/simulator.md §6), for a "try a fault" menu. */
  listVirtualFaults: [NoArgs, { name: string; description: string }[]];
  listParts: [NoArgs, PartSummary[]];
  /** Name, alias or stm8flash pattern. Unknown → error 'unknown-part'. */
  partInfo: [{ name: string }, Part];

  connect: [{ probe: ProbeSelection; part: string; options?: ConnectOptions }, ConnectionInfo];
  disconnect: [NoArgs, null];
  status: [NoArgs, AppStatus];

  /** Reads one area ('all' = flash, eeprom and option), or a sub-range of one. */
  readRegion: [{ region: MemoryArea | 'all'; address?: number; length?: number }, { segments: AreaSegment[]; report: JobReport }];
  /** Writes the segments (one area or all), erasing/skipping blocks as needed. */
  program: [{ segments: AreaSegment[]; options?: ProgramOptions }, { report: JobReport; verify?: VerifyResult }];
  verify: [{ segments: AreaSegment[] }, VerifyResult];
  /** 'all' = flash + eeprom. Option bytes are not erased here (see writeOptionBytes). */
  erase: [{ region: 'flash' | 'eeprom' | 'all' }, { report: JobReport }];
  blankCheck: [{ region: 'flash' | 'eeprom' | 'all' }, BlankCheckResult];
  writeRam: [{ address: number; data: Uint8Array }, { report: JobReport }];

  readOptionBytes: [NoArgs, OptionBytesResult];
  writeOptionBytes: [WriteOptionBytesRequest, { report: JobReport; after: OptionBytesResult }];
  /** Removes read-out protection: erases flash and EEPROM. Needs confirm: 'erase-everything'. */
  unlock: [{ confirm: 'erase-everything' }, UnlockResult];

  /** Runs the diagnostics ladder on the given probe/part (default: the current/last ones). */
  runDiagnostics: [{ probe?: ProbeSelection; part?: string }, AppDiagnosticsReport];

  /** Electron: from `path`, or a file dialog when absent (null = the user cancelled). Bridge: `path` only. */
  openFile: [{ path?: string; part?: string }, LoadedFile | null];
  /** A file the renderer already has in hand (drag and drop, browser upload). */
  loadFileBytes: [{ name: string; bytes: Uint8Array; part?: string }, LoadedFile];
  /** null = the user cancelled the save dialog. */
  saveFile: [SaveFileRequest, SaveFileResult | null];
  /**
   * The file last opened or saved in this session, split over `part` again (another part was
   * picked, or the page was reloaded); null when there is none.
   */
  reopenFile: [{ part: string }, LoadedFile | null];

  /** Cancels the running job (or that job only, when jobId is given). */
  cancelJob: [{ jobId?: string }, { cancelled: boolean }];

  getSettings: [NoArgs, Settings];
  setSettings: [Partial<Settings>, Settings];
  getLog: [{ afterSeq?: number; level?: LogLevel }, LogEntry[]];

  /** Tells main whether there are unsaved edits (window title marker; closing asks). */
  setDirty: [{ dirty: boolean; title?: string }, null];

  /** Production (docs/production.md): check a recipe and say what it will do; nothing starts. */
  productionOpenRecipe: [{ path: string }, RecipePreview];
  /** Start the opened recipe on these stations (virtual:…, socket:…, usb:SERIAL or usb:all). */
  productionStart: [{ stations: string[]; count?: number; continuous?: boolean }, ProductionTotals];
  productionStop: [NoArgs, ProductionTotals];
}

export type RequestName = keyof IpcRequests;
export type RequestArg<K extends RequestName> = IpcRequests[K][0];
export type RequestResult<K extends RequestName> = IpcRequests[K][1];

/** Every request resolves to this; it never rejects with a stack. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const REQUEST_NAMES = [
  'appInfo',
  'listProbes',
  'listVirtualFaults',
  'listParts',
  'partInfo',
  'connect',
  'disconnect',
  'status',
  'readRegion',
  'program',
  'verify',
  'erase',
  'blankCheck',
  'writeRam',
  'readOptionBytes',
  'writeOptionBytes',
  'unlock',
  'runDiagnostics',
  'openFile',
  'loadFileBytes',
  'saveFile',
  'reopenFile',
  'cancelJob',
  'getSettings',
  'setSettings',
  'getLog',
  'setDirty',
  'productionOpenRecipe',
  'productionStart',
  'productionStop',
] as const satisfies readonly RequestName[];

// ---------------------------------------------------------------------------------------
// Events: main → renderer
// ---------------------------------------------------------------------------------------

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  /** What is happening now, in words: "erasing", "writing flash", "verifying eeprom"... */
  phase: string;
  done: number;
  total: number;
  /** Estimated time left in ms, or null before there is enough to estimate. */
  etaMs: number | null;
}

export interface JobStateEvent {
  jobId: string;
  kind: JobKind;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** When state is 'done'. */
  report?: JobReport;
  /** When state is 'failed' or 'cancelled'. */
  error?: AppErrorData;
}

export interface IpcEvents {
  jobProgress: JobProgress;
  jobState: JobStateEvent;
  log: LogEntry;
  probesChanged: { probes: ProbeInfo[] };
  /** connection null = disconnected; reason says why when it was not asked for (e.g. unplugged). */
  connectionChanged: { connection: ConnectionInfo | null; reason?: AppErrorData };
  diagnosticsStep: DiagnosticStep;
  menuCommand: MenuCommand;
  settingsChanged: Settings;
  productionStation: StationStatus;
  productionRecord: ProductionRecordInfo;
  productionTotals: ProductionTotals;
}

export type EventName = keyof IpcEvents;

export const EVENT_NAMES = [
  'jobProgress',
  'jobState',
  'log',
  'probesChanged',
  'connectionChanged',
  'diagnosticsStep',
  'menuCommand',
  'settingsChanged',
  'productionStation',
  'productionRecord',
  'productionTotals',
] as const satisfies readonly EventName[];

// ---------------------------------------------------------------------------------------
// The API object (window.swimStudio in Electron; the bridge client implements the same)
// ---------------------------------------------------------------------------------------

export interface SwimStudioApi {
  invoke<K extends RequestName>(name: K, arg: RequestArg<K>): Promise<IpcResult<RequestResult<K>>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
}

/** The name under which the preload exposes the API: `window.swimStudio`. */
export const API_GLOBAL = 'swimStudio';

/** Electron channel names (ipcMain.handle / webContents.send). */
export const requestChannel = (name: RequestName): string => `swim:req:${name}`;
export const eventChannel = (name: EventName): string => `swim:evt:${name}`;
