/**
 * The other probe variants, the virtual probe's fault switches and the STM8L family, as
 * OpenOCD 0.12 meets them. Each scenario is what a user with that probe or that broken setup would see from a
 * third-party tool; a virtual probe that plays a fault differently from the way OpenOCD's
 * code expects real hardware to behave shows up here.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceTools } from './harness';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { firstDifference, writeBin } from './images';
import { mapRange, parseMdb } from './openocd-output';
import { openOcdAgainst, SCENARIO_TIMEOUT_MS } from './served';
import { expectedOptionBytes, readTargetState } from './target-state';
import { findPart } from '#shared/catalogue/index';

const tools = await conformanceTools();
const skip = tools.missing.length > 0 && !process.env.CI;
if (skip) console.warn(`[conformance] OpenOCD fault runs skipped: missing ${tools.missing.join(', ')}`);

const PART = 'stm8s103f3';
const S103 = ['interface/stlink-dap.cfg', 'target/stm8s103.cfg'];
const BLOCK = 64; // stm8s103.cfg BLOCKSIZE 0x40

let work: string;
let blockBin: string;
let kilobyteBin: string;
const block = pseudoRandomBytes(BLOCK, 0xb10c);
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-openocd-faults-'));
  blockBin = await writeBin(join(work, 'block.bin'), block);
  kilobyteBin = await writeBin(join(work, '1k.bin'), pseudoRandomBytes(1024, 0x1c));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

// Independent scenarios, each with its own server: run them side by side.
describe.skipIf(skip)('OpenOCD 0.12 meets the probe variants and faults', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it.concurrent('stlinkv21 (STM8-Nucleo firmware): OpenOCD decodes the MxSy version and programs the chip', async ({ expect }) => {
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv21', part: PART, via: 'command' },
      { configs: S103, commands: ['init', 'reset halt', `load_image ${blockBin} 0x8000 bin`, `verify_image ${blockBin} 0x8000 bin`] },
    );
    expect(run.exitCode, why).toBe(0);
    // stlink_usb_version: PID 0x374B with y = 7 reads as MSD x, SWIM y (docs/spec/stlink-swim.md §2.2).
    expect(run.output, why).toMatch(/STLINK V2M\d+S7 \(API v2\) VID:PID 0483:374B/);
    expect(run.output, why).toContain(`verified ${BLOCK} bytes`);
  });

  it.concurrent('stlinkv3minie (no SWIM): OpenOCD refuses the SWIM transport', async ({ expect }) => {
    const { run, why } = await openOcdAgainst({ probe: 'stlinkv3minie', part: PART, via: 'command' }, { configs: S103, commands: ['init'] });
    expect(run.timedOut, why).toBe(false);
    expect(run.exitCode, why).not.toBe(0);
    // GET_VERSION_EX byte 1 = 0 → stlink_open: "mode (transport) not supported by device".
    expect(run.output, why).toMatch(/VID:PID 0483:3754/);
    expect(run.output, why).toMatch(/mode \(transport\) not supported by device/);
  });

  it.concurrent('swim-disabled: a plain connect fails; connect-under-reset at low speed programs the chip', async ({ expect }) => {
    const underReset = ['reset_config srst_nogate connect_assert_srst', 'adapter speed 363'];
    const { runs, why } = await openOcdAgainst({ probe: 'stlinkv2', part: PART, faults: ['swim-disabled'], via: 'command' }, [
      { configs: S103, commands: ['init'] },
      {
        configs: S103,
        commands: [...underReset, 'init', 'reset halt', `load_image ${blockBin} 0x8000 bin`, `verify_image ${blockBin} 0x8000 bin`],
      },
    ]);
    const [plain, reset] = runs;
    expect(plain.exitCode, why).not.toBe(0);
    expect(plain.output, why).toMatch(/unable to connect to the target/);
    expect(reset.exitCode, why).toBe(0);
    expect(reset.output, why).toContain(`verified ${BLOCK} bytes`);
  });

  it.concurrent('rop: reads give garbage, writes fail; OpenOCD\'s stm8_reset_rop unprotects and the chip is mass-erased', async ({ expect }) => {
    const stateFile = join(work, 'rop.state');
    const { runs, why } = await openOcdAgainst({ probe: 'stlinkv2', part: PART, faults: ['rop'], stateFile, via: 'command' }, [
      { configs: S103, commands: ['init', 'reset halt', 'mdb 0x4800 1', 'mdb 0x8000 16', 'mdb 0x4000 16'] },
      { configs: S103, commands: ['init', 'reset halt', `load_image ${blockBin} 0x8000 bin`] },
      // target/stm8s103.cfg's own recipe: write ROP = 0x00, reset (stm8_reset_rop).
      { configs: S103, commands: ['init', 'reset halt', 'stm8_reset_rop', 'mdb 0x4800 1', `load_image ${blockBin} 0x8000 bin`, `verify_image ${blockBin} 0x8000 bin`] },
    ]);
    const [look, write, unlock] = runs;
    expect(look.exitCode, why).toBe(0);
    const seen = parseMdb(look.output);
    expect(seen.get(0x4800), why).toBe(0xaa); // STM8S: 0xAA at 0x4800 = protected
    // A protected read returns a pattern, not the memory (docs/spec/anchors.md §6.4 T1: all 0x00 or 0x71 repeated).
    const flashSeen = mapRange(seen, 0x8000, 16);
    expect(flashSeen.every((b) => b !== null), why).toBe(true);
    expect(new Set(flashSeen).size, why).toBe(1);
    expect(write.exitCode, why).not.toBe(0);
    expect(write.output, why).not.toContain('bytes written');
    expect(unlock.exitCode, why).toBe(0);
    expect(parseMdb(unlock.output).get(0x4800), why).toBe(0x00);
    expect(unlock.output, why).toContain(`verified ${BLOCK} bytes`);
    // The removal erased flash and EEPROM: only OpenOCD's block is left.
    const state = await readTargetState(stateFile, 'stlinkv2', PART);
    expect(firstDifference(state.peek(0x8000, BLOCK), block, 0x8000)).toBeNull();
    const { flash, eeprom } = findPart(PART);
    expect(state.peek(flash.start + BLOCK, flash.size - BLOCK).every((b) => b === 0), 'rest of flash erased').toBe(true);
    expect(eeprom && state.peek(eeprom.start, eeprom.size).every((b) => b === 0), 'EEPROM erased').toBe(true);
  });

  it.concurrent('clone-voltage: OpenOCD reads 0 V, warns, and still works', async ({ expect }) => {
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part: PART, faults: ['clone-voltage'], via: 'command' },
      { configs: S103, commands: ['init', 'reset halt', `load_image ${blockBin} 0x8000 bin`, `verify_image ${blockBin} 0x8000 bin`] },
    );
    // a0 = 0 → OpenOCD reports 0 V rather than dividing by zero (stlink_usb_check_voltage).
    expect(run.output, why).toMatch(/Target voltage: 0\.0+\b/);
    expect(run.exitCode, why).toBe(0);
    expect(run.output, why).toContain(`verified ${BLOCK} bytes`);
  });

  it.concurrent('unplug-after: the probe vanishes mid-programming; OpenOCD fails promptly instead of hanging', async ({ expect }) => {
    const { run, why } = await openOcdAgainst(
      // Connecting and halting take well under 100 transfers; 1 KB (16 blocks) takes several hundred.
      { probe: 'stlinkv2', part: PART, faults: ['unplug-after=150'], via: 'command' },
      { configs: S103, commands: ['init', 'reset halt', `load_image ${kilobyteBin} 0x8000 bin`] },
    );
    expect(run.timedOut, why).toBe(false);
    expect(run.signal, why).toBeNull();
    expect(run.exitCode, why).not.toBe(0);
    expect(run.output, why).toContain('target halted'); // it got going before the unplug
  });

  it.concurrent('STM8L (stm8l152c6, target/stm8l152.cfg): programs flash and the EEPROM at 0x1000, factory option bytes', async ({ expect }) => {
    const part = 'stm8l152c6';
    const stateFile = join(work, 'stm8l.state');
    const eepromStart = findPart(part).eeprom?.start ?? 0;
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part, stateFile, via: 'command' },
      {
        configs: ['interface/stlink-dap.cfg', 'target/stm8l152.cfg'],
        commands: [
          'init',
          'reset halt',
          `load_image ${kilobyteBin} 0x8000 bin`,
          `load_image ${blockBin} ${eepromStart} bin`,
          `verify_image ${kilobyteBin} 0x8000 bin`,
          `verify_image ${blockBin} ${eepromStart} bin`,
          'mdb 0x4800 16',
          'reset run',
        ],
      },
    );
    expect(eepromStart).toBe(0x1000); // the catalogue agrees with stm8l152.cfg's EEPROMSTART
    expect(run.exitCode, why).toBe(0);
    expect(run.output, why).toContain('verified 1024 bytes');
    expect(run.output, why).toContain(`verified ${BLOCK} bytes`);
    const state = await readTargetState(stateFile, 'stlinkv2', part);
    expect(firstDifference(state.peek(0x8000, 1024), pseudoRandomBytes(1024, 0x1c), 0x8000)).toBeNull();
    expect(firstDifference(state.peek(eepromStart, BLOCK), block, eepromStart)).toBeNull();
    // STM8L polarity: 0xAA at 0x4800 means NOT protected (docs/spec/stm8-target.md §3.5); no complements.
    const printed = mapRange(parseMdb(run.output), 0x4800, 16);
    const factory = expectedOptionBytes(part, 0x4800, 16);
    expect(printed[0], why).toBe(0xaa);
    printed.forEach((b, i) => {
      if (factory[i] !== null) expect(b, `0x${(0x4800 + i).toString(16)}\n${why}`).toBe(factory[i]);
    });
  });

  it.concurrent('STM8L rop: OpenOCD\'s stm8_reset_rop (0xAA written twice) unprotects and mass-erases', async ({ expect }) => {
    const part = 'stm8l152c6';
    const stateFile = join(work, 'stm8l-rop.state');
    const configs = ['interface/stlink-dap.cfg', 'target/stm8l152.cfg'];
    const { runs, why } = await openOcdAgainst({ probe: 'stlinkv2', part, faults: ['rop'], stateFile, via: 'command' }, [
      { configs, commands: ['init', 'reset halt', 'mdb 0x4800 1', 'mdb 0x8000 16'] },
      { configs, commands: ['init', 'reset halt', 'stm8_reset_rop', 'mdb 0x4800 1', `load_image ${blockBin} 0x8000 bin`, `verify_image ${blockBin} 0x8000 bin`] },
    ]);
    const [look, unlock] = runs;
    expect(look.exitCode, why).toBe(0);
    const seen = parseMdb(look.output);
    expect(seen.get(0x4800), why).not.toBe(0xaa); // protected on STM8L
    const flashSeen = mapRange(seen, 0x8000, 16);
    expect(flashSeen.every((b) => b !== null) && new Set(flashSeen).size === 1, why).toBe(true);
    expect(unlock.exitCode, why).toBe(0);
    expect(parseMdb(unlock.output).get(0x4800), why).toBe(0xaa);
    expect(unlock.output, why).toContain(`verified ${BLOCK} bytes`);
    const state = await readTargetState(stateFile, 'stlinkv2', part);
    const { flash, eeprom } = findPart(part);
    expect(firstDifference(state.peek(0x8000, BLOCK), block, 0x8000)).toBeNull();
    expect(state.peek(flash.start + BLOCK, flash.size - BLOCK).every((b) => b === 0), 'rest of flash erased').toBe(true);
    expect(eeprom && state.peek(eeprom.start, eeprom.size).every((b) => b === 0), 'EEPROM erased').toBe(true);
  });

  it.concurrent('`adapter serial` finds the probe by the serial of the hello, and no other', async ({ expect }) => {
    const { runs, why } = await openOcdAgainst({ probe: 'stlinkv2', part: PART, serial: 'SWIMTEST0001', via: 'command' }, [
      { configs: S103, commands: ['adapter serial SWIMTEST0001', 'init'] },
      { configs: S103, commands: ['adapter serial SOMEONEELSE', 'init'] },
    ]);
    const [mine, other] = runs;
    expect(mine.exitCode, why).toBe(0);
    expect(mine.output, why).toMatch(/STLINK V2J\d+S7/);
    expect(other.exitCode, why).not.toBe(0);
    expect(other.output, why).toContain('No device matches the serial string');
  });
});
