/**
 * Packaging: `electron-builder --dir` with electron-builder.yml, on a stub Electron
 * distribution (the real binary cannot be downloaded here), then a look inside the result:
 * main, preload and renderer inside app.asar, the `usb` native addon unpacked beside it,
 * no sources or dev-only packages shipped. The build goes to a temporary folder
 * (electron-vite --outDir), so tests serving out/renderer at the same time are undisturbed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let tmp: string;
let unpacked: string;
let asarFiles: Map<string, { unpacked?: boolean; size?: number; offset?: string }>;
let asarBuffer: Buffer;
let asarDataStart: number;

/** Reads an asar archive's header: 4-byte pickle size, then a pickle holding the JSON index. */
function readAsar(file: string) {
  const buf = readFileSync(file);
  const headerSize = buf.readUInt32LE(4);
  const jsonLength = buf.readUInt32LE(12);
  const header = JSON.parse(buf.subarray(16, 16 + jsonLength).toString('utf8'));
  const files = new Map<string, { unpacked?: boolean; size?: number; offset?: string }>();
  const walk = (node: { files?: Record<string, unknown> }, prefix: string): void => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const c = child as { files?: Record<string, unknown>; unpacked?: boolean; size?: number; offset?: string };
      if (c.files) walk(c, `${prefix}${name}/`);
      else files.set(prefix + name, c);
    }
  };
  walk(header, '');
  return { files, buf, dataStart: 8 + headerSize };
}

function asarText(path: string): string {
  const e = asarFiles.get(path)!;
  const start = asarDataStart + Number(e.offset);
  return asarBuffer.subarray(start, start + (e.size ?? 0)).toString('utf8');
}

/** @electron/fuses' marker before the fuse wire in an Electron executable. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The fuses in wire order (@electron/fuses FuseV1Options), with a stock Electron's states. */
const FUSE_NAMES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];
const ELECTRON_DEFAULT_FUSES = '10110001';

function fuseWire(states: string): Buffer {
  return Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, states.length]), Buffer.from(states)]);
}

