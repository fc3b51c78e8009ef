/**
 * Builds the stand-in libusb-1.0 (libusb-standin/libusb_standin.c) with gcc against the
 * libusb-1.0-0-dev headers, into test/conformance/build/ (gitignored), once per source
 * change. A third-party program that finds this libusb-1.0.so.0 first on LD_LIBRARY_PATH
 * talks to the virtual probe's socket (docs/spec/simulator.md §7) instead of real USB.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export const STANDIN_SOURCE = join(here, 'libusb-standin', 'libusb_standin.c');
export const STANDIN_BUILD_DIR = join(here, 'build');
/** The soname the dynamic loader looks for when OpenOCD (or stm8flash) starts. */
export const STANDIN_SONAME = 'libusb-1.0.so.0';

/** Every libusb function OpenOCD 0.12 (Debian) imports: `nm -D --undefined-only $(which openocd)`. */
export const OPENOCD_012_LIBUSB_IMPORTS = [
  'libusb_alloc_transfer', 'libusb_bulk_transfer', 'libusb_cancel_transfer', 'libusb_claim_interface',
  'libusb_clear_halt', 'libusb_close', 'libusb_control_transfer', 'libusb_detach_kernel_driver',
  'libusb_error_name', 'libusb_exit', 'libusb_free_config_descriptor', 'libusb_free_device_list',
  'libusb_free_transfer', 'libusb_get_bus_number', 'libusb_get_config_descriptor', 'libusb_get_configuration',
  'libusb_get_device', 'libusb_get_device_descriptor', 'libusb_get_device_list', 'libusb_get_port_numbers',
  'libusb_get_string_descriptor_ascii', 'libusb_handle_events_completed', 'libusb_handle_events_timeout_completed',
  'libusb_init', 'libusb_open', 'libusb_release_interface', 'libusb_reset_device',
  'libusb_set_auto_detach_kernel_driver', 'libusb_set_configuration', 'libusb_set_interface_alt_setting',
  'libusb_strerror', 'libusb_submit_transfer',
] as const;

// -fvisibility=hidden: only the functions marked STANDIN_EXPORT become dynamic symbols, so the
// library's surface is exactly the libusb API it means to offer. -Werror keeps it warning-free.
const GCC_FLAGS = ['-shared', '-fPIC', '-O2', '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden'];

/** Where <libusb.h> lives: pkg-config when present, else Debian's path. Null when not installed. */
export async function findLibusbIncludeDir(): Promise<string | null> {
  try {
    const { stdout } = await run('pkg-config', ['--cflags-only-I', 'libusb-1.0'], { timeout: 10_000 });
    for (const flag of stdout.trim().split(/\s+/)) {
      const dir = flag.replace(/^-I/, '');
      if (dir && existsSync(join(dir, 'libusb.h'))) return dir;
    }
  } catch {
    // pkg-config is optional: fall through to the well-known location.
  }
  const debian = '/usr/include/libusb-1.0';
  return existsSync(join(debian, 'libusb.h')) ? debian : null;
}

let building: Promise<string> | null = null;

/**
 * Compiles the stand-in if the source (or flags, or header location) changed since the last
 * build, and returns the directory to put first on LD_LIBRARY_PATH. Safe to call from several
 * test files at once: each compiles to a private temporary name and renames into place.
 */
export function buildStandin(): Promise<string> {
  building ??= doBuild().catch((e: unknown) => {
    building = null;
    throw e;
  });
  return building;
}

async function doBuild(): Promise<string> {
  const includeDir = await findLibusbIncludeDir();
  if (!includeDir) {
    throw new Error('libusb.h not found: install the libusb-1.0-0-dev package (see .ci/apt-packages.txt)');
  }
  const source = await readFile(STANDIN_SOURCE);
  const key = createHash('sha256').update(source).update(GCC_FLAGS.join(' ')).update(includeDir).digest('hex');
  const lib = join(STANDIN_BUILD_DIR, STANDIN_SONAME);
  const stamp = `${lib}.sha256`;
  if (existsSync(lib) && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === key) {
    return STANDIN_BUILD_DIR;
  }
  await mkdir(STANDIN_BUILD_DIR, { recursive: true });
  const tmp = `${lib}.tmp-${process.pid}-${Date.now()}`;
  try {
    await run(
      'gcc',
      [...GCC_FLAGS, `-I${includeDir}`, `-Wl,-soname,${STANDIN_SONAME}`, '-o', tmp, STANDIN_SOURCE],
      { timeout: 60_000 },
    );
  } catch (e) {
    await rm(tmp, { force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`gcc could not build the libusb stand-in:\n${err.stderr ?? err.message}`, { cause: e });
  }
  await rename(tmp, lib);
  await writeFile(stamp, key + '\n');
  return STANDIN_BUILD_DIR;
}

/** The dynamic symbols the built library defines (for checking it covers a client's imports). */
export async function definedSymbols(libDir: string): Promise<Set<string>> {
  const { stdout } = await run('nm', ['-D', '--defined-only', join(libDir, STANDIN_SONAME)], { timeout: 10_000 });
  return new Set(
    stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[2])
      .filter((s): s is string => Boolean(s)),
  );
}

/** The libusb symbols an executable imports (`nm -D --undefined-only`). */
export async function importedLibusbSymbols(executable: string): Promise<string[]> {
  const { stdout } = await run('nm', ['-D', '--undefined-only', executable], { timeout: 10_000 });
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop() ?? '')
    .filter((s) => s.startsWith('libusb_'))
    .map((s) => s.replace(/@.*$/, ''));
}
