// The catalogue ships its own copy of the device table (a clean clone has no ../shared). When the
// shared spec is present, the copy must not have drifted from it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const copy = fileURLToPath(new URL('../../../src/shared/catalogue/stm8-devices.json', import.meta.url));
const spec = fileURLToPath(new URL('../../../../shared/spec/stm8-devices.json', import.meta.url));

describe('stm8-devices.json copy', () => {
  it.skipIf(!existsSync(spec))('equals ../shared/spec/stm8-devices.json', () => {
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(JSON.parse(readFileSync(spec, 'utf8')));
  });
});
