/**
 * The engine and OpenOCD 0.12 take turns on one virtual chip served on a socket: what the
 * engine programs must pass OpenOCD's verify_image, and what OpenOCD writes on top must
 * read back identical through the engine. The two programmers share nothing but the chip,
 * so each checks the other's idea of the protocol (and both check the virtual probe).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTarget } from '../../src/main/jobs/index';
import { conformanceTools, runOpenOcd, startSimServer, type SimProbeVariant } from './harness';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { firstDifference, writeBin } from './images';
import { mapRange, parseMdb } from './openocd-output';
import { explain, RUN_TIMEOUT_MS, SCENARIO_TIMEOUT_MS } from './served';
import { readTargetState } from './target-state';

const tools = await conformanceTools();
const skip = tools.missing.length > 0 && !process.env.CI;
if (skip) console.warn(`[conformance] engine/OpenOCD runs skipped: missing ${tools.missing.join(', ')}`);

const FLASH = 0x8000;
const EEPROM = 0x4000;
const hex = (n: number) => `0x${n.toString(16)}`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-engine-openocd-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** `base` with `patch` laid over it at `offset`. */
function overlay(base: Uint8Array, patch: Uint8Array, offset: number): Uint8Array {
  const out = new Uint8Array(Math.max(base.length, offset + patch.length));
  out.set(base);
  out.set(patch, offset);
  return out;
}

const cases: { probe: SimProbeVariant; part: string; targetCfg: string; seed: number }[] = [
  { probe: 'stlinkv2', part: 'stm8s103f3', targetCfg: 'target/stm8s103.cfg', seed: 0xe103 },
  { probe: 'stlinkv3', part: 'stm8s105c6', targetCfg: 'target/stm8s105.cfg', seed: 0xe105 },
];

