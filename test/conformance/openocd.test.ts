/**
 * OpenOCD 0.12 (Debian's build, unmodified) against the virtual probe, through the stand-in
 * libusb and the socket of `swim-studio sim serve` (docs/spec/simulator.md §7). OpenOCD is a real,
 * independent client: it halts the core, unlocks flash and EEPROM, programs in block, word
 * and byte modes, polls EOP with its own 1 ms sleeps, verifies and resets. If the virtual
 * probe gets any of that wrong, these runs fail. Afterwards the server's state file must
 * hold exactly the bytes OpenOCD wrote.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { conformanceTools, type SimProbeVariant } from './harness';
import { openOcdAgainst, SCENARIO_TIMEOUT_MS } from './served';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { firstDifference, writeBin } from './images';
import { mapRange, parseMdb } from './openocd-output';
import { expectedOptionBytes, readTargetState } from './target-state';

const tools = await conformanceTools();
// On CI the packages are installed by .ci/run: there a missing tool fails the suite instead.
const skip = tools.missing.length > 0 && !process.env.CI;
if (skip) console.warn(`[conformance] OpenOCD runs skipped: missing ${tools.missing.join(', ')}`);

const FLASH = 0x8000;
const EEPROM = 0x4000;
const OPTION = 0x4800;
const OPTION_BYTES_READ = 11; // ROP + OPT1..OPT5 with complements (0x4800..0x480A)
const FLASH_IMAGE_SIZE = 4096;
const EEPROM_IMAGE_SIZE = 128;
const hex = (n: number) => `0x${n.toString(16)}`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-openocd-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface Case {
  probe: SimProbeVariant;
  part: string;
  targetCfg: string;
  seed: number;
}

const cases: Case[] = [
  { probe: 'stlinkv2', part: 'stm8s103f3', targetCfg: 'target/stm8s103.cfg', seed: 0x5103 },
  { probe: 'stlinkv3', part: 'stm8s105c6', targetCfg: 'target/stm8s105.cfg', seed: 0x5105 },
];

// The four runs below are independent (each has its own server, socket and files; OpenOCD's
// gdb/telnet/tcl ports are disabled), so they run concurrently to keep the suite short.
describe.skipIf(skip)('OpenOCD 0.12 against the virtual probe', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  for (const c of cases) {
    it.concurrent(
      `${c.probe} + ${c.part} (${c.targetCfg}): loads 4 KB into flash and 128 B into EEPROM, verifies, ` +
        'reads the option bytes, resets; the target holds those bytes, and a server restarted from the state file serves them',
      async ({ expect }) => {
        const flashImage = pseudoRandomBytes(FLASH_IMAGE_SIZE, c.seed);
        const eepromImage = pseudoRandomBytes(EEPROM_IMAGE_SIZE, c.seed ^ 0xee);
        const configs = ['interface/stlink-dap.cfg', c.targetCfg];
        const stateFile = join(work, `${c.probe}-${c.part}.state`);
        const flashBin = await writeBin(join(work, `${c.probe}-flash.bin`), flashImage);
        const eepromBin = await writeBin(join(work, `${c.probe}-eeprom.bin`), eepromImage);

        // 1. Program and verify through OpenOCD.
        const first = await openOcdAgainst(
          { probe: c.probe, part: c.part, stateFile },
          {
            configs,
            commands: [
              'init',
              'reset halt',
              `load_image ${flashBin} ${hex(FLASH)} bin`,
              `load_image ${eepromBin} ${hex(EEPROM)} bin`,
              `verify_image ${flashBin} ${hex(FLASH)} bin`,
              `verify_image ${eepromBin} ${hex(EEPROM)} bin`,
              `mdb ${hex(OPTION)} ${OPTION_BYTES_READ}`,
              'reset run',
            ],
          },
        );
        expect(first.run.timedOut, first.why).toBe(false);
        expect(first.run.exitCode, first.why).toBe(0);
        expect(first.run.output, first.why).toContain(`verified ${FLASH_IMAGE_SIZE} bytes`);
        expect(first.run.output, first.why).toContain(`verified ${EEPROM_IMAGE_SIZE} bytes`);
        expect(first.exit.exitCode, first.why).toBe(0);

        // 2. What the target really holds now, from the state file the server wrote at SIGTERM.
        const state = await readTargetState(stateFile, c.probe, c.part);
        expect(firstDifference(state.peek(FLASH, FLASH_IMAGE_SIZE), flashImage, FLASH), 'flash').toBeNull();
        expect(firstDifference(state.peek(EEPROM, EEPROM_IMAGE_SIZE), eepromImage, EEPROM), 'EEPROM').toBeNull();
        // Nothing beyond the images was touched: the rest is still erased (0x00).
        expect(state.peek(FLASH + FLASH_IMAGE_SIZE, 1024).every((b) => b === 0), 'flash after the image').toBe(true);
        expect(state.peek(EEPROM + EEPROM_IMAGE_SIZE, 64).every((b) => b === 0), 'EEPROM after the image').toBe(true);

        // 3. The option bytes OpenOCD printed are the target's, and those are the factory ones.
        const printed = mapRange(parseMdb(first.run.output), OPTION, OPTION_BYTES_READ);
        expect(printed, first.why).toEqual(Array.from(state.peek(OPTION, OPTION_BYTES_READ)));
        expect(printed, first.why).toEqual(expectedOptionBytes(c.part, OPTION, OPTION_BYTES_READ));

        // 4. A later server started with the state file serves the same bytes to OpenOCD.
        const second = await openOcdAgainst(
          { probe: c.probe, part: c.part, stateFile },
          {
            configs,
            commands: [
              'init',
              'reset halt',
              `verify_image ${flashBin} ${hex(FLASH)} bin`,
              `verify_image ${eepromBin} ${hex(EEPROM)} bin`,
            ],
          },
        );
        expect(second.run.exitCode, second.why).toBe(0);
        expect(second.run.output, second.why).toContain(`verified ${FLASH_IMAGE_SIZE} bytes`);
        expect(second.run.output, second.why).toContain(`verified ${EEPROM_IMAGE_SIZE} bytes`);
      },
    );
  }

  it.concurrent('with the no-power fault OpenOCD fails to connect, cleanly and promptly', async ({ expect }) => {
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part: 'stm8s103f3', faults: ['no-power'], via: 'command' },
      { commands: ['init', 'reset halt'] },
    );
    expect(run.timedOut, why).toBe(false);
    expect(run.signal, why).toBeNull();
    expect(run.exitCode, why).not.toBe(0);
    // OpenOCD's own words for an ENTER_SEQ that got no answer (stlink_usb.c stlink_swim_enter).
    expect(run.output, why).toMatch(/unable to connect to the target/i);
    expect(run.output, why).not.toMatch(/target halted/);
  });

  it.concurrent('a probe held by another client answers busy, and OpenOCD gives up instead of hanging', async ({ expect }) => {
    const holdProbe = async (socketPath: string) => {
      const holder = connect(socketPath);
      await new Promise<void>((resolve, reject) => {
        holder.once('data', () => resolve()); // the hello: this socket is the one client served
        holder.once('error', reject);
      });
      return () => holder.destroy();
    };
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part: 'stm8s103f3', via: 'command' },
      { commands: ['init'] },
      holdProbe,
    );
    expect(run.timedOut, why).toBe(false);
    expect(run.exitCode, why).not.toBe(0);
    expect(run.output, why).not.toMatch(/STLINK V\d/); // it never got a version answer
  });
});
