/**
 * The requests that work on the connected chip: read, program, verify, erase, blank check,
 * RAM, option bytes, unlock. Each checks its addresses against the part before the job
 * starts, runs as the one job, and answers with a report in words.
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { MemoryArea, AreaSegment } from '#shared/ipc';
import { areaWords, checkRange, checkSegments } from './memory-map';
import { requireRegion } from '../jobs/index';
import { hex } from '#shared/hex';
import { areaListWords, bytesWords, totalBytes } from './report-words';
import { jobOptions, imageOf, optionReading, programDone, unlockDone } from './job-reports';
import { checkConfirmations, engineOptionRequest } from './option-confirmations';
import type { Handlers, ServiceContext } from './service-context';
import { runReported } from './service-context';

type TargetHandlers = Pick<
  Handlers,
  'readRegion' | 'program' | 'verify' | 'erase' | 'blankCheck' | 'writeRam' | 'readOptionBytes' | 'writeOptionBytes' | 'unlock'
>;

function eraseAreas(part: Part, region: 'flash' | 'eeprom' | 'all'): ('flash' | 'eeprom')[] {
  if (region === 'all') return part.eeprom ? ['flash', 'eeprom'] : ['flash'];
  requireRegion(part, region);
  return [region];
}

/** What a read covers: one area (or a range inside it), or flash + EEPROM + option bytes. */
function readSpans(part: Part, a: { region: MemoryArea | 'all'; address?: number; length?: number }): { region: MemoryArea; address: number; length: number }[] {
  if (a.region === 'all') {
    const areas: MemoryArea[] = part.eeprom ? ['flash', 'eeprom', 'option'] : ['flash', 'option'];
    return areas.map((region) => {
      const r = requireRegion(part, region);
      return { region, address: r.start, length: r.size };
    });
  }
  const r = requireRegion(part, a.region);
  const address = a.address ?? r.start;
  const length = a.length ?? r.end - address + 1;
  checkRange(part, a.region, address, length);
  return [{ region: a.region, address, length }];
}

