/**
 * Issue 13 items 1 and 2: files that are not regular files. Reading an image refuses
 * devices, FIFOs and folders at once and never reads past the size limit; saving follows a
 * symlink to its target, refuses what it cannot replace safely, and respects a read-only file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/main/files/regular-file';
import { writeFileAtomic } from '../../src/main/files/atomic-write';
import { readImageFile } from '../../src/main/files/image-files';
import { readImageBytes } from '../../src/main/files/image-files';
import { cli } from '../unit/cli/helpers';
import { rejection } from '../unit/image/helpers';

const dir = mkdtempSync(join(tmpdir(), 'swim-nonregular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);

function fifo(name: string): string {
  const path = at(name);
  execFileSync('mkfifo', [path]);
  return path;
}

const posix = process.platform !== 'win32';

describe.runIf(posix)('reading an image refuses what is not a regular file', () => {
  it('a FIFO without a writer fails at once instead of waiting forever', async () => {
    const path = fifo('pipe.hex');
    const e = await rejection(readImageFile(path));
    expect(e.code).toBe('file-read');
    expect(e.message).toMatch(/named pipe/);
    // The app's file reader too.
    expect((await rejection(readImageBytes(path))).message).toMatch(/named pipe/);
  });

  it('a device is refused before one byte is read (stat().size is 0 for /dev/zero)', async () => {
    const e = await rejection(readImageFile('/dev/zero'));
    expect(e.code).toBe('file-read');
    expect(e.message).toMatch(/character device/);
    expect((await rejection(readImageBytes('/dev/zero'))).message).toMatch(/character device/);
  });

  it('a folder is refused', async () => {
    mkdirSync(at('folder.hex'));
    expect((await rejection(readImageFile(at('folder.hex')))).message).toMatch(/folder/);
  });

  it('reading stops at the limit + 1 byte, whatever the file claims', async () => {
    writeFileSync(at('big.bin'), new Uint8Array(1000));
    const e = await rejection(readRegularFile(at('big.bin'), 999));
    expect(e.code).toBe('file-too-large');
    expect(await readRegularFile(at('big.bin'), 1000)).toHaveLength(1000);
  });
});

describe.runIf(posix)('saving replaces only regular files, and only writable ones', () => {
  const data = new TextEncoder().encode('new');

  it('follows a symlink: the target gets the bytes, the link stays a link', async () => {
    writeFileSync(at('target.hex'), 'old');
    symlinkSync('target.hex', at('link.hex'));
    await writeFileAtomic(at('link.hex'), data);
    expect(lstatSync(at('link.hex')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(at('link.hex'))).toBe('target.hex');
    expect(readFileSync(at('target.hex'), 'utf8')).toBe('new');
  });

  it('a symlink to a file not there yet creates the target', async () => {
    symlinkSync('later.hex', at('dangling.hex'));
    await writeFileAtomic(at('dangling.hex'), data);
    expect(lstatSync(at('dangling.hex')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('later.hex'), 'utf8')).toBe('new');
  });

  it('a FIFO and a folder are refused and stay what they were', async () => {
    const path = fifo('out.hex');
    const e = await rejection(writeFileAtomic(path, data));
    expect(e.code).toBe('file-write');
    expect(e.message).toMatch(/named pipe/);
    expect(statSync(path).isFIFO()).toBe(true);
    mkdirSync(at('out-folder.hex'));
    expect((await rejection(writeFileAtomic(at('out-folder.hex'), data))).message).toMatch(/folder/);
    expect(statSync(at('out-folder.hex')).isDirectory()).toBe(true);
  });

  it('a device node is refused and stays a device', async () => {
    // A private device node (needs root to make) rather than the real /dev/null: if this
    // check ever broke, the test must not replace a system file.
    const path = at('null-device');
    try {
      execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      return; // not root: the FIFO test above covers the same check
    }
    const e = await rejection(writeFileAtomic(path, data));
    expect(e.message).toMatch(/character device/);
    expect(statSync(path).isCharacterDevice()).toBe(true);
  });

  it('a read-only file is a file-access error and is left untouched (also as root)', async () => {
    writeFileSync(at('ro.hex'), 'old');
    chmodSync(at('ro.hex'), 0o444);
    const e = await rejection(writeFileAtomic(at('ro.hex'), data));
    expect(e.code).toBe('file-access');
    expect(readFileSync(at('ro.hex'), 'utf8')).toBe('old');
    expect(statSync(at('ro.hex')).mode & 0o777).toBe(0o444);
  });
});

describe.runIf(posix)('the CLI refuses a bad destination before it connects', () => {
  it('read into a FIFO or a read-only file answers with the file error even when the target is not powered', async () => {
    const noPower = ['--json', '--virtual', 'stlinkv3:stm8s103f3:no-power'];
    const pipe = fifo('dest.hex');
    const r = await cli(...noPower, 'read', pipe);
    expect((r.json() as { error: { code: string } }).error.code).toBe('file-write');
    expect(r.code).toBe(1);
    writeFileSync(at('dest-ro.hex'), 'old');
    chmodSync(at('dest-ro.hex'), 0o444);
    const ro = await cli(...noPower, 'read', at('dest-ro.hex'));
    expect((ro.json() as { error: { code: string } }).error.code).toBe('file-access');
    const sf = await cli('--virtual', 'stlinkv3:stm8s103f3:no-power', 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s103f3', '-s', 'flash', '-r', pipe);
    expect(sf.code).toBe(1);
    expect(sf.err.join('\n')).toMatch(/named pipe/);
    expect(statSync(pipe).isFIFO()).toBe(true);
  });
});
