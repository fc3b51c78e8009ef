/**
 * Each action-bar operation as main's request, and its result taken into the area buffers.
 * Resolves with the summary for the outcome; throws the request's error, a VerifyFailed, or a
 * not-blank error made here.
 */
import type { MemoryArea, AreaSegment } from '#shared/ipc';
import { ApiError, call } from '../../api/client';
import { programOptionTab } from '../../features/option-bytes/program-option-tab';
import { takeOptionReading } from '../../features/option-bytes/option-reading';
import { hexAddress } from '../../lib/hex-text';
import { useMemoryStore } from '../memory';
import { useSettingsStore } from '../settings';
import { areasOf, type Operation, type Scope } from './operations';
import { applyVerify, VerifyFailed } from './verify-marks';

const PERFORM: Record<Operation, (scope: Scope) => Promise<string>> = { read, program, verify, erase, blankCheck };

export function perform(op: Operation, scope: Scope): Promise<string> {
  return PERFORM[op](scope);
}

function segmentsOf(areas: MemoryArea[]): AreaSegment[] {
  const memory = useMemoryStore();
  return areas.map((a) => memory.segmentOf(a)).filter((s): s is AreaSegment => s !== null);
}

async function read(scope: Scope): Promise<string> {
  const memory = useMemoryStore();
  if (scope === 'option') {
    const r = await call('readOptionBytes', {});
    takeOptionReading(r);
    return r.report.summary;
  }
  const r = await call('readRegion', { region: scope });
  memory.applyRead(r.segments);
  if (scope === 'all') memory.optionReading = null;
  return r.report.summary;
}

async function program(scope: Scope): Promise<string> {
  const memory = useMemoryStore();
  if (scope === 'ram') {
    const seg = memory.segmentOf('ram')!;
    const r = await call('writeRam', { address: seg.address, data: seg.data });
    memory.buffer('ram')!.markProgrammed(false);
    memory.touch('ram');
    return r.report.summary;
  }
  if (scope === 'option') return programOptionTab();
  const settings = useSettingsStore().settings;
  const areas = areasOf('program', scope);
  const r = await call('program', {
    segments: segmentsOf(areas),
    options: { verifyAfterWrite: settings.verifyAfterWrite, skipUnchanged: settings.skipUnchanged },
  });
  if (r.verify && !r.verify.ok) {
    applyVerify(areas, r.verify);
    throw new VerifyFailed(r.verify);
  }
  for (const a of areas) {
    memory.buffer(a)!.markProgrammed(r.verify?.ok === true);
    memory.touch(a);
  }
  return r.report.summary;
}

async function verify(scope: Scope): Promise<string> {
  const areas = areasOf('verify', scope);
  const r = await call('verify', { segments: segmentsOf(areas) });
  applyVerify(areas, r);
  if (!r.ok) throw new VerifyFailed(r);
  return r.report.summary;
}

/** Erase and blank check name flash, EEPROM or both (operations.ts refuses other scopes). */
function regionOf(scope: Scope): 'flash' | 'eeprom' | 'all' {
  return scope === 'all' ? 'all' : (scope as 'flash' | 'eeprom');
}

async function erase(scope: Scope): Promise<string> {
  const memory = useMemoryStore();
  const areas = areasOf('erase', scope);
  const r = await call('erase', { region: regionOf(scope) });
  for (const a of areas) {
    memory.buffer(a)!.markErased();
    memory.touch(a);
  }
  return r.report.summary;
}

async function blankCheck(scope: Scope): Promise<string> {
  const r = await call('blankCheck', { region: regionOf(scope) });
  if (!r.blank) {
    throw new ApiError({
      code: 'not-blank',
      message: `Not blank: ${r.nonBlankCount} byte${r.nonBlankCount === 1 ? '' : 's'} differ from the erased value 0x00${
        r.firstNonBlank !== null ? `, the first at ${hexAddress(r.firstNonBlank)}` : ''
      }.`,
      remedy: 'Erase the memory first if you need it blank.',
    });
  }
  return r.report.summary;
}
