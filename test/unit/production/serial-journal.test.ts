import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SerialPlan } from '../../../src/main/production/recipe';
import { SerialJournal } from '../../../src/main/production/serial-journal';

const PLAN: SerialPlan = { region: 'eeprom', address: 0x4000, encoding: 'u32le', source: { kind: 'counter', start: 500, step: 10 } };
const journalIn = (dir: string): string => join(dir, 'j.journal');

describe('serial journal', () => {
  it('reserves in order, gives a returning UID its number back, and resumes after the last reservation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-journal-'));
    const j = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    const a = j.reserve('uid-a', 's1');
    const b = j.reserve('uid-b', 's2');
    expect([a.serial, b.serial]).toEqual([500, 510]);
    expect(j.reserve('uid-a', 's2')).toEqual({ index: 0, serial: 500, repeated: true });
    j.settle(a, 'pass', null);
    j.settle(b, 'fail', 'verify-failed');
    j.close();
    const again = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    expect(again.previous('uid-a')).toMatchObject({ serial: 500, passed: true });
    expect(again.previous('uid-b')).toMatchObject({ serial: 510, passed: false });
    expect(again.reserve('uid-c', 's1').serial).toBe(520);
    expect(again.recovered).toEqual([]);
    again.close();
  });

  it('settles a reservation from the log when the crash came after logging, else as orphaned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-journal-'));
    const j = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    j.reserve('uid-a', 's1');
    j.reserve('uid-b', 's1');
    j.close();
    const again = new SerialJournal(journalIn(dir), PLAN, (s) => (s === 500 ? { result: 'pass', code: null } : undefined));
    expect(again.recovered).toMatchObject([
      { t: 'settle', serial: 500, outcome: 'pass' },
      { t: 'orphan', serial: 510, uid: 'uid-b' },
    ]);
    again.close();
    const lines = readFileSync(journalIn(dir), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { t: string }).t)).toEqual(['reserve', 'reserve', 'settle', 'orphan']);
  });

  it('is used by one run at a time, and takes over the lock of a process that is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-journal-'));
    const j = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    expect(() => new SerialJournal(journalIn(dir), PLAN, () => undefined)).toThrow(expect.objectContaining({ code: 'journal-in-use' }));
    j.close();
    // A pid far above any pid_max: no such process.
    writeFileSync(journalIn(dir) + '.lock', '2147483646');
    const k = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    expect(k.reserve('uid-z', 's').serial).toBe(500);
    k.close();
  });

  it('ignores a torn last line (power lost inside a write) and never glues the next record to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-journal-'));
    writeFileSync(journalIn(dir), '{"t":"reserve","index":0,"serial":500,"uid":"u","station":"s","time":"x"}\n{"t":"sett');
    const j = new SerialJournal(journalIn(dir), PLAN, () => undefined);
    expect(j.recovered).toMatchObject([{ t: 'orphan', serial: 500 }]);
    expect(j.reserve('uid-q', 's').serial).toBe(510);
    j.close();
    const lines = readFileSync(journalIn(dir), 'utf8').split('\n');
    expect(lines[1]).toBe('{"t":"sett');
    expect(JSON.parse(lines[2])).toMatchObject({ t: 'orphan' });
  });
});