describe.skipIf(skip)('the engine and OpenOCD on the same virtual chip', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  for (const c of cases) {
    it.concurrent(
      `${c.probe} + ${c.part}: OpenOCD verifies what the engine programmed; the engine reads back what OpenOCD wrote`,
      async ({ expect }) => {
        // Engine image: 4 KB of flash, 128 B of EEPROM. OpenOCD's: 2 KB and 64 B that overlap
        // the second half of each, so OpenOCD rewrites blocks the engine wrote.
        const engineFlash = pseudoRandomBytes(4096, c.seed);
        const engineEeprom = pseudoRandomBytes(128, c.seed + 1);
        const oocdFlash = pseudoRandomBytes(2048, c.seed + 2);
        const oocdEeprom = pseudoRandomBytes(64, c.seed + 3);
        const OOCD_FLASH_AT = FLASH + 2048;
        const OOCD_EEPROM_AT = EEPROM + 64;
        const files = {
          engineFlash: await writeBin(join(work, `${c.probe}-engine-flash.bin`), engineFlash),
          engineEeprom: await writeBin(join(work, `${c.probe}-engine-eeprom.bin`), engineEeprom),
          oocdFlash: await writeBin(join(work, `${c.probe}-oocd-flash.bin`), oocdFlash),
          oocdEeprom: await writeBin(join(work, `${c.probe}-oocd-eeprom.bin`), oocdEeprom),
        };
        const stateFile = join(work, `${c.probe}-engine.state`);
        const server = await startSimServer({ probe: c.probe, part: c.part, stateFile, via: 'command' });
        let serverLog: string;
        try {
          // 1. The engine programs (verify-after-write on) and lets the chip run.
          const first = await connectTarget({ simSocket: server.socketPath, part: c.part });
          const report = await first.program({
            segments: [
              { address: FLASH, data: engineFlash },
              { address: EEPROM, data: engineEeprom },
            ],
          });
          await first.close();
          expect(report.bytesWritten).toBe(4096 + 128);
          await server.waitForLog('client disconnected', 1);

          // 2. OpenOCD verifies the engine's bytes, then writes its own over part of them.
          const oocd = await runOpenOcd({
            socketPath: server.socketPath,
            configs: ['interface/stlink-dap.cfg', c.targetCfg],
            commands: [
              'init',
              'reset halt',
              `verify_image ${files.engineFlash} ${hex(FLASH)} bin`,
              `verify_image ${files.engineEeprom} ${hex(EEPROM)} bin`,
              `load_image ${files.oocdFlash} ${hex(OOCD_FLASH_AT)} bin`,
              `load_image ${files.oocdEeprom} ${hex(OOCD_EEPROM_AT)} bin`,
              'reset run',
            ],
            timeoutMs: RUN_TIMEOUT_MS,
          });
          const why = `${explain(oocd)}\n--- server ---\n${server.log()}`;
          expect(oocd.exitCode, why).toBe(0);
          expect(oocd.output, why).toContain('verified 4096 bytes');
          expect(oocd.output, why).toContain('verified 128 bytes');
          await server.waitForLog('client disconnected', 2);

          // 3. The engine reads back both programmers' work.
          const second = await connectTarget({ simSocket: server.socketPath, part: c.part });
          const flash = await second.read({ start: FLASH, length: 4096 });
          const eeprom = await second.read({ start: EEPROM, length: 128 });
          await second.close();
          const expectedFlash = overlay(engineFlash, oocdFlash, OOCD_FLASH_AT - FLASH);
          const expectedEeprom = overlay(engineEeprom, oocdEeprom, OOCD_EEPROM_AT - EEPROM);
          expect(flash.protected).toBe(false);
          expect(firstDifference(flash.data, expectedFlash, FLASH), 'engine read of flash').toBeNull();
          expect(firstDifference(eeprom.data, expectedEeprom, EEPROM), 'engine read of EEPROM').toBeNull();
        } finally {
          const exit = await server.stop();
          serverLog = exit.stdout + exit.stderr;
        }
        // 4. And the chip itself agrees (the state file written at SIGTERM).
        const state = await readTargetState(stateFile, c.probe, c.part);
        expect(firstDifference(state.peek(FLASH, 4096), overlay(engineFlash, oocdFlash, 2048), FLASH), serverLog).toBeNull();
        expect(firstDifference(state.peek(EEPROM, 128), overlay(engineEeprom, oocdEeprom, 64), EEPROM), serverLog).toBeNull();
      },
    );
  }

  it.concurrent('option bytes: OpenOCD reads what the engine wrote, and the engine decodes what OpenOCD wrote', async ({ expect }) => {
    const part = 'stm8s103f3';
    const stateFile = join(work, 'options.state');
    const server = await startSimServer({ probe: 'stlinkv2', part, stateFile, via: 'command' });
    let serverLog: string;
    try {
      // 1. The engine sets AFR0 and AFR7 (OPT2 = 0x81, NOPT2 = 0x7E), complements its own job.
      const first = await connectTarget({ simSocket: server.socketPath, part });
      const wrote = await first.writeOptionBytes({ changes: { AFR0: 1, AFR7: 1 } });
      await first.close();
      expect(wrote.written).toEqual([
        { address: 0x4803, value: 0x81 },
        { address: 0x4804, value: 0x7e },
      ]);
      await server.waitForLog('client disconnected', 1);

      // 2. OpenOCD sees it, then writes OPT3 = LSI_EN (0x08) with its complement, byte by byte
      //    (stm8_write_flash: DUKR unlock, CR2 = OPT, EOP poll per byte).
      const oocd = await runOpenOcd({
        socketPath: server.socketPath,
        configs: ['interface/stlink-dap.cfg', 'target/stm8s103.cfg'],
        commands: ['init', 'reset halt', 'mdb 0x4800 11', 'mwb 0x4805 0x08', 'mwb 0x4806 0xf7', 'reset halt', 'mdb 0x4800 11'],
        timeoutMs: RUN_TIMEOUT_MS,
      });
      const why = `${explain(oocd)}\n--- server ---\n${server.log()}`;
      expect(oocd.exitCode, why).toBe(0);
      const dumps = oocd.output.split('\n').filter((l) => l.startsWith('0x00004800:'));
      expect(dumps, why).toHaveLength(2);
      expect(mapRange(parseMdb(dumps[0]), 0x4800, 11), why).toEqual([0x00, 0x00, 0xff, 0x81, 0x7e, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff]);
      expect(mapRange(parseMdb(dumps[1]), 0x4800, 11), why).toEqual([0x00, 0x00, 0xff, 0x81, 0x7e, 0x08, 0xf7, 0x00, 0xff, 0x00, 0xff]);
      await server.waitForLog('client disconnected', 2);

      // 3. The engine decodes both programmers' bytes, complements intact.
      const second = await connectTarget({ simSocket: server.socketPath, part });
      const read = await second.readOptionBytes();
      await second.close();
      expect(read.complementErrors).toEqual([]);
      expect(read.ropActive).toBe(false);
      const byName = new Map(read.decoded.map((d) => [d.name, d]));
      expect(byName.get('OPT2')?.value).toBe(0x81);
      expect(byName.get('OPT3')?.value).toBe(0x08);
      expect(byName.get('OPT3')?.fields.find((f) => f.name === 'LSI_EN')?.value).toBe(1);
    } finally {
      const exit = await server.stop();
      serverLog = exit.stdout + exit.stderr;
    }
    const state = await readTargetState(stateFile, 'stlinkv2', part);
    expect(Array.from(state.peek(0x4803, 4)), serverLog).toEqual([0x81, 0x7e, 0x08, 0xf7]);
  });
});
