/**
 * The trace checker itself: each rule fires on a hand-built trace that breaks it, and stays
 * silent on the same trace done the references' way. (Its use on real traces is in
 * protocol-discipline.test.ts and the hardware suite.)
 */
import { describe, expect, it } from 'vitest';
import { checkTrace, type TraceExchange } from '../../../src/main/stlink/trace-rules';
import { findPart } from '#shared/catalogue/index';

const part = findPart('stm8s103f3');
const R = part.flashRegs;

function out(...b: number[]): TraceExchange {
  const bytes = new Uint8Array(Math.max(16, b.length));
  bytes.set(b);
  return { op: 'out', length: bytes.length, bytes };
}
function inn(...b: number[]): TraceExchange {
  return { op: 'in', length: b.length, bytes: Uint8Array.from(b) };
}
const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const be32 = (a: number) => [0, 0, (a >> 8) & 0xff, a & 0xff];
const writeMem = (a: number, ...d: number[]) => out(0xf4, 0x0a, ...be16(d.length), ...be32(a), ...d);
const readMem = (a: number, n: number) => out(0xf4, 0x0b, ...be16(n), ...be32(a));
const status = (s: number) => [out(0xf4, 0x09), inn(s, 0, 0, 0)];
const readBuf = (...d: number[]) => [out(0xf4, 0x0c), inn(...d)];

/** One block programmed the references' way: CKDIVR, mode, data (8 bytes inline for brevity), EOP. */
function goodBlock(eopSeen = true): TraceExchange[] {
  return [
    writeMem(R.CLK_CKDIVR, 0x00),
    ...status(0x00),
    writeMem(R.CR2, 0x01, 0xfe),
    ...status(0x00),
    writeMem(0x8000, 1, 2, 3, 4, 5, 6, 7, 8),
    ...status(0x01),
    ...status(0x00),
    readMem(R.IAPSR, 1),
    ...status(0x00),
    ...readBuf(eopSeen ? 0x06 : 0x02),
  ];
}

describe('trace rules', () => {
  it('a clean trace passes', () => {
    expect(checkTrace([...goodBlock(), writeMem(R.CR2, 0x01, 0xfe), ...status(0)], part)).toEqual([]);
  });

  it('a SWIM command while the previous one is BUSY breaks swim-command-while-busy', () => {
    const t = [writeMem(0x0000, 1), ...status(0x01), writeMem(0x0001, 2), ...status(0)];
    expect(checkTrace(t, part).map((b) => b.rule)).toEqual(['swim-command-while-busy']);
    // Without any READSTATUS at all (the old unchecked write) too.
    expect(checkTrace([writeMem(0x0000, 1), writeMem(0x0001, 2)], part).map((b) => b.rule)).toEqual(['swim-command-while-busy']);
  });

  it('READBUF before its READMEM reported OK breaks readbuf-before-ok', () => {
    const t = [readMem(0x0000, 4), ...readBuf(0, 0, 0, 0)];
    const rules = checkTrace(t, part).map((b) => b.rule);
    expect(rules).toContain('readbuf-before-ok');
    expect(checkTrace([readMem(0x0000, 4), ...status(0x01), ...readBuf(0, 0, 0, 0)], part).map((b) => b.rule)).toContain('readbuf-before-ok');
  });

  it('the next CR2 write before EOP was seen breaks block-write-before-eop', () => {
    const t = [...goodBlock(false), writeMem(R.CR2, 0x01, 0xfe), ...status(0)];
    expect(checkTrace(t, part).map((b) => b.rule)).toEqual(['block-write-before-eop']);
  });

  it('programming without CLK_CKDIVR := 0 breaks program-before-ckdivr; a reset requires it again', () => {
    const noClock = goodBlock().slice(2);
    expect(checkTrace(noClock, part).map((b) => b.rule)).toEqual(['program-before-ckdivr']);
    const afterReset = [...goodBlock(), out(0xf4, 0x05), ...status(0), writeMem(R.CR2, 0x01, 0xfe), ...status(0), writeMem(0x8040, 1, 2, 3, 4, 5, 6, 7, 8), ...status(0)];
    expect(checkTrace(afterReset, part).map((b) => b.rule)).toEqual(['program-before-ckdivr']);
  });
});
