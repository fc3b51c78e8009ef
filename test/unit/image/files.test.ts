import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFile, readImageFiles, writeImageFile } from '../../../src/main/files/image-files';
import { writeFileAtomic } from '../../../src/main/files/atomic-write';
import { MemoryImage } from '#shared/image/memory-image';
import { hexRecord, pattern, rejection, sampleImage } from './helpers';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swim-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('image files on disk', () => {
  it('saves and reloads every format, choosing it from the extension', async () => {
    const img = sampleImage({ above64k: true });
    for (const name of ['fw.hex', 'fw.s19', 'fw.elf']) {
      const path = join(dir, name);
      const { format } = await writeImageFile(path, img);
      const back = await readImageFile(path);
      expect(back.format).toBe(format);
      expect(back.image.equals(img)).toBe(true);
      expect(back.image.sourceAt(0x8000)).toBe(name);
    }
    const s19 = await readFile(join(dir, 'fw.s19'), 'latin1');
    expect(s19.startsWith('S0')).toBe(true);
    expect(Buffer.from(s19.split('\n')[0].slice(8, -2), 'hex').toString('latin1')).toBe('fw.s19'); // STVP-style header
  });

  it('a parse error names the file and line; the display name can be chosen', async () => {
    const path = join(dir, 'broken.hex');
    await writeFile(path, hexRecord(0, 0x8000, [1, 2]) + '\n' + ':0400000001\n');
    const err = await rejection(readImageFile(path, { displayName: 'project/broken.hex' }));
    expect(err.code).toBe('bad-file');
    expect(err.message.startsWith('project/broken.hex:2: ')).toBe(true);
  });

  it('several files merge into one image; a clash names both files', async () => {
    await writeFile(join(dir, 'code.hex'), hexRecord(0, 0x8000, [1, 2, 3]) + '\n:00000001FF\n');
    await writeFile(join(dir, 'data.s19'), 'S10540000A0BA5\nS9030000FC\n');
    const merged = await readImageFiles([join(dir, 'code.hex'), join(dir, 'data.s19')]);
    expect(merged.ranges).toEqual([
      { start: 0x4000, end: 0x4001 },
      { start: 0x8000, end: 0x8002 },
    ]);
    expect(merged.sourceAt(0x4000)).toBe('data.s19');
    await writeFile(join(dir, 'patch.hex'), hexRecord(0, 0x8001, [9]) + '\n:00000001FF\n');
    const err = await rejection(readImageFiles([join(dir, 'code.hex'), join(dir, 'patch.hex')]));
    expect(err.code).toBe('image-overlap');
    expect(err.message).toBe('code.hex and patch.hex both hold 0x8001 with different data (first difference at 0x8001: 0x02 in code.hex, 0x09 in patch.hex)');
  });

  it('a missing file and a folder give file errors naming the path', async () => {
    const missing = await rejection(readImageFile(join(dir, 'nope.hex')));
    expect(missing.code).toBe('file-not-found');
    expect(missing.message).toContain('nope.hex');
    const folder = await rejection(readImageFile(dir));
    expect(folder.code).toBe('file-read');
    expect(folder.message).toContain('it is a folder');
  });

  it('a failed save leaves the existing file untouched and no temporary file behind', async () => {
    const path = join(dir, 'keep.bin');
    await writeFile(path, 'precious');
    const gappy = MemoryImage.fromSegments('x', [
      { address: 0x8000, data: pattern(4) },
      { address: 0x9000, data: pattern(4) },
    ]);
    const err = await rejection(writeImageFile(path, gappy)); // a binary cannot hold the gap
    expect(err.code).toBe('image-gap');
    expect(await readFile(path, 'latin1')).toBe('precious');

    const noFolder = await rejection(writeImageFile(join(dir, 'missing-dir', 'x.hex'), gappy));
    expect(noFolder.code).toBe('file-write');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('an atomic write replaces the file whole and keeps its permission bits', async () => {
    const path = join(dir, 'script.hex');
    await writeFile(path, 'old');
    await chmod(path, 0o640);
    await writeFileAtomic(path, new TextEncoder().encode('new content'));
    expect(await readFile(path, 'latin1')).toBe('new content');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writing over a folder fails without touching it', async () => {
    const sub = join(dir, 'sub.hex');
    await mkdir(sub);
    const err = await rejection(writeFileAtomic(sub, new Uint8Array([1])));
    expect(err.code).toBe('file-write');
    expect((await stat(sub)).isDirectory()).toBe(true);
  });
});
