/**
 * The action bar's operations and what they cover: their names, which areas "all tabs" means
 * for each, and why one cannot run now. Pure rules over the memory and connection stores.
 */
import type { JobKind, MemoryArea } from '#shared/ipc';
import { AREA_LABEL, useMemoryStore } from '../memory';
import { useConnectionStore } from '../connection';

export type Operation = 'read' | 'program' | 'verify' | 'erase' | 'blankCheck';
export type Scope = MemoryArea | 'all';

export const OPERATION_LABEL: Record<Operation, string> = {
  read: 'Read',
  program: 'Program',
  verify: 'Verify',
  erase: 'Erase',
  blankCheck: 'Blank check',
};

/** What the job bar calls a job this page did not start. */
export const KIND_TITLE: Record<JobKind, string> = {
  connect: 'Connect',
  read: 'Read',
  program: 'Program',
  verify: 'Verify',
  erase: 'Erase',
  blankCheck: 'Blank check',
  writeRam: 'Write RAM',
  readOptionBytes: 'Read option bytes',
  writeOptionBytes: 'Write option bytes',
  unlock: 'Remove read-out protection',
  diagnostics: 'Diagnostics',
};

/** Areas "all tabs" covers for each operation (RAM is volatile; option bytes have their own tab). */
const ALL_AREAS: Record<Operation, MemoryArea[]> = {
  read: ['flash', 'eeprom', 'option'],
  program: ['flash', 'eeprom'],
  verify: ['flash', 'eeprom'],
  erase: ['flash', 'eeprom'],
  blankCheck: ['flash', 'eeprom'],
};

export function scopeLabel(scope: Scope): string {
  return scope === 'all' ? 'all tabs' : AREA_LABEL[scope];
}

export function jobTitle(op: Operation, scope: Scope): string {
  return `${OPERATION_LABEL[op]} ${scopeLabel(scope)}`;
}

/**
 * The areas an operation covers. "All tabs" programs and verifies only tabs that hold
 * something (read, loaded or edited): a tab nobody filled is a blank buffer, and writing it
 * would silently erase, e.g., calibration data in EEPROM.
 */
export function areasOf(op: Operation, scope: Scope): MemoryArea[] {
  const memory = useMemoryStore();
  const list = (scope === 'all' ? ALL_AREAS[op] : [scope]).filter((a) => memory.buffer(a));
  if (scope === 'all' && (op === 'program' || op === 'verify')) return list.filter((a) => memory.buffer(a)!.state !== 'empty');
  return list;
}

/** Why an operation cannot run on a scope now (apart from a job already running), or null when it can. */
export function blockerOf(op: Operation, scope: Scope): string | null {
  const memory = useMemoryStore();
  if (!useConnectionStore().connection) return 'Connect to a target first.';
  if ((op === 'erase' || op === 'blankCheck') && (scope === 'ram' || scope === 'option')) {
    return `${OPERATION_LABEL[op]} applies to flash and EEPROM.`;
  }
  if (scope !== 'all' && !memory.buffer(scope)) return `This part has no ${AREA_LABEL[scope]}.`;
  if (op === 'program' && scope === 'option' && memory.buffer('option')?.state === 'empty') {
    return 'Read the option bytes or load a file with them first.';
  }
  if (scope === 'all' && areasOf(op, scope).length === 0) return 'No tab holds anything yet: open a file, read the chip or edit a tab.';
  return null;
}
