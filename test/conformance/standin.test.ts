// The stand-in libusb must offer every libusb function the installed OpenOCD imports, or the
// dynamic loader refuses to start OpenOCD with it (and the conformance runs mean nothing).
import { describe, expect, it } from 'vitest';
import { buildStandin, conformanceTools, OPENOCD_012_LIBUSB_IMPORTS } from './harness';
import { definedSymbols, importedLibusbSymbols } from './standin';
import { whichOpenOcd } from './openocd-runner';

const tools = await conformanceTools();
const canBuild = tools.gcc && tools.libusbHeaders;
// On CI the packages are installed by .ci/run, so there a missing tool is a failure, not a skip.
const skip = !canBuild && !process.env.CI;
if (skip) console.warn(`[conformance] stand-in tests skipped: missing ${tools.missing.join(', ')}`);

describe.skipIf(skip)('stand-in libusb-1.0', () => {
  it('builds with gcc and exports the 32 libusb functions OpenOCD 0.12 imports', async () => {
    const dir = await buildStandin();
    const defined = await definedSymbols(dir);
    const missing = OPENOCD_012_LIBUSB_IMPORTS.filter((s) => !defined.has(s));
    expect(missing).toEqual([]);
    expect(OPENOCD_012_LIBUSB_IMPORTS).toHaveLength(32);
    // Hidden visibility: nothing but libusb_* leaks out as a dynamic symbol.
    expect([...defined].filter((s) => !s.startsWith('libusb_'))).toEqual([]);
  });

  it.skipIf(!tools.openocd)('covers every libusb import of the OpenOCD installed here', async () => {
    const exe = await whichOpenOcd();
    expect(exe).toBeTruthy();
    const imports = await importedLibusbSymbols(exe as string);
    expect(imports.length).toBeGreaterThan(0);
    const defined = await definedSymbols(await buildStandin());
    expect(imports.filter((s) => !defined.has(s))).toEqual([]);
  });

});
