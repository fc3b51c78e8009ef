/**
 * OpenOCD 0.12 (Debian's build, unmodified) against the virtual probe, through the stand-in
 * libusb and the socket of `swim-studio sim serve` (simulator.md §7). OpenOCD is a real,
 * independent client: it halts the core, unlocks flash and EEPROM, programs in block, word
 * and byte modes, polls EOP with its own 1 ms sleeps, verifies and resets. If the virtual
 * probe gets any of that wrong, these runs fail. Afterwards the server's state file must
 * hold exactly the bytes OpenOCD wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import {
  conformanceTools,
  runOpenOcd,
  startSimServer,
  type OpenOcdResult,
  type RunOpenOcdOptions,
  type SimProbeVariant,
  type SimServerExit,
  type SimServerOptions,
} from './harness';
import { firstDifference, mapRange, parseMdb, pseudoRandomBytes, writeBin } from './images';
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
const RUN_TIMEOUT_MS = 60_000;
const hex = (n: number) => `0x${n.toString(16)}`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-openocd-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Serves a virtual probe, runs OpenOCD against it, stops the server (always), returns both ends. */
async function openOcdAgainst(
  server: SimServerOptions,
  openocd: Omit<RunOpenOcdOptions, 'socketPath'>,
  whileServing?: (socketPath: string) => Promise<() => void>,
): Promise<{ run: OpenOcdResult; exit: SimServerExit; why: string }> {
  const sim = await startSimServer(server);
  let run: OpenOcdResult;
  try {
    const release = whileServing ? await whileServing(sim.socketPath) : undefined;
    try {
      run = await runOpenOcd({ timeoutMs: RUN_TIMEOUT_MS, ...openocd, socketPath: sim.socketPath });
    } finally {
      release?.();
    }
  } catch (e) {
    const exit = await sim.stop();
    throw new Error(`${(e as Error).message}\n--- server ---\n${exit.stdout}${exit.stderr}`);
  }
  const exit = await sim.stop();
  return { run, exit, why: explain(run, exit.stdout + exit.stderr) };
}

/** Everything a failing run needs to be understood, in one string. */
function explain(r: OpenOcdResult, serverLog = ''): string {
  return `openocd ${r.args.join(' ')}\nexit ${r.exitCode} signal ${r.signal} timedOut ${r.timedOut} in ${Math.round(r.wallMs)} ms\n${r.output}\n--- server ---\n${serverLog}`;
}

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

describe.skipIf(skip)('OpenOCD 0.12 against the virtual probe', () => {
  for (const c of cases) {
    describe(`${c.probe} + ${c.part} (${c.targetCfg})`, () => {
      const flashImage = pseudoRandomBytes(FLASH_IMAGE_SIZE, c.seed);
      const eepromImage = pseudoRandomBytes(EEPROM_IMAGE_SIZE, c.seed ^ 0xee);
      const configs = ['interface/stlink-dap.cfg', c.targetCfg];
      let stateFile: string;
      let flashBin: string;
      let eepromBin: string;

      beforeAll(async () => {
        stateFile = join(work, `${c.probe}-${c.part}.state`);
        flashBin = await writeBin(join(work, `${c.probe}-flash.bin`), flashImage);
        eepromBin = await writeBin(join(work, `${c.probe}-eeprom.bin`), eepromImage);
      });

      it('connects, halts, loads 4 KB into flash and 128 B into EEPROM, verifies, reads the option bytes, resets', async () => {
        const { run, exit, why } = await openOcdAgainst(
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
        expect(run.timedOut, why).toBe(false);
        expect(run.exitCode, why).toBe(0);
        expect(run.output, why).toContain(`verified ${FLASH_IMAGE_SIZE} bytes`);
        expect(run.output, why).toContain(`verified ${EEPROM_IMAGE_SIZE} bytes`);
        expect(exit.exitCode, why).toBe(0);

        // What the target really holds now, from the state file the server wrote at SIGTERM.
        const state = await readTargetState(stateFile, c.probe, c.part);
        expect(firstDifference(state.peek(FLASH, FLASH_IMAGE_SIZE), flashImage, FLASH), 'flash').toBeNull();
        expect(firstDifference(state.peek(EEPROM, EEPROM_IMAGE_SIZE), eepromImage, EEPROM), 'EEPROM').toBeNull();
        // Nothing beyond the images was touched: the rest is still erased (0x00).
        expect(state.peek(FLASH + FLASH_IMAGE_SIZE, 1024).every((b) => b === 0), 'flash after the image').toBe(true);
        expect(state.peek(EEPROM + EEPROM_IMAGE_SIZE, 64).every((b) => b === 0), 'EEPROM after the image').toBe(true);

        // The option bytes OpenOCD printed are the target's, and those are the factory ones.
        const printed = mapRange(parseMdb(run.output), OPTION, OPTION_BYTES_READ);
        expect(printed, why).toEqual(Array.from(state.peek(OPTION, OPTION_BYTES_READ)));
        expect(printed, why).toEqual(expectedOptionBytes(c.part, OPTION, OPTION_BYTES_READ));
      });

      it('a later server started with the state file serves the same bytes to OpenOCD', async () => {
        const { run, why } = await openOcdAgainst(
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
        expect(run.exitCode, why).toBe(0);
        expect(run.output, why).toContain(`verified ${FLASH_IMAGE_SIZE} bytes`);
        expect(run.output, why).toContain(`verified ${EEPROM_IMAGE_SIZE} bytes`);
      });
    });
  }

  it('with the no-power fault OpenOCD fails to connect, cleanly and promptly', async () => {
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part: 'stm8s103f3', faults: ['no-power'] },
      { commands: ['init', 'reset halt'] },
    );
    expect(run.timedOut, why).toBe(false);
    expect(run.signal, why).toBeNull();
    expect(run.exitCode, why).not.toBe(0);
    // OpenOCD's own words for an ENTER_SEQ that got no answer (stlink_usb.c stlink_swim_enter).
    expect(run.output, why).toMatch(/unable to connect to the target/i);
    expect(run.output, why).not.toMatch(/target halted/);
  });

  it('a probe held by another client answers busy, and OpenOCD gives up instead of hanging', async () => {
    const holdProbe = async (socketPath: string) => {
      const holder = connect(socketPath);
      await new Promise<void>((resolve, reject) => {
        holder.once('data', () => resolve()); // the hello: this socket is the one client served
        holder.once('error', reject);
      });
      return () => holder.destroy();
    };
    const { run, why } = await openOcdAgainst(
      { probe: 'stlinkv2', part: 'stm8s103f3' },
      { commands: ['init'] },
      holdProbe,
    );
    expect(run.timedOut, why).toBe(false);
    expect(run.exitCode, why).not.toBe(0);
    expect(run.output, why).not.toMatch(/STLINK V\d/); // it never got a version answer
  });
});
