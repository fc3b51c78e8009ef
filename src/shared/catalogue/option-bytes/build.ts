/**
 * Turns the JSON option-byte list (every byte GX defines, primaries and complements alike) into
 * OptionByte entries: one per primary byte, with its complement address folded in (the NOPTx
 * byte is not an entry of its own) and the bit fields of the part's layout attached.
 */
import { parseHexField, type RawOptionByte } from '../raw';
import type { OptionByte, OptionField, OptionLayout } from '../types';
import { layoutDescriptions, type ByteDescription, type LayoutContext } from './layouts';

/** A complement byte is named N<primary> and sits at primary + 1 (GX naming on every family). */
function complementOf(list: RawOptionByte[], primary: RawOptionByte): RawOptionByte | undefined {
  const addr = parseHexField(primary.addr);
  return list.find((o) => parseHexField(o.addr) === addr + 1 && o.name.toUpperCase() === `N${primary.name.toUpperCase()}`);
}

function isComplement(list: RawOptionByte[], o: RawOptionByte): boolean {
  if (!o.name.toUpperCase().startsWith('N')) return false;
  const addr = parseHexField(o.addr);
  return list.some((p) => parseHexField(p.addr) === addr - 1 && `N${p.name.toUpperCase()}` === o.name.toUpperCase());
}

/** Fallback when a layout has no bit-level description of a byte: the whole byte as a number. */
function wholeByte(name: string, desc: string): OptionField[] {
  return [{ name, shift: 0, width: 8, kind: 'number', description: desc }];
}

export function buildOptionBytes(layout: OptionLayout, ctx: LayoutContext, raw: RawOptionByte[], detailedAfr = true): OptionByte[] {
  const table: Record<string, ByteDescription> = layoutDescriptions(layout, ctx, detailedAfr);
  const out: OptionByte[] = [];
  for (const o of raw) {
    if (isComplement(raw, o)) continue;
    const address = parseHexField(o.addr);
    const comp = complementOf(raw, o);
    const d = table[o.name];
    out.push({
      address,
      name: o.name,
      description: d?.description ?? o.desc,
      complementAddress: comp ? address + 1 : null,
      factory: parseHexField(o.factory),
      fields: d ? d.fields.map((f) => ({ ...f, values: f.values?.map((v) => ({ ...v })) })) : wholeByte(o.name, o.desc),
    });
  }
  return out.sort((a, b) => a.address - b.address);
}

/** For a part no source gives an option map for (stm8splnb1): only ROP at 0x4800 is certain. */
export function ropOnlyRaw(factory: number): RawOptionByte[] {
  return [{ addr: '0x4800', name: 'ROP', factory: `0x${factory.toString(16).padStart(2, '0')}`, desc: 'Read-out protection (ROP)' }];
}
