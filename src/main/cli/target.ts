import type { Part } from '../../shared/catalogue/types';
import type { MemoryImage } from '../../shared/image/memory-image';
import type { ProbeDoc, MismatchDoc, OptionByteDoc, WrittenRegionDoc } from './json';
import type { ProgressLike } from './progress';

/**
 * What the CLI needs from the engine, in one interface. The faces never speak ST-LINK:
 * this is implemented in ./engine-adapter.ts on top of the jobs/probes facade, so an
 * engine API change touches one file, not every command.
 */
export interface CliTarget {
  readonly part: Part;
  readonly probe: ProbeDoc;
  readonly targetVoltage: number | null;
  readonly swimSpeed: 'low' | 'high';
  readonly underReset: boolean;
  readonly readProtected: boolean | null;

  read(start: number, length: number, onProgress?: (p: ProgressLike) => void): Promise<Uint8Array>;
  /** Programs flash/EEPROM/RAM bytes of an image already checked against the part. */
  program(image: MemoryImage, opts: ProgramOpts): Promise<ProgramOutcome>;
  verify(image: MemoryImage, onProgress?: (p: ProgressLike) => void): Promise<VerifyOutcome>;
  erase(region: 'flash' | 'eeprom', onProgress?: (p: ProgressLike) => void): Promise<void>;
  blankCheck(region: 'flash' | 'eeprom', onProgress?: (p: ProgressLike) => void): Promise<BlankOutcome>;
  readOptionBytes(): Promise<OptionsOutcome>;
  /** Primary bytes by address; complements are filled in by the engine. */
  /** `fromFactory`: option bytes whose complement is broken on the chip start from their factory value. */
  writeOptionBytes(values: { address: number; value: number }[], opts: { allowProtect: boolean; allowDangerous?: boolean; fromFactory?: boolean }): Promise<OptionsOutcome>;
  unlock(): Promise<UnlockOutcome>;
  /** Resets the target; `run` false keeps it halted. */
  reset(run: boolean): Promise<void>;
  /** Ends the session; by default the target runs its firmware afterwards. */
  close(opts?: { run?: boolean }): Promise<void>;
}

export interface ProgramOpts {
  verify: boolean;
  skipUnchanged: boolean;
  onProgress?: (p: ProgressLike) => void;
}

export interface ProgramOutcome {
  regions: WrittenRegionDoc[];
  bytes: number;
  verified: boolean;
}

export interface VerifyOutcome {
  ok: boolean;
  bytes: number;
  mismatchCount: number;
  mismatches: MismatchDoc[];
}

export interface BlankOutcome {
  blank: boolean;
  firstNonBlank: number | null;
}

export interface OptionsOutcome {
  readProtected: boolean;
  bytes: OptionByteDoc[];
  /** The whole option area as read, starting at part.option.start. */
  raw: Uint8Array;
}

export interface UnlockOutcome {
  wasProtected: boolean;
  erased: string[];
  blank: boolean;
}

/** How a command asks for a target (from the global options). */
export interface TargetRequest {
  /** Part name, pattern or alias; may come from --part or the command (stm8flash -p). */
  part?: string;
  /** --probe / stm8flash -S: a serial (hex) or a USB port path. */
  probe?: string;
  virtual?: string;
  simSocket?: string;
  underReset?: boolean;
  /**
   * When several probes are attached and none was named: prefer this variant (stm8flash
   * mode passes its -c hint). Never a reason to refuse a probe that is attached.
   */
  preferVariant?: string;
  /** Cancels jobs between blocks. */
  signal?: AbortSignal;
  /** Called once with a line to show when the probe found differs from a hint etc. */
  notice?: (line: string) => void;
}
