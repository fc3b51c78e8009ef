/**
 * Runtime validation of every request argument that crosses into main (Electron IPC or the
 * browser bridge). TypeScript types end at the process boundary: a compromised or buggy
 * renderer can send anything, so each argument is checked here before it reaches a job.
 * Objects are strict (unknown keys are refused), addresses are 24-bit, sizes are bounded.
 */
import { z } from 'zod';
import type { RequestArg, RequestName } from '#shared/ipc';
import { MEMORY_AREAS, VIRTUAL_VARIANTS } from '#shared/ipc';
import { AppError } from '#shared/errors';

/** STM8 addresses are 24-bit (docs/spec/stm8-target.md: the core's address space is 16 MB). */
const address = z.number().int().min(0).max(0xffffff);
/** Nothing the app sends is bigger than the address space. */
const bytes = z.instanceof(Uint8Array).refine((b) => b.length <= 0x1000000, 'at most 16 MB');
const shortText = z.string().min(1).max(200);
const pathText = z.string().min(1).max(4096);
const memoryArea = z.enum(MEMORY_AREAS as unknown as [string, ...string[]]) as z.ZodType<(typeof MEMORY_AREAS)[number]>;
const byteValue = z.number().int().min(0).max(255);

const probeSelection = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('usb'), serial: z.string().max(200), portPath: z.string().max(200).optional() }),
  z.strictObject({
    kind: z.literal('virtual'),
    variant: z.enum(VIRTUAL_VARIANTS as unknown as [string, ...string[]]) as z.ZodType<(typeof VIRTUAL_VARIANTS)[number]>,
    targetPart: shortText.optional(),
    faults: z.array(shortText).max(20).optional(),
  }),
  z.strictObject({ kind: z.literal('socket'), path: pathText }),
]);

const segment = z
  .strictObject({ region: memoryArea, address, data: bytes })
  .refine((s) => s.address + s.data.length <= 0x1000000, 'segment runs past the 24-bit address space');
const segments = z.array(segment).min(1).max(4096);

const none = z.strictObject({});
const eraseRegion = z.enum(['flash', 'eeprom', 'all']);

const settingsPatch = z.strictObject({
  lastProbe: probeSelection.nullable().optional(),
  lastPart: shortText.nullable().optional(),
  recentFiles: z.array(pathText).max(10).optional(),
  verifyAfterWrite: z.boolean().optional(),
  skipUnchanged: z.boolean().optional(),
  connectUnderReset: z.boolean().optional(),
  highSpeed: z.boolean().optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
});

export const SCHEMAS: { [K in RequestName]: z.ZodType<RequestArg<K>> } = {
  appInfo: none,
  listProbes: none,
  listVirtualFaults: none,
  listParts: none,
  partInfo: z.strictObject({ name: shortText }),
  connect: z.strictObject({
    probe: probeSelection,
    part: shortText,
    options: z.strictObject({ underReset: z.boolean().optional(), highSpeed: z.boolean().optional() }).optional(),
  }),
  disconnect: none,
  status: none,
  readRegion: z
    .strictObject({
      region: z.union([memoryArea, z.literal('all')]),
      address: address.optional(),
      length: z.number().int().min(1).max(0x1000000).optional(),
    })
    .refine((a) => a.region !== 'all' || (a.address === undefined && a.length === undefined), 'a range needs one region, not "all"'),
  program: z.strictObject({
    segments,
    options: z.strictObject({ verifyAfterWrite: z.boolean().optional(), skipUnchanged: z.boolean().optional() }).optional(),
  }),
  verify: z.strictObject({ segments }),
  erase: z.strictObject({ region: eraseRegion }),
  blankCheck: z.strictObject({ region: eraseRegion }),
  writeRam: z.strictObject({ address, data: bytes.refine((b) => b.length > 0, 'no data') }),
  readOptionBytes: none,
  writeOptionBytes: z
    .strictObject({
      fields: z.array(z.strictObject({ byte: shortText, field: shortText, value: z.number().int().min(0).max(255) })).max(64).optional(),
      raw: z.array(z.strictObject({ address, value: byteValue })).max(256).optional(),
      confirmations: z.array(shortText).max(64),
    })
    .refine((a) => (a.fields?.length ?? 0) + (a.raw?.length ?? 0) > 0, 'nothing to write: give fields or raw bytes'),
  unlock: z.strictObject({ confirm: z.literal('erase-everything') }),
  runDiagnostics: z.strictObject({ probe: probeSelection.optional(), part: shortText.optional() }),
  openFile: z.strictObject({ path: pathText.optional(), part: shortText.optional() }),
  loadFileBytes: z.strictObject({ name: z.string().min(1).max(1024), bytes, part: shortText.optional() }),
  saveFile: z.strictObject({
    segments,
    format: z.enum(['ihex', 'srec', 'bin']),
    path: pathText.optional(),
    suggestedName: z.string().min(1).max(1024).optional(),
    fill: byteValue.optional(),
  }),
  reopenFile: z.strictObject({ part: shortText }),
  cancelJob: z.strictObject({ jobId: shortText.optional() }),
  getSettings: none,
  setSettings: settingsPatch,
  getLog: z.strictObject({
    afterSeq: z.number().int().min(0).optional(),
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  }),
  setDirty: z.strictObject({ dirty: z.boolean(), title: z.string().max(1024).optional() }),
  productionOpenRecipe: z.strictObject({ path: pathText }),
  productionStart: z.strictObject({ stations: z.array(pathText).min(1).max(64), count: z.number().int().min(1).max(1_000_000).optional(), continuous: z.boolean().optional() }),
  productionStop: none,
} as { [K in RequestName]: z.ZodType<RequestArg<K>> };

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, name);
}

/**
 * Checks `arg` against the request's schema. Throws AppError 'invalid-argument' listing
 * every problem with its path (details.issues), or 'unknown-request'.
 */
export function validateArg<K extends RequestName>(name: K, arg: unknown): RequestArg<K>;
export function validateArg(name: string, arg: unknown): unknown;
export function validateArg(name: string, arg: unknown): unknown {
  if (!isRequestName(name)) {
    throw new AppError('unknown-request', `There is no request named "${String(name).slice(0, 80)}".`, 'Update the app: the window and the main process disagree on the contract.');
  }
  const parsed = SCHEMAS[name].safeParse(arg === undefined ? {} : arg);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(argument)', message: i.message }));
  const first = issues[0];
  throw new AppError(
    'invalid-argument',
    `Invalid argument for "${name}": ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`,
    'This is a bug in the caller; the request was refused before anything touched the chip or a file.',
    { request: name, issues },
  );
}
