/**
 * The OpenOCD conformance harness, in one import for tests and benchmarks (bench/):
 * - buildStandin(): compile the stand-in libusb (cached) and return its directory;
 * - runOpenOcd(opts): run OpenOCD against a virtual probe's socket, bounded, with wall time;
 * - startSimServer(opts): serve a virtual probe with `swim-studio sim serve` in a child process;
 * - parseTransfers(output): OpenOCD's own "downloaded/verified N bytes in Xs" timings;
 * - conformanceTools(): what is missing on this machine to run any of it.
 *
 * A benchmark timing OpenOCD against the engine, in outline:
 *   const sim = await startSimServer({ probe: 'stlinkv3', part: 'stm8s105c6', via: 'command' });
 *   const r = await runOpenOcd({ socketPath: sim.socketPath, configs: ['interface/stlink-dap.cfg', 'target/stm8s105.cfg'],
 *     commands: ['init', 'reset halt', `load_image ${bin} 0x8000 bin`, `verify_image ${bin} 0x8000 bin`] });
 *   r.wallMs (whole process) / parseTransfers(r.output) (load and verify alone); await sim.stop();
 */
import { findLibusbIncludeDir } from './standin';
import { openOcdVersion } from './openocd-runner';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export { buildStandin, STANDIN_BUILD_DIR, STANDIN_SONAME, OPENOCD_012_LIBUSB_IMPORTS } from './standin';
export { runOpenOcd, openOcdVersion, DEFAULT_OPENOCD_CONFIGS } from './openocd-runner';
export type { RunOpenOcdOptions, OpenOcdResult } from './openocd-runner';
export { startSimServer } from './sim-process';
export { parseTransfers, parseMdb, mapRange } from './openocd-output';
export type { OpenOcdTransfer } from './openocd-output';
export { writeBin } from './images';
export type { SimServer, SimServerOptions, SimServerExit, SimProbeVariant } from './sim-process';

const run = promisify(execFile);

export interface ConformanceTools {
  /** OpenOCD version ("0.12.0"), or null when not installed. */
  openocd: string | null;
  gcc: boolean;
  libusbHeaders: boolean;
  /** Empty when everything is there; otherwise what to install, for a skip message. */
  missing: string[];
}

async function hasGcc(): Promise<boolean> {
  try {
    await run('gcc', ['--version'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function conformanceTools(): Promise<ConformanceTools> {
  const [openocd, gcc, headers] = await Promise.all([openOcdVersion(), hasGcc(), findLibusbIncludeDir()]);
  const missing: string[] = [];
  if (!openocd) missing.push('openocd (Debian package "openocd")');
  if (!gcc) missing.push('gcc');
  if (!headers) missing.push('libusb headers (Debian package "libusb-1.0-0-dev")');
  return { openocd, gcc, libusbHeaders: headers !== null, missing };
}
