import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/main/cli/command';
import { ProgressBar } from '../../../src/main/cli/progress';

function io(errIsTty: boolean): { io: CliIo; raw: string[]; events: number } {
  const raw: string[] = [];
  const o = { io: undefined as unknown as CliIo, raw, events: 0 };
  o.io = { out: () => undefined, err: () => undefined, isTty: false, errIsTty, errRaw: (c) => raw.push(c), onProgress: () => o.events++ };
  return o;
}

describe('progress bar', () => {
  it('redraws one line with \\r on a terminal, once per whole percent, and ends it', () => {
    const t = io(true);
    const bar = ProgressBar.for(t.io, false);
    for (let i = 0; i <= 1000; i++) bar.update({ phase: 'program', done: i, total: 1000 });
    bar.finish();
    expect(t.raw.length).toBe(102); // 0..100 % and the final newline
    expect(t.raw[0].startsWith('\rprogram [')).toBe(true);
    expect(t.raw[100]).toContain('100%');
    expect(t.raw[100]).toContain('1000/1000');
    expect(t.raw[101]).toBe('\n');
    expect(t.events).toBe(1001);
  });

  it('draws nothing when stderr is not a terminal or in --json mode, but still reports events', () => {
    for (const [tty, json] of [
      [false, false],
      [true, true],
    ] as const) {
      const t = io(tty);
      const bar = ProgressBar.for(t.io, json);
      bar.update({ phase: 'read', done: 5, total: 10 });
      bar.finish();
      expect(t.raw).toEqual([]);
      expect(t.events).toBe(1);
    }
  });
});
