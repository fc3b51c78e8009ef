/**
 * What the app service needs from the engine (layers 1–4), the catalogue, the image
 * formats and diagnostics — in the contract's vocabulary. `engine-adapter.ts` implements it
 * on the real modules; the service itself never imports the engine, which keeps it small
 * and keeps the "faces never speak ST-LINK" rule visible in one place.
 */
import type { Part } from '../../shared/catalogue/types';
import type {
  ConnectOptions,
  ConnectionInfo,
  DiagnosticStep,
  DiagnosticsReport,
  ImageFormat,
  LoadedFile,
  MemoryArea,
  Mismatch,
  OptionBytesResult,
  PartSummary,
  ProbeInfo,
  ProbeSelection,
  Segment,
  UnlockResult,
  WriteOptionBytesRequest,
} from '../../shared/ipc';
import type { JobContext } from './job-runner';

/** What a job did, before the service turns it into words. */
export interface WorkDone {
  bytes: number;
  blocksWritten?: number;
  blocksSkipped?: number;
  verified?: boolean;
  /** Extra words for the summary, e.g. "3 blocks skipped (unchanged)". */
  note?: string;
}

export interface VerifyOutcome {
  bytes: number;
  mismatchCount: number;
  mismatches: Mismatch[];
}

export interface BlankOutcome {
  bytes: number;
  firstNonBlank: number | null;
  nonBlankCount: number;
}

/** An open connection to one target through one probe. */
export interface TargetPort {
  readonly info: ConnectionInfo;
  /** `protected`: read-out protection is active and the range is flash/EEPROM, so `data` is not the content. */
  read(region: MemoryArea, address: number, length: number, ctx: JobContext): Promise<{ data: Uint8Array; protected: boolean }>;
  program(segments: Segment[], opts: { verifyAfterWrite: boolean; skipUnchanged: boolean }, ctx: JobContext): Promise<WorkDone & { verify?: VerifyOutcome }>;
  verify(segments: Segment[], ctx: JobContext): Promise<VerifyOutcome>;
  erase(region: 'flash' | 'eeprom', ctx: JobContext): Promise<WorkDone>;
  blankCheck(region: 'flash' | 'eeprom', ctx: JobContext): Promise<BlankOutcome>;
  writeRam(address: number, data: Uint8Array, ctx: JobContext): Promise<WorkDone>;
  readOptionBytes(ctx: JobContext): Promise<Omit<OptionBytesResult, 'report'>>;
  writeOptionBytes(req: WriteOptionBytesRequest, ctx: JobContext): Promise<WorkDone & { after: Omit<OptionBytesResult, 'report'> }>;
  unlock(ctx: JobContext): Promise<WorkDone & Omit<UnlockResult, 'report' | 'after'> & { after: Omit<OptionBytesResult, 'report'> }>;
  /** Leaves the target running its firmware and releases the probe. Never throws. */
  close(): Promise<void>;
  /** Called once if the probe vanishes (unplugged) while connected. */
  onLost(listener: (reason: { code: string; message: string; remedy?: string }) => void): void;
}

export interface EnginePort {
  listProbes(): Promise<ProbeInfo[]>;
  /** Hot-plug: called with the new list whenever probes come or go. Returns unsubscribe. */
  watchProbes(listener: (probes: ProbeInfo[]) => void): () => void;
  virtualFaults(): { name: string; description: string }[];
  connect(probe: ProbeSelection, part: Part, options: Required<ConnectOptions>, ctx: JobContext): Promise<TargetPort>;
  runDiagnostics(probe: ProbeSelection | undefined, part: Part | undefined, onStep: (s: DiagnosticStep) => void, ctx: JobContext): Promise<DiagnosticsReport>;
}

export interface CataloguePort {
  /** Name, alias or stm8flash pattern; throws AppError 'unknown-part'. */
  findPart(name: string): Part;
  listParts(): PartSummary[];
}

export interface FilesPort {
  /** Parses a firmware file and splits it over the part's memories, giving the event loop turns while it parses. */
  load(name: string, bytes: Uint8Array, part: Part | null): Promise<Omit<LoadedFile, 'path'>>;
  /** Serialises segments into a file's bytes. */
  serialise(segments: Segment[], format: Exclude<ImageFormat, 'elf'>, name: string, fill: number | undefined): Uint8Array;
  readFile(path: string): Promise<Uint8Array>;
  /** Writes safely (temp file + rename) so a failed save never damages the existing file. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

/** Native dialogs: present in Electron, absent in the bridge and tests. */
export interface DialogsPort {
  pickOpenPath(): Promise<string | null>;
  pickSavePath(suggestedName: string, format: Exclude<ImageFormat, 'elf'>): Promise<string | null>;
}
