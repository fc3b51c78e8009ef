/**
 * Identification from the chip itself, on a virtual STM8 of every catalogue part: the part
 * always fits what its own chip answers, and parts that differ in family, RAM, boot ROM or
 * unique-ID place are told apart.
 */
import { describe, expect, it } from 'vitest';
import { allParts, findPart } from '#shared/catalogue/index';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { StlinkProbe } from '../../../src/main/stlink/probe';
import { Stm8Session } from '../../../src/main/stm8/session';
import { countComplementPairs, identifyChip, partDifferences, partFits, readChipEvidence, type ChipEvidence } from '../../../src/main/diagnostics/chip-identity';

async function evidenceOf(part: string, faults: Parameters<typeof createVirtualProbe>[0]['faults'] = []): Promise<ChipEvidence> {
  const v = createVirtualProbe({ probe: 'stlinkv3', part, faults });
  const probe = await StlinkProbe.open(v.transport);
  const s = await Stm8Session.connect(probe, findPart('stm8s103f3'), { noReset: true });
  try {
    const ramBefore = Array.from(v.target.peek(0, v.target.part.ram.size));
    const e = await readChipEvidence(s);
    // The RAM probe restored every byte it touched.
    expect(Array.from(v.target.peek(0, v.target.part.ram.size)), part).toEqual(ramBefore);
    expect(e.ramProbe.filter((x) => x.writable).length, part).toBeGreaterThan(0);
    return e;
  } finally {
    await s.disconnect();
    await probe.close();
  }
}

describe('identifyChip on every catalogue part', () => {
  it('each part fits what its own chip answers', async () => {
    for (const p of allParts()) {
      const e = await evidenceOf(p.pattern);
      const id = identifyChip(e);
      expect(partFits(p, id), `${p.pattern}: ${id.description}`).toBe(true);
      expect(e.ramSize, p.pattern).toBe(p.ram.size);
      expect(e.regsStyle, p.pattern).toBe(p.flashRegs.style);
      expect(e.bootRom, p.pattern).toBe(p.romBootloader);
    }
  });
});

describe('what tells parts apart', () => {
  it('STM8S103 vs STM8S105: RAM, boot ROM and the unique-ID place', async () => {
    const e = await evidenceOf('stm8s103f3');
    expect(e.uidPlace).toBe('stm8s-low');
    expect(e.complementPairs).toBe(5);
    const d = partDifferences(findPart('stm8s105c6'), e);
    expect(d.join(' | ')).toMatch(/RAM is 1 KB.*2 KB/);
    expect(d.join(' | ')).toMatch(/no boot ROM/);
    expect(d.join(' | ')).toMatch(/0x48CD/);
    expect(partDifferences(findPart('stm8s103f3'), e)).toEqual([]);
  });

  it('an STM8S003 selection is not refused for a chip with the S103 unique ID (same die)', async () => {
    const e = await evidenceOf('stm8s103f3');
    expect(partDifferences(findPart('stm8s003f3'), e)).toEqual([]);
  });

  it('a chip without the S103 unique ID is not an S103', async () => {
    const e = await evidenceOf('stm8s003f3');
    expect(e.uidPlace).toBe('none');
    expect(partDifferences(findPart('stm8s103f3'), e).join(' ')).toMatch(/no unique ID found/);
  });

  it('with read-out protection on, a missing unique ID proves nothing', () => {
    const e: ChipEvidence = {
      ncr2: 0xff, fpr: 0, nfpr: 0xff, regsStyle: 'stm8s', optionHead: [0xaa, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0, 0, 0, 0],
      complementPairs: 5, uidPlace: 'none', uid: null, ramSize: 1024, ramProbe: [], bootRom: false, bootRomHead: [], sp: null, ropSeen: true,
    };
    expect(partDifferences(findPart('stm8s103f3'), e)).toEqual([]);
    expect(partDifferences(findPart('stm8s103f3'), { ...e, ropSeen: false })).not.toEqual([]);
  });

  it('STM8L: flash controller at 0x5050, no complements, L unique ID', async () => {
    const e = await evidenceOf('stm8l152c6');
    expect(e.regsStyle).toBe('stm8l');
    expect(e.complementPairs).toBe(0);
    expect(e.uidPlace).toBe('stm8l');
    const id = identifyChip(e);
    expect(id.best.every((p) => p.flashRegs.style === 'stm8l')).toBe(true);
    expect(id.usable?.optionLayout).toBe('stm8l');
  });

  it('UBC and broken complements do not hide the family', async () => {
    const ubc = await evidenceOf('stm8s103f3', [{ name: 'ubc', arg: 4 }]);
    expect(ubc.regsStyle).toBe('stm8s');
    const bad = await evidenceOf('stm8s103f3', [{ name: 'bad-complement' }]);
    expect(bad.complementPairs).toBe(4);
    expect(partFits(findPart('stm8s103f3'), identifyChip(bad))).toBe(true);
  });

  it('counts complement pairs from the option head', () => {
    expect(countComplementPairs([0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff])).toBe(5);
    expect(countComplementPairs([0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(countComplementPairs([0, 2, 0xfd, 0, 0xff, 0, 0xfe, 0, 0xff, 0, 0xff])).toBe(4);
  });
});
