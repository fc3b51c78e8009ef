/**
 * The shape of a production recipe (docs/production.md). Objects are strict: a misspelt key
 * is refused rather than silently ignored, because an ignored key on a production line means
 * boards shipped without what the recipe asked for. The minimal recipe of issue 15 (part,
 * firmware, serial, log) is accepted by every version; new keys are only ever optional.
 */
import { z } from 'zod';

/** A 24-bit address, as a number or a "0x…" / decimal string (JSON has no hex literals). */
export const addressSchema = z.union([
  z.number().int().min(0).max(0xffffff),
  z
    .string()
    .regex(/^(0x[0-9a-f]{1,6}|[0-9]{1,8})$/i, 'an address such as "0x4000"')
    .transform((s) => Number(s))
    .pipe(z.number().int().min(0).max(0xffffff)),
]);

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/i, '64 hexadecimal digits (sha256sum FILE)');

/** A file the recipe depends on, pinned by its SHA-256. */
const pinnedFile = z.strictObject({
  file: z.string().min(1).max(4096),
  sha256: sha256Schema,
  /** Raw binaries only: where the first byte goes (default: the region's start). */
  address: addressSchema.optional(),
});

export const SERIAL_ENCODINGS = ['u32le', 'u32be', 'u16le', 'u16be', 'bcd', 'ascii'] as const;
export type SerialEncoding = (typeof SERIAL_ENCODINGS)[number];

export const WRITABLE_REGIONS = ['flash', 'eeprom'] as const;
export type WritableRegion = (typeof WRITABLE_REGIONS)[number];

const serialSchema = z
  .strictObject({
    region: z.enum(WRITABLE_REGIONS),
    address: addressSchema,
    encoding: z.enum(SERIAL_ENCODINGS),
    /** BCD and ASCII: bytes written (BCD default 4; ASCII default the formatted text's length). */
    length: z.number().int().min(1).max(64).optional(),
    /** ASCII: printf-like text, e.g. "SN%06d" (one %d or %X, with optional 0 and width). */
    format: z.string().min(1).max(64).optional(),
    start: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    step: z.number().int().min(1).max(0xffffffff).optional(),
    /** A text file with one serial number per line, used in order instead of start/step. */
    list: pinnedFile.omit({ address: true }).optional(),
  })
  .refine((s) => (s.list === undefined) !== (s.start === undefined), { message: 'give either "start" (with an optional "step") or "list", not both' })
  .refine((s) => s.encoding !== 'ascii' || s.format !== undefined || s.list !== undefined, { message: 'an "ascii" serial needs a "format" such as "SN%06d" (or a "list")' });

export const UID_DERIVATIONS = ['uid', 'crc32le', 'sha256'] as const;
export type UidDerivation = (typeof UID_DERIVATIONS)[number];

const uidDataSchema = z.strictObject({
  region: z.enum(WRITABLE_REGIONS),
  address: addressSchema,
  /** uid: the 12 bytes; crc32le: CRC-32 of them (4 bytes); sha256: the first `length` bytes of SHA-256(key + uid). */
  derive: z.enum(UID_DERIVATIONS),
  length: z.number().int().min(1).max(32).optional(),
  key: z.string().max(256).optional(),
});

export const REPEATED_UID_POLICIES = ['same-serial', 'refuse'] as const;
export type RepeatedUidPolicy = (typeof REPEATED_UID_POLICIES)[number];

export const recipeSchema = z.strictObject({
  part: z.string().min(1).max(64),
  firmware: z.array(pinnedFile).min(1).max(16),
  /** Data for the EEPROM (image files whose bytes all lie in the data EEPROM). */
  eeprom: z.array(pinnedFile).max(16).optional(),
  serial: serialSchema,
  uidData: z.array(uidDataSchema).max(8).optional(),
  /** Option-byte fields by their catalogue names (swim-studio opt --help), e.g. { "AFR0": 1 }. */
  optionBytes: z.record(z.string().min(1).max(32), z.number().int().min(0).max(0xff)).optional(),
  /** Read-out protection as the last step; `consent` must be the exact sentence of docs/production.md. */
  readoutProtection: z.strictObject({ consent: z.string().max(400) }).optional(),
  /** A chip whose UID is already in the log: give it its old serial again, or refuse it. */
  repeatedUid: z.enum(REPEATED_UID_POLICIES).optional(),
  log: z.string().min(1).max(4096),
  /** Serial-number journal (default: the log's path + ".journal"). */
  journal: z.string().min(1).max(4096).optional(),
});

export type RecipeFile = z.infer<typeof recipeSchema>;
