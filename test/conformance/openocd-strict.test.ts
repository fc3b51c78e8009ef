/**
 * OpenOCD 0.12 works on real probes, so it must work against the strict virtual probe too:
 * every asynchronous SWIM command it sends is polled (`stlink_cmd_allow_retry`), READBUF
 * follows a polled READMEM (`stlink_swim_readbytes`), and `stm8_write_flash` reads EOP after
 * every block before the next CR2 write. Under every timing variation it programs and
 * verifies, and the server logs not one protocol violation. If this fails, the simulator's
 * rule is wrong, not OpenOCD.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceTools } from './harness';
import { openOcdAgainst, SCENARIO_TIMEOUT_MS } from './served';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { writeBin } from './images';

const tools = await conformanceTools();
const skip = tools.missing.length > 0 && !process.env.CI;
if (skip) console.warn(`[conformance] OpenOCD runs skipped: missing ${tools.missing.join(', ')}`);

const FLASH = 0x8000;
const SIZE = 2048;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-openocd-strict-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(skip)('OpenOCD 0.12 against the strict virtual probe', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  for (const timing of ['slow', 'fast', 'jitter=7']) {
    it.concurrent(`--timing ${timing}: loads and verifies 2 KB of flash with zero protocol violations`, async ({ expect }) => {
      const image = pseudoRandomBytes(SIZE, 0x5717 ^ timing.length);
      const bin = await writeBin(join(work, `flash-${timing}.bin`), image);
      const served = await openOcdAgainst(
        { probe: 'stlinkv2', part: 'stm8s103f3', timing, via: 'command' },
        {
          configs: ['interface/stlink-dap.cfg', 'target/stm8s103.cfg'],
          commands: ['init', 'reset halt', `load_image ${bin} 0x${FLASH.toString(16)} bin`, `verify_image ${bin} 0x${FLASH.toString(16)} bin`],
        },
      );
      expect(served.run.exitCode, served.why).toBe(0);
      expect(served.run.output, served.why).toContain(`verified ${SIZE} bytes`);
      expect(served.exit.stderr, served.why).not.toMatch(/protocol violation/);
    });
  }
});