export function targetRequests(c: ServiceContext): TargetHandlers {
  return {
    async readRegion(a) {
      const { connection, part } = c.connected();
      const spans = readSpans(part, a);
      const protectedAreas = new Set<string>();
      const { result: segments, report } = await runReported(
        c,
        'read',
        (job) =>
          connection.use(async (conn) => {
          const out: AreaSegment[] = [];
          for (const s of spans) {
            const r = await conn.read({ start: s.address, length: s.length }, jobOptions(job, areaWords(s.region)));
            if (r.protected) protectedAreas.add(areaWords(s.region));
            out.push({ region: s.region, address: s.address, data: r.data });
          }
          return out;
        }),
        (segs) => ({ head: `Read ${bytesWords(totalBytes(segs))} of ${areaListWords(segs)}`, done: { bytes: totalBytes(segs) } }),
      );
      if (protectedAreas.size) {
        c.log.add('warn', `Read-out protection is active: what was read from ${[...protectedAreas].join(' and ')} is not the chip's content.`, { code: 'read-protected' });
      }
      return { segments, report };
    },

    async program(a) {
      const { connection, part } = c.connected();
      if (a.segments.some((s) => s.region === 'option')) {
        throw new AppError(
          'image-has-options',
          'Option bytes are not written by Program.',
          'Use the Option bytes tab: it fills complements and asks before risky changes.',
        );
      }
      checkSegments(part, a.segments, ['flash', 'eeprom', 'ram']);
      const s = c.settings.get();
      const opts = { verify: a.options?.verifyAfterWrite ?? s.verifyAfterWrite, skipUnchanged: a.options?.skipUnchanged ?? s.skipUnchanged };
      const { result: done, report } = await runReported(
        c,
        'program',
        (job) => connection.use(async (conn) => programDone(await conn.program(imageOf(a.segments), { ...jobOptions(job, areaListWords(a.segments)), ...opts }))),
        (d) => ({ head: `Programmed ${bytesWords(totalBytes(a.segments))} of ${areaListWords(a.segments)}`, done: d }),
      );
      if (!done.verify) return { report };
      const v = done.verify;
      return { report, verify: { ok: v.mismatchCount === 0, mismatchCount: v.mismatchCount, mismatches: v.mismatches, report: { ...report, kind: 'verify' } } };
    },

    async verify({ segments }) {
      const { connection, part } = c.connected();
      checkSegments(part, segments, ['flash', 'eeprom', 'ram', 'option']);
      const { result: o, report } = await runReported(
        c,
        'verify',
        (job) => connection.use((conn) => conn.compare(imageOf(segments), jobOptions(job, areaListWords(segments)))),
        (o) => ({
          head: `Verified ${bytesWords(o.bytes)} of ${areaListWords(segments)}`,
          done: { bytes: o.bytes },
          outcome: o.mismatchCount === 0 ? 'identical' : `${bytesWords(o.mismatchCount)} differ, first at ${hex(o.mismatches[0]?.address ?? 0)}`,
          level: o.mismatchCount === 0 ? 'info' : 'error',
        }),
      );
      return { ok: o.mismatchCount === 0, mismatchCount: o.mismatchCount, mismatches: o.mismatches, report };
    },

    async erase({ region }) {
      const { connection, part } = c.connected();
      const areas = eraseAreas(part, region);
      const { report } = await runReported(
        c,
        'erase',
        (job) =>
          connection.use(async (conn) => {
            let bytes = 0;
            for (const a of areas) bytes += (await conn.erase({ region: a }, jobOptions(job, areaWords(a)))).length;
            return bytes;
          }),
        (bytes) => ({ head: `Erased ${areas.map(areaWords).join(' and ')}`, done: { bytes } }),
      );
      return { report };
    },

    async blankCheck({ region }) {
      const { connection, part } = c.connected();
      const areas = eraseAreas(part, region);
      const words = areas.map(areaWords).join(' and ');
      const { result: o, report } = await runReported(
        c,
        'blankCheck',
        (job) =>
          connection.use(async (conn) => {
            let bytes = 0;
            let firstNonBlank: number | null = null;
            let nonBlankCount = 0;
            for (const a of areas) {
              const r = await conn.blankCheck({ region: a }, jobOptions(job, areaWords(a)));
              bytes += r.length;
              nonBlankCount += r.nonBlankBytes;
              firstNonBlank ??= r.firstNonBlank;
            }
            return { bytes, firstNonBlank, nonBlankCount };
          }),
        (o) => ({
          head: `Blank-checked ${words} (${bytesWords(o.bytes)})`,
          done: { bytes: o.bytes },
          outcome: o.nonBlankCount === 0 ? 'blank' : `not blank, ${bytesWords(o.nonBlankCount)} set, first at ${hex(o.firstNonBlank ?? 0)}`,
        }),
      );
      return { blank: o.nonBlankCount === 0, firstNonBlank: o.firstNonBlank, nonBlankCount: o.nonBlankCount, report };
    },

    async writeRam({ address, data }) {
      const { connection, part } = c.connected();
      checkRange(part, 'ram', address, data.length);
      const { report } = await runReported(
        c,
        'writeRam',
        (job) =>
          connection.use(async (conn) => {
            const r = await conn.writeRam(address, data, { ...jobOptions(job, 'RAM'), verify: true });
            return { bytes: r.length, verified: r.verified };
          }),
        (d) => ({ head: `Wrote ${bytesWords(data.length)} to RAM at ${hex(address)}`, done: d }),
      );
      return { report };
    },

    async readOptionBytes() {
      const { connection } = c.connected();
      const { result, report } = await runReported(
        c,
        'readOptionBytes',
        (job) => connection.use(async (conn) => optionReading(await conn.readOptionBytes(jobOptions(job, 'option bytes')))),
        (o) => ({ head: `Read ${o.bytes.length} option bytes${o.readProtected ? ' (read-out protection is ON)' : ''}`, done: { bytes: o.raw.data.length } }),
      );
      c.noteReadProtection(result.readProtected);
      return { ...result, report };
    },

    async writeOptionBytes(a) {
      const { connection, part } = c.connected();
      const { result, report } = await runReported(
        c,
        'writeOptionBytes',
        (job) =>
          connection.use(async (conn) => {
            const now = await conn.read({ start: part.option.start, length: part.option.size }, { signal: job.signal });
            checkConfirmations(part, now.data, part.option.start, a);
            // Confirmed field by field above; the engine's switches are then on.
            const r = await conn.writeOptionBytes({ ...engineOptionRequest(a), confirmProtect: true, confirmDangerous: true }, jobOptions(job));
            return {
              bytes: r.written.length,
              note: r.written.length === 0 ? 'nothing to change' : `${r.unchanged} unchanged; takes effect after a reset`,
              after: optionReading(r.after),
            };
          }),
        (d) => ({ head: 'Wrote the option bytes', done: d }),
      );
      c.noteReadProtection(result.after.readProtected);
      return { report, after: { ...result.after, report: { ...report, kind: 'readOptionBytes' } } };
    },

    async unlock() {
      const { connection } = c.connected();
      const { result: r, report } = await runReported(
        c,
        'unlock',
        (job) => connection.use(async (conn) => unlockDone(await conn.unlock(jobOptions(job)))),
        (d) => ({ head: d.wasProtected ? 'Removed read-out protection' : 'Checked read-out protection', done: d, level: d.blank || !d.wasProtected ? 'info' : 'warn' }),
      );
      c.noteReadProtection(r.after.readProtected);
      return {
        report,
        method: r.method,
        wasProtected: r.wasProtected,
        blank: r.blank,
        erased: r.erased,
        after: { ...r.after, report: { ...report, kind: 'readOptionBytes' } },
      };
    },
  };
}