/** Fuse name → on/off, as the packaged executable has them. */
function readFuses(executable: string): Record<string, boolean> {
  const bin = readFileSync(executable);
  const at = bin.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const length = bin[at + 1];
  const states = bin.subarray(at + 2, at + 2 + length).toString('latin1');
  return Object.fromEntries(FUSE_NAMES.slice(0, length).map((name, i) => [name, states[i] === '1']));
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'swim-pack-'));
  run(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', join(tmp, 'out'), '--logLevel', 'warn']);

  // A stub Electron distribution: what electron-builder copies for an "unpacked" electronDist.
  const dist = join(tmp, 'electron-dist');
  mkdirSync(join(dist, 'resources'), { recursive: true });
  mkdirSync(join(dist, 'locales'));
  // With a fuse wire as Electron's binary has one (sentinel, version 1, length, one byte a
  // fuse: '1' on, '0' off), in Electron's default states, for electron-builder to flip.
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub electron"\nexit 0\n'), fuseWire(ELECTRON_DEFAULT_FUSES)]));
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'locales', 'en-US.pak'), '');
  writeFileSync(join(dist, 'LICENSE'), 'stub');

  // electron-builder.yml as is, except where the build output comes from and where it goes:
  // its `files` list with the "out/**" entry pointed at the temporary build.
  const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  const block = /^files:\n((?:\s+-.*\n|\s*#.*\n)+)/m.exec(yml);
  if (!block) throw new Error('electron-builder.yml has no files list');
  const files = [...block[1].matchAll(/^\s+-\s+'?([^'\n]+?)'?\s*$/gm)].map((m) => m[1]);
  expect(files).toContain('out/**');
  const fileSets = files.map((f) => (f === 'out/**' ? { from: join(tmp, 'out'), to: 'out', filter: ['**/*'] } : f));
  const script = `
    import { build, Platform } from 'electron-builder';
    await build({
      projectDir: ${JSON.stringify(ROOT)},
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      config: {
        extends: ${JSON.stringify(join(ROOT, 'electron-builder.yml'))},
        electronDist: ${JSON.stringify(dist)},
        directories: { output: ${JSON.stringify(join(tmp, 'dist'))} },
        files: ${JSON.stringify(fileSets)},
      },
    });`;
  run(process.execPath, ['--input-type=module', '-e', script]);
  unpacked = join(tmp, 'dist', 'linux-unpacked');
  const a = readAsar(join(unpacked, 'resources', 'app.asar'));
  asarFiles = a.files;
  asarBuffer = a.buf;
  asarDataStart = a.dataStart;
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('electron-builder --dir layout', () => {
  it('names the Linux executable swim-studio', () => {
    expect(existsSync(join(unpacked, 'swim-studio'))).toBe(true);
  });

  it('puts main, preload and renderer inside app.asar, packed', () => {
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(asarFiles.has(f), f).toBe(true);
      expect(asarFiles.get(f)!.unpacked, f).toBeFalsy();
    }
    expect([...asarFiles.keys()].some((f) => /^out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    const pkg = JSON.parse(asarText('package.json')) as { main: string };
    expect(asarFiles.has(pkg.main.replace(/^\.\//, ''))).toBe(true);
  });

  it('ships the page with its strict CSP and a CommonJS preload (sandboxed preloads cannot be ESM)', () => {
    expect(asarText('out/renderer/index.html')).toMatch(/Content-Security-Policy[\s\S]*script-src 'self'/);
    const preload = asarText('out/preload/index.cjs');
    // A sandboxed preload may require only 'electron' (and a few builtins): everything else is bundled in.
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('unpacks the usb native addon beside the asar, where it can be loaded', () => {
    const nodeFiles = [...asarFiles.entries()].filter(([f]) => f.endsWith('.node'));
    expect(nodeFiles.length).toBeGreaterThan(0);
    for (const [f, e] of nodeFiles) {
      expect(e.unpacked, f).toBe(true);
      expect(existsSync(join(unpacked, 'resources', 'app.asar.unpacked', f)), f).toBe(true);
    }
    expect(asarFiles.get('node_modules/usb/package.json')?.unpacked).toBe(true);
  });

  it('ships the runtime dependencies and no sources, tests or dev tools', () => {
    for (const dep of ['zod', 'ws', 'nrf-intel-hex']) {
      expect([...asarFiles.keys()].some((f) => f.startsWith(`node_modules/${dep}/`)), dep).toBe(true);
    }
    for (const f of asarFiles.keys()) {
      expect(f).not.toMatch(/^(src|test|bench)\//);
      expect(f).not.toMatch(/^node_modules\/(vite|vitest|electron|typescript|tsx|esbuild)\//);
      expect(f).not.toMatch(/\.map$/);
    }
  });

  it('flips the Electron fuses: no Node mode, no NODE_OPTIONS or --inspect, app code only from the checked asar', () => {
    expect(readFuses(join(unpacked, 'swim-studio'))).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      // Left as Electron ships them.
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: true,
    });
  });

  it('copies the udev rules into the resources for AppImage users', () => {
    const rules = existsSync(join(unpacked, 'resources', 'udev')) ? readdirSync(join(unpacked, 'resources', 'udev')) : [];
    expect(rules.filter((f) => f.endsWith('.rules'))).toHaveLength(1);
  });

  it('has the deb install an udev rules file that exists, into the udev rules folder', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    const mapping = /fpm:\s*\n\s*-\s*(\S+)=(\S+)/.exec(yml);
    expect(mapping).not.toBeNull();
    const [, source, target] = mapping!;
    expect(existsSync(join(ROOT, source)), source).toBe(true);
    expect(target).toMatch(/^\/usr\/lib\/udev\/rules\.d\/\d\d-[\w-]+\.rules$/);
  });
});
