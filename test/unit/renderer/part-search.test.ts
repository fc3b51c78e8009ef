import { describe, expect, it } from 'vitest';
import { partChoices, searchParts } from '../../../src/renderer/src/lib/part-search';
import { partSummaries } from '../../../src/main/service/part-summaries';

// The real catalogue, as listParts gives it to the renderer.
const parts = partSummaries();
const choices = partChoices(parts);

describe('part search over the real catalogue', () => {
  it('lists every chip by its own name, with no stm8flash patterns left', () => {
    expect(choices.length).toBeGreaterThanOrEqual(parts.length);
    expect(choices.some((c) => c.name.includes('?'))).toBe(false);
    // Every catalogue entry is reachable from at least one choice.
    const covered = new Set(choices.map((c) => c.part.name));
    expect(parts.every((p) => covered.has(p.name))).toBe(true);
    expect(searchParts(choices, '', 10_000)).toHaveLength(choices.length);
  });
  it('puts the exact chip first for a name, an order code or a short form', () => {
    expect(searchParts(choices, 'stm8s103f3')[0].name).toBe('stm8s103f3');
    expect(searchParts(choices, 'STM8S103F3P6')[0].name).toBe('stm8s103f3');
    expect(searchParts(choices, 's208rb')[0].name).toBe('stm8s208rb');
  });
  it('narrows by prefix and finds nothing for nonsense', () => {
    const l15 = searchParts(choices, 'stm8l15');
    expect(l15.length).toBeGreaterThan(3);
    expect(l15.slice(0, 4).every((c) => c.name.startsWith('stm8l15'))).toBe(true);
    expect(searchParts(choices, 'zz9999')).toEqual([]);
  });
});
