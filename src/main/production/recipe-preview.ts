/** A recipe in words: what each board will go through, before anything starts (the app shows it). */
import type { RecipePreview } from '#shared/production';
import { BoardLog } from './board-log';
import type { Recipe } from './recipe';
import { DurableLines } from './durable-file';
import { nextSerialIndex, serialAt, type JournalEntry } from './serial-journal';
import { encodeSerial } from './serial-encoding';

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

export function recipeSteps(r: Recipe): string[] {
  const bytes = r.image.segments.reduce((n, s) => n + s.data.length, 0);
  const serialBytes = encodeSerial(r.serial.source.kind === 'list' ? r.serial.source.values[0] : r.serial.source.start, r.serial).length;
  const steps = [
    'Wait for a board: target voltage, then the chip answers SWIM.',
    `Check that the chip is a ${r.part.name.toUpperCase()} and read its unique ID.`,
    `Program and verify ${bytes} bytes from ${r.firmware.length + r.eeprom.length} file(s).`,
    `Write the serial number (${r.serial.encoding}, ${serialBytes} bytes) at ${hex(r.serial.address)} in ${r.serial.region}, reserved in the journal first.`,
  ];
  for (const u of r.uidData) steps.push(`Write ${u.derive} of the unique ID at ${hex(u.address)} in ${u.region}.`);
  const opts = Object.entries(r.optionBytes);
  if (opts.length) steps.push(`Set option bytes: ${opts.map(([k, v]) => `${k}=${v}`).join(', ')}.`);
  if (r.readoutProtection) steps.push('Enable read-out protection (consent recorded in the recipe).');
  steps.push('Reset the chip so it runs, log the board, then wait for it to be removed.');
  steps.push(r.repeatedUid === 'refuse' ? 'A chip programmed before is refused.' : 'A chip programmed before gets its old serial number back.');
  return steps;
}

export function previewRecipe(r: Recipe): RecipePreview {
  const log = new BoardLog(r.logPath);
  // Read only: a preview settles nothing (the run does that when it starts).
  const next = nextSerialIndex(new DurableLines(r.journalPath).read<JournalEntry>().records);
  const nextSerials: string[] = [];
  for (let i = 0; i < 3; i++) {
    const v = serialAt(r.serial, next + i);
    if (v !== undefined) nextSerials.push(String(v));
  }
  return {
    path: r.path,
    part: r.part.name,
    steps: recipeSteps(r),
    firmware: [...r.firmware, ...r.eeprom].map((f) => ({ file: f.path, sha256: f.sha256 })),
    imageBytes: r.image.segments.reduce((n, s) => n + s.data.length, 0),
    nextSerials,
    logPath: r.logPath,
    journalPath: r.journalPath,
    logged: { passed: log.previous.filter((x) => x.result === 'pass').length, failed: log.previous.filter((x) => x.result === 'fail').length },
  };
}
