import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built command line (scripts/build-cli.mjs → out/cli/swim-studio.mjs) and the launcher
 * that picks it. Built in a copy of the checkout (src, scripts, bin, package.json, a link to
 * node_modules), so touching sources there never disturbs other tests running this checkout.
 * Which files a command loads is seen through a module resolve hook that logs every URL.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
let copy: string;
let hook: string;

function node(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: copy, encoding: 'utf8', timeout: 120_000, env: { ...process.env, SWIM_STUDIO_VIRTUAL: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `args` with every resolved module URL logged; returns them (file: URLs only) and the result. */
function loaded(args: string[]): { files: string[]; status: number | null; stdout: string } {
  const log = join(copy, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const r = node(['--import', pathToFileURL(hook).href, ...args], { SWIM_LOAD_LOG: log });
  let files: string[] = [];
  try {
    files = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  } catch {
    /* nothing loaded through the hook */
  }
  return { files: [...new Set(files)], status: r.status, stdout: r.stdout };
}

/** The source files bundled into the chunks that were loaded (esbuild marks each with a "// src/..." line). */
function sourcesIn(files: string[]): string[] {
  return files.filter((f) => f.includes('/out/cli/')).flatMap((f) => [...readFileSync(new URL(f), 'utf8').matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]));
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'swim-bundle-'));
  for (const d of ['src', 'scripts', 'bin', 'assets/platformio']) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  mkdirSync(join(copy, 'hooks'));
  writeFileSync(
    join(copy, 'hooks', 'resolve-log.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.SWIM_LOAD_LOG, r.url + '\\n');
  return r;
}`,
  );
  hook = join(copy, 'hooks', 'register.mjs');
  writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(copy, 'hooks', 'resolve-log.mjs')).href)});\n`);
  const build = node([join(copy, 'scripts', 'build-cli.mjs')]);
  if (build.status !== 0) throw new Error(`build-cli failed:\n${build.stdout}\n${build.stderr}`);
}, 180_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('the built CLI', () => {
  it('is one ES module entry with chunks, and runs on its own with node_modules beside it', () => {
    const entry = readFileSync(join(copy, 'out', 'cli', 'swim-studio.mjs'), 'utf8');
    expect(entry).toMatch(/^import /m);
    expect(entry).not.toMatch(/\brequire\(/);
    const r = node([join(copy, 'out', 'cli', 'swim-studio.mjs'), '--json', '--virtual', 'stlinkv3:stm8s103f3', 'info']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { target: { part: string } }).target.part).toBe('stm8s103f3');
  });

  it('`parts` loads neither the engine, the simulator nor the usb package', () => {
    const r = loaded([join(copy, 'bin', 'swim-studio.mjs'), 'parts', 'stm8s103']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/stm8s103\?3 /);
    expect(r.files.some((f) => f.endsWith('/out/cli/swim-studio.mjs'))).toBe(true);
    expect(r.files.filter((f) => f.endsWith('.ts'))).toEqual([]); // no tsx: the bundle ran
    const sources = sourcesIn(r.files);
    expect(sources).toContain('src/main/cli/commands/parts.ts');
    expect(sources.filter((s) => /^src\/main\/(stlink|stm8|jobs|sim|usb|probes|service|bridge)\//.test(s))).toEqual([]);
    expect(r.files.filter((f) => /\/node_modules\/(usb|@node-usb|ws|vite|zod)\//.test(f))).toEqual([]);
  });

  it('runs the PlatformIO launcher\'s stm8flash mode (the bundle, not the sources)', () => {
    const log = join(copy, 'loaded-stm8flash.txt');
    const out = join(copy, 'read.bin');
    const r = spawnSync('sh', [join(copy, 'assets', 'platformio', 'stm8flash'), '-c', 'stlinkv3', '-p', 'stm8s103f3', '-s', 'flash', '-r', out], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, SWIM_STUDIO_CLI: '', SWIM_STUDIO_VIRTUAL: 'stlinkv3:stm8s103f3', SWIM_LOAD_LOG: log, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).length).toBe(8192);
    const files = readFileSync(log, 'utf8').split('\n');
    expect(files.some((f) => f.endsWith('/out/cli/swim-studio.mjs'))).toBe(true);
    expect(files.filter((f) => f.startsWith('file:') && f.endsWith('.ts'))).toEqual([]);
  });

  it('is not run once a source it was built from is newer: the launcher runs the sources instead', () => {
    const source = join(copy, 'src', 'shared', 'catalogue', 'parts.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    try {
      const r = loaded([join(copy, 'bin', 'swim-studio.mjs'), 'parts', 'stm8s103']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/stm8s103\?3 /);
      expect(r.files.some((f) => f.endsWith('/src/shared/catalogue/parts.ts'))).toBe(true);
      expect(r.files.some((f) => f.includes('/out/cli/'))).toBe(false);
    } finally {
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(source, past, past);
    }
  });
});
