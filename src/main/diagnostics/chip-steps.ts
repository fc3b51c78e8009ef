/**
 * Steps 9 to 12, the chip behind the link: which chip it is, its option bytes, read-out
 * protection and UBC, and the flash keys. Each step is one function; target-steps.ts runs
 * them in order and stops the ladder where they say so.
 */
import { isRopActive, complementMismatches, findOptionField, ubcProtectedBytes } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import type { StlinkProbe } from '../stlink/probe';
import { Stm8Session } from '../stm8/session';
import { identifyChip, partDifferences, partFits, readChipEvidence } from './chip-identity';
import { makeFinding } from './findings';
import type { HeldSession, Link } from './link-steps';
import type { RunState } from './run-state';
import { checkFlashKeys, evidenceFacts } from './target-checks';
import { hex2 } from '#shared/hex';
import { hexs } from './words';

/** The option area as read in step 10, for step 11. */
export interface OptionArea {
  raw: Uint8Array;
  /** Address → byte. */
  image: Map<number, number>;
}

/**
 * Step 9: identify the chip from what it answers and compare it with the part selected.
 * Returns the part the remaining steps use, or null when none fits (the ladder stops).
 */
export async function identifyChipStep(run: RunState, session: Stm8Session, selected: Part | null): Promise<Part | null> {
  run.start('chip-identity');
  const evidence = await readChipEvidence(session);
  const id = identifyChip(evidence);
  run.part.identified = id.description;
  run.part.candidates = id.best.map((p) => p.pattern);
  run.facts('chip-identity', evidenceFacts(evidence));
  const candidatesText = id.best.map((p) => p.pattern).join(', ') || 'none in the catalogue';
  let used: Part | null;
  if (selected && partFits(selected, id)) {
    used = selected;
  } else if (selected && id.candidates.length > 0) {
    used = id.usable;
    run.add(
      makeFinding('part-mismatch', {
        vars: {
          selected: selected.name,
          identified: id.description,
          differences: partDifferences(selected, evidence).join('; '),
          candidates: candidatesText,
          used: used?.pattern,
        },
        evidence: id.description,
      }),
    );
  } else if (selected) {
    used = selected;
    run.add(makeFinding('chip-unidentified', { vars: { identified: id.description, selected: selected.name }, evidence: id.description }));
  } else if (id.candidates.length > 0) {
    used = id.usable;
    run.add(makeFinding('part-identified', { vars: { identified: id.description, candidates: candidatesText }, evidence: id.description }));
  } else {
    used = null;
    run.add(makeFinding('chip-unidentified', { vars: { identified: id.description }, evidence: id.description }));
  }
  run.part.used = used?.name ?? null;
  run.conclude('chip-identity', id.description);
  if (!used) run.skipRemaining('the part is not known: select the part printed on the chip');
  return used;
}

/**
 * The session for the identified part: the same one, unless the flash controller sits
 * elsewhere on its family — then attach again with the right part, the way that worked.
 */
export async function sessionForPart(probe: StlinkProbe, link: Link, used: Part, held: HeldSession): Promise<Stm8Session> {
  if (used.flashRegs.IAPSR === link.session.part.flashRegs.IAPSR) return link.session;
  await link.session.disconnect({ resume: false });
  held.session = null;
  const session = await Stm8Session.connect(probe, used, link.connectOpts);
  held.session = session;
  return session;
}

/** Step 10: every option byte that has a complement is stored with its exact complement. */
export async function checkOptionBytes(run: RunState, session: Stm8Session, used: Part): Promise<OptionArea> {
  run.start('option-bytes');
  const raw = await session.readMemory(used.option.start, used.option.size);
  const image = new Map<number, number>();
  raw.forEach((b, i) => image.set(used.option.start + i, b));
  const pairs = used.optionBytes.filter((o) => o.complementAddress !== null).length;
  const bad = complementMismatches(used, image);
  run.facts('option-bytes', { pairs, broken: bad.length, head: hexs(raw.subarray(0, 16)) });
  if (bad.length > 0) {
    const list = bad.map((m) => `${m.name} ${hex2(m.value)} at 0x${m.address.toString(16).toUpperCase()} / complement ${hex2(m.complementValue)} (should be ${hex2(~m.value & 0xff)})`);
    run.add(makeFinding('option-complement-broken', { vars: { pairs: bad.map((m) => m.name).join(', '), count: String(bad.length) }, evidence: list.join('; ') }));
  }
  run.conclude('option-bytes', pairs === 0 ? 'This family stores option bytes without complements.' : `${pairs - bad.length} of ${pairs} complement pairs intact.`);
  return { raw, image };
}

/** Step 11: read-out protection (from the option area and what flash reads) and UBC. Returns whether ROP is on. */
export async function checkProtection(run: RunState, session: Stm8Session, used: Part, options: OptionArea): Promise<boolean> {
  run.start('protection');
  const ropByte = options.raw[used.rop.address - used.option.start];
  const rop = isRopActive(used, ropByte);
  const flashHead = await session.readMemory(used.flash.start, 8);
  run.facts('protection', { rop: hex2(ropByte), ropActive: rop, flashHead: hexs(flashHead) });
  if (rop) {
    run.add(
      makeFinding('rop-active', {
        vars: {
          rop: hex2(ropByte),
          style: used.rop.style === 'stm8l' ? 'on this family 0xAA means unprotected, anything else protected' : '0xAA means protected',
          pattern: hexs(flashHead),
        },
        evidence: `OPT0 ${hex2(ropByte)}; flash at 0x${used.flash.start.toString(16).toUpperCase()} reads ${hexs(flashHead)}`,
      }),
    );
  }
  const ubcField = findOptionField(used, 'UBC') ?? findOptionField(used, 'UCB');
  if (ubcField) {
    const value = ((options.image.get(ubcField.byte.address) ?? 0) >> ubcField.field.shift) & ((1 << ubcField.field.width) - 1);
    const bytes = ubcProtectedBytes(used, value);
    run.facts('protection', { ubc: value, ubcBytes: bytes });
    if (value !== 0) {
      const range = bytes === null ? 'a reserved size (treat as the whole flash)' : `the first ${bytes} bytes of flash (0x${used.flash.start.toString(16).toUpperCase()}–0x${(used.flash.start + bytes - 1).toString(16).toUpperCase()})`;
      run.add(makeFinding('ubc-active', { vars: { value: hex2(value), range }, evidence: `${ubcField.byte.name} = ${hex2(value)} → ${range}` }));
    }
  }
  run.conclude('protection', `ROP ${rop ? 'ON' : 'off'} (${hex2(ropByte)})${ubcField ? `, UBC ${hex2(Number(run.step('protection').facts.ubc ?? 0))}` : ''}`);
  return rop;
}

/** Step 12: the program-memory and data-EEPROM keys are taken, and the memories lock again. */
export async function checkFlashController(run: RunState, session: Stm8Session, used: Part, rop: boolean): Promise<void> {
  run.start('flash-controller');
  await checkFlashKeys(run, session, used, rop);
}
