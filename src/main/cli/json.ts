/**
 * The stable JSON documents `swim-studio --json COMMAND` prints: exactly one per run, on
 * stdout. docs/cli.md documents the same shapes for users; test/unit/cli checks real
 * output against these. Rules: addresses and sizes are numbers (not hex strings), a field
 * that does not apply is null rather than missing, new fields may be added but existing
 * ones keep their names and meanings. Errors are {"error": ErrorDoc} with a non-zero exit.
 */

export interface ErrorDoc {
  code: string;
  message: string;
  remedy?: string;
}

export interface SpanDoc {
  start: number;
  size: number;
}

export interface ProbeDoc {
  /** "stlinkv2" | "stlinkv21" | "stlinkv3" | ... | "unknown". */
  variant: string;
  /** Name for people, e.g. "STLINK-V3S". */
  name: string;
  /** Hex of the serial-string bytes (as OpenOCD and STM32CubeProgrammer show it). */
  serial: string;
  vendorId: number;
  productId: number;
  /** USB bus/port chain, "" for virtual probes. */
  portPath: string;
  /** "usb" | "virtual" | "socket". */
  kind: string;
  /** Firmware version as OpenOCD prints it (e.g. "V3J10M3B5S1"), null when not opened. */
  firmware: string | null;
  /** False when the firmware has no SWIM, null when unknown (not opened). */
  swim: boolean | null;
  /** Set when the probe is seen but cannot be used. */
  problem: ErrorDoc | null;
}

export interface ListDoc {
  probes: ProbeDoc[];
}

export interface PartDoc {
  name: string;
  /** stm8flash pattern, e.g. "stm8s103?3". */
  pattern: string;
  aliases: string[];
  family: string;
  series: string;
  flash: SpanDoc;
  eeprom: SpanDoc | null;
  ram: SpanDoc;
  option: SpanDoc;
  blockSize: number;
}

export interface PartsDoc {
  parts: PartDoc[];
}

export interface InfoDoc {
  probe: ProbeDoc & { targetVoltage: number | null };
  target: {
    part: string;
    family: string;
    swimSpeed: 'low' | 'high';
    underReset: boolean;
    readProtected: boolean | null;
    regions: (SpanDoc & { region: string })[];
  };
}

export interface ReadDoc {
  read: { region: string; start: number; size: number; file: string; format: string };
}

export interface WrittenRegionDoc {
  region: string;
  start: number;
  size: number;
  blocksWritten: number | null;
  blocksSkipped: number | null;
}

export interface WriteDoc {
  write: {
    file: string;
    format: string;
    regions: WrittenRegionDoc[];
    bytes: number;
    verified: boolean;
    durationMs: number;
  };
}

export interface MismatchDoc {
  address: number;
  expected: number;
  actual: number;
}

export interface VerifyDoc {
  verify: { file: string; ok: boolean; bytes: number; mismatchCount: number; mismatches: MismatchDoc[] };
}

export interface EraseDoc {
  erase: { regions: (SpanDoc & { region: string })[] };
}

export interface BlankDoc {
  blank: {
    blank: boolean;
    regions: (SpanDoc & { region: string; blank: boolean; firstNonBlank: number | null })[];
  };
}

export interface OptionFieldDoc {
  name: string;
  value: number;
  meaning: string | null;
}

export interface OptionByteDoc {
  name: string;
  address: number;
  value: number;
  complement: number | null;
  complementOk: boolean;
  fields: OptionFieldDoc[];
}

export interface OptionsDoc {
  options: {
    part: string;
    readProtected: boolean;
    bytes: OptionByteDoc[];
    /** Bytes this run wrote (address order), [] when it only showed them. */
    written: { address: number; value: number }[];
  };
}

export interface UnlockDoc {
  unlock: {
    wasProtected: boolean;
    /** Regions the unlock erased, e.g. ["flash","eeprom"]. */
    erased: string[];
    /** Confirmed unprotected and blank after reconnecting. */
    blank: boolean;
  };
}

export interface ResetDoc {
  reset: { running: boolean };
}
