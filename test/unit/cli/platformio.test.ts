import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimServer } from '../../conformance/harness';
import { validateState } from '../../../src/main/sim/index';
import { MemoryImage, writeIntelHex } from '#shared/image/index';
import { scratch } from './helpers';

/**
 * The PlatformIO tool package (assets/platformio) run exactly as platform-ststm8's builder
 * runs it: `stm8flash -c $UPLOAD_PROTOCOL -p <part> -s flash -w firmware.hex`, through a
 * symlinked package folder as `platform_packages = tool-stm8flash @ symlink://...` makes it.
 * The chip is a virtual probe served in another process with a state file, so after the
 * upload the test reads what the chip holds — not what the launcher printed.
 */
const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tmp = scratch();
afterAll(() => tmp.cleanup());

function firmware(n: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 37 + 11) & 0xff;
  return d;
}

/** PlatformIO links the package folder; the launcher must find SWIM Studio through the link. */
function linkedPackage(): string {
  const link = tmp.path('tool-stm8flash');
  symlinkSync(join(repo, 'assets', 'platformio'), link, 'dir');
  return link;
}

describe('PlatformIO tool package', () => {
  const pkg = linkedPackage();

  it('declares itself as tool-stm8flash and ships both launchers', () => {
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(manifest.name).toBe('tool-stm8flash');
    // platform-ststm8 asks for tool-stm8flash ~1.1.0: the version must satisfy it
    expect(manifest.version).toMatch(/^1\.1\.\d+/);
    expect(readFileSync(join(pkg, 'stm8flash.cmd'), 'utf8')).toContain('stm8flash %*');
  });

  it('uploads firmware.hex to the chip behind a served virtual probe', async () => {
    const state = tmp.path('chip.json');
    const server = await startSimServer({ probe: 'stlinkv3', part: 'stm8s103f3', stateFile: state, clock: 'virtual' });
    const fw = firmware(2048);
    const hex = tmp.path('firmware.hex');
    writeFileSync(hex, writeIntelHex(MemoryImage.fromBytes('firmware.hex', 0x8000, fw)));
    let result: { stdout: string; stderr: string };
    try {
      // the builder's exact argument list, run from the project folder with a relative $SOURCE
      result = await run(join(pkg, 'stm8flash'), ['-c', 'stlinkv3', '-p', 'stm8s103?3', '-s', 'flash', '-w', 'firmware.hex'], {
        cwd: tmp.dir,
        env: { ...process.env, SWIM_STUDIO_SIM_SOCKET: server.socketPath, SWIM_STUDIO_VIRTUAL: '' },
        timeout: 60_000,
      });
    } finally {
      await server.stop();
    }
    expect(result.stderr).toContain('Determine FLASH area');
    expect(result.stderr).toContain('"firmware.hex" is considered as INTEL HEX format!');
    expect(result.stderr).toContain('2048 bytes at 0x8000... OK');
    expect(result.stderr).toContain('Bytes written: 2048');
    const chip = validateState(JSON.parse(readFileSync(state, 'utf8')));
    const flash = new Uint8Array(Buffer.from(chip.memories.flash, 'base64'));
    expect([...flash.subarray(0, 2048)]).toEqual([...fw]);
  });

  it('works with SWIM_STUDIO_VIRTUAL too, and exits with a small code on failure', async () => {
    const hex = tmp.path('fw2.hex');
    writeFileSync(hex, writeIntelHex(MemoryImage.fromBytes('fw2.hex', 0x8000, firmware(256))));
    const env = { ...process.env, SWIM_STUDIO_VIRTUAL: 'stlinkv2:stm8s103f3', SWIM_STUDIO_SIM_SOCKET: '' };
    const ok = await run(join(pkg, 'stm8flash'), ['-c', 'stlinkv2', '-p', 'stm8s103?3', '-s', 'flash', '-w', hex], { env, timeout: 60_000 });
    expect(ok.stderr).toContain('Bytes verified: 256');
    const failed = await run(join(pkg, 'stm8flash'), ['-c', 'stlinkv2', '-p', 'stm8s103?3', '-s', 'flash', '-w', tmp.path('missing.hex')], {
      env,
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/missing\.hex/);
  });
});
