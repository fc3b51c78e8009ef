// Runs in the guest (plain Node, no TypeScript): the scripted batch of kernel-USB scenarios.
// Each scenario prints one line "@@KU <json>" on the console; the vitest suite on the host
// asserts on those (test/kernel-usb/kernel-usb.test.ts). The configuration (paths, devices,
// images) is the JSON file named by argv[2]. Every child process is bounded.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const OUT = '/tmp/ku-out';
fs.mkdirSync(OUT, { recursive: true });
fs.chmodSync(OUT, 0o777);

// The unprivileged users must reach the CLI and the node executable. A checkout may sit in a
// folder only its owner can enter (CI clones into a 0700 mktemp folder): let others traverse
// every ancestor. The guest's root is a tmpfs overlay over the host's read-only root, so this
// copies up the folders' metadata in the guest and never changes the host.
for (const file of [cfg.cli, cfg.node]) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode & 0o7777;
    if ((mode & 0o005) !== 0o005) fs.chmodSync(dir, mode | 0o005);
  }
}

function report(scenario, data) {
  process.stdout.write(`@@KU ${JSON.stringify({ scenario, ...data })}\n`);
}

/** Run a program; never longer than timeoutMs. `as`: 'root', 'user' (with plugdev) or 'stranger' (no groups). */
function run(cmd, args, { timeoutMs = 90_000, as = 'root', onStdout, env = {} } = {}) {
  const u = cfg.user;
  const wrapped =
    as === 'root'
      ? [cmd, args]
      : ['setpriv', [`--reuid=${u.uid}`, `--regid=${u.gid}`, as === 'user' ? `--groups=${u.plugdevGid}` : '--clear-groups', '--', cmd, ...args]];
  return new Promise((resolve) => {
    const t = performance.now();
    const p = spawn(wrapped[0], wrapped[1], { env: { ...process.env, HOME: OUT, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (c) => {
      stdout += c;
      onStdout?.(stdout, p);
    });
    p.stderr.on('data', (c) => (stderr += c));
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - t) });
    });
    p.stdin.on('error', () => undefined);
  });
}

function json(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The CLI bundle with --json; returns exit code, parsed output, time. */
async function cli(args, opts = {}) {
  const r = await run(cfg.node, [cfg.cli, '--json', ...args], opts);
  return { code: r.code, out: json(r.stdout), stderr: r.stderr.slice(0, 2000), ms: r.ms };
}

async function usbProbe(args, opts = {}) {
  const r = await run(cfg.node, [path.join(cfg.guestDir, 'usb-probe.mjs'), ...args], opts);
  const lines = r.stdout.trim().split('\n').map(json).filter(Boolean);
  return { code: r.code, lines, stderr: r.stderr.slice(0, 2000) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Counts bulk OUT submissions on every bus through usbmon's text interface (debugfs). */
function bulkOutCounter() {
  const cat = spawn('cat', ['/sys/kernel/debug/usb/usbmon/0u'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let n = 0;
  let rest = '';
  cat.stdout.on('data', (c) => {
    const lines = (rest + c).split('\n');
    rest = lines.pop();
    for (const l of lines) if (/ S Bo:/.test(l)) n++;
  });
  return {
    count: () => n,
    /** The count so far, then start again from 0. */
    take: () => {
      const c = n;
      n = 0;
      return c;
    },
    stop: () => cat.kill('SIGKILL'),
  };
}

/** Wait (bounded) until `test()` is true. */
async function until(test, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The attached ST-LINK as sysfs shows it, or null (also while it is leaving the bus). */
function attachedDevice() {
  const root = '/sys/bus/usb/devices';
  try {
    for (const d of fs.readdirSync(root)) {
      const read = (n) => fs.readFileSync(path.join(root, d, n), 'utf8').trim();
      if (!fs.existsSync(path.join(root, d, 'idVendor')) || read('idVendor') !== '0483') continue;
      const bus = read('busnum').padStart(3, '0');
      const dev = read('devnum').padStart(3, '0');
      return { sysname: d, idProduct: read('idProduct'), speed: read('speed'), node: `/dev/bus/usb/${bus}/${dev}` };
    }
  } catch {
    return null;
  }
  return null;
}

async function attach(dev) {
  const r = await run('usbip', ['attach', '-r', dev.ip, '-b', dev.busid], { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`usbip attach ${dev.name}: ${r.stderr}`);
  await until(() => {
    const d = attachedDevice();
    return d !== null && fs.existsSync(d.node);
  }, 15_000, `${dev.name} on the bus`);
  return attachedDevice();
}

function portsInUse() {
  const ports = execFileSync('usbip', ['port'], { encoding: 'utf8' });
  return [...ports.matchAll(/^Port (\d+): <Port in Use>/gm)].map((m) => Number(m[1]));
}

async function detach() {
  for (const port of portsInUse()) await run('usbip', ['detach', '-p', String(port)], { timeoutMs: 20_000 });
  await until(() => attachedDevice() === null, 15_000, 'the device to leave the bus');
}

/**
 * Detach at once, from this process: the write to vhci-hcd's sysfs `detach` file that
 * `usbip detach` makes, without the ~1 s a process start costs under TCG (the cut must land
 * while the write is still running). `ports` from portsInUse(), read beforehand.
 */
async function detachNow(ports) {
  for (const port of ports) fs.writeFileSync('/sys/devices/platform/vhci_hcd.0/detach', String(port));
  await until(() => attachedDevice() === null, 15_000, 'the device to leave the bus');
}

/** Each 64-byte block of `got` equals that block of `a` or of `b` (a flash block is programmed whole). */
function blocksOf(got, a, b, size = 64) {
  let fromA = 0;
  let fromB = 0;
  let torn = 0;
  for (let o = 0; o < got.length; o += size) {
    const g = got.subarray(o, o + size);
    if (g.equals(b.subarray(o, o + size))) fromB++;
    else if (g.equals(a.subarray(o, o + size))) fromA++;
    else torn++;
  }
  return { fromA, fromB, torn };
}

const img = (n) => fs.readFileSync(cfg.images[n]);
const sameAs = (file, n) => fs.existsSync(file) && fs.readFileSync(file).equals(img(n));

async function scenario(name, body) {
  const t = performance.now();
  try {
    const r = await body();
    report(name, { ...r, wallMs: Math.round(performance.now() - t) });
  } catch (e) {
    report(name, { harnessError: e instanceof Error ? e.message : String(e) });
  }
}

function openocd(part, file) {
  const c = cfg.openocd[part];
  return run('openocd', [
    '-f', 'interface/stlink-dap.cfg', '-f', c.targetCfg,
    '-c', 'gdb_port disabled', '-c', 'telnet_port disabled', '-c', 'tcl_port disabled',
    '-c', 'init', '-c', 'reset halt',
    '-c', `load_image ${file} ${c.flashStart} bin`, '-c', `verify_image ${file} ${c.flashStart} bin`,
    '-c', 'shutdown',
  ], { timeoutMs: 120_000 });
}

const D = cfg.devices;
/** All groups unless the configuration names some (for working on one scenario by hand). */
const wanted = (group) => !cfg.groups || cfg.groups.includes(group);

// --- ST-LINK/V2, full speed -------------------------------------------------------------
if (wanted('v2')) {
  const v2 = await attach(D.v2);
  report('attach-v2', { device: v2 });
  await scenario('list-v2', async () => cli(['list']));
  await scenario('info-v2', async () => cli(['--part', D.v2.part, 'info']));
  // write verifies after writing: this is the engine's 8 KB write+verify, timed.
  await scenario('write-v2', async () => cli(['--part', D.v2.part, 'write', cfg.images.a]));
  await scenario('read-v2', async () => {
    const file = path.join(OUT, 'v2-read.bin');
    const read = await cli(['--part', D.v2.part, 'read', file, '--length', String(img('a').length)]);
    return { read, readMatches: sameAs(file, 'a') };
  });
  await scenario('opt-v2', async () => cli(['--part', D.v2.part, 'opt']));
  await scenario('openocd-v2', async () => {
    const r = await openocd(D.v2.part, cfg.images.b);
    return { code: r.code, ms: r.ms, output: (r.stdout + r.stderr).slice(-4000) };
  });
  await scenario('latency-v2', async () => usbProbe(['latency', '50']));
  await scenario('nak-unlink', async () => usbProbe(['nak']));
  await scenario('permission-denied', async () => {
    const node = attachedDevice().node;
    const mode = fs.statSync(node).mode & 0o777;
    const info = await cli(['--part', D.v2.part, 'info'], { as: 'user' });
    const raw = await usbProbe(['open'], { as: 'user' });
    return { nodeMode: mode.toString(8), info, raw };
  });
  /** Mask every installed rule that mentions ST's vendor id (OpenOCD's package ships one), so only ours acts. */
  function maskOtherStlinkRules(ours) {
    const masked = [];
    for (const dir of ['/usr/lib/udev/rules.d', '/lib/udev/rules.d', '/etc/udev/rules.d']) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (f === ours || !f.endsWith('.rules') || !fs.statSync(p).isFile() || !/0483/.test(fs.readFileSync(p, 'utf8'))) continue;
        fs.rmSync(path.join('/etc/udev/rules.d', f), { force: true });
        fs.symlinkSync('/dev/null', path.join('/etc/udev/rules.d', f));
        masked.push(f);
      }
    }
    return [...new Set(masked)];
  }

  await scenario('udev-rule', async () => {
    fs.mkdirSync('/etc/udev/rules.d', { recursive: true });
    const masked = maskOtherStlinkRules(path.basename(cfg.udevRule));
    fs.copyFileSync(cfg.udevRule, path.join('/etc/udev/rules.d', path.basename(cfg.udevRule)));
    fs.mkdirSync('/run/udev', { recursive: true });
    // udevadm refuses to act in a chroot unless told to: the guest's root is one.
    const env = { SYSTEMD_IGNORE_CHROOT: '1' };
    const daemon = await run('/lib/systemd/systemd-udevd', ['--daemon'], { timeoutMs: 20_000, env });
    await run('udevadm', ['control', '--reload'], { timeoutMs: 20_000, env });
    await run('udevadm', ['trigger', '--subsystem-match=usb', '--action=add'], { timeoutMs: 20_000, env });
    await run('udevadm', ['settle', '--timeout=20'], { timeoutMs: 30_000, env });
    const node = attachedDevice().node;
    const st = fs.statSync(node);
    const write = await cli(['--part', D.v2.part, 'write', cfg.images.c, '--no-verify'], { as: 'user' });
    return { masked, udevd: daemon.code, udevdOutput: daemon.stderr.slice(0, 500), nodeMode: (st.mode & 0o777).toString(8), nodeGid: st.gid, write };
  });
  await scenario('busy', async () => {
    let held;
    const ready = new Promise((r) => (held = r));
    const holder = run(cfg.node, [path.join(cfg.guestDir, 'usb-probe.mjs'), 'hold'], {
      timeoutMs: 90_000,
      onStdout: (text, p) => {
        if (text.includes('"held"')) held(p);
      },
    });
    const p = await Promise.race([ready, holder.then(() => null)]);
    if (!p) return { harnessError: `the holder ended: ${JSON.stringify(await holder)}` };
    const info = await cli(['--part', D.v2.part, 'info']);
    const raw = await usbProbe(['open']);
    p.kill('SIGTERM');
    await holder;
    return { info, raw };
  });
  await detach();
}

// --- STLINK-V3, high speed ----------------------------------------------------------------
if (wanted('v3')) {
  const v3 = await attach(D.v3);
  report('attach-v3', { device: v3 });
  await scenario('list-v3', async () => cli(['list']));
  await scenario('write-v3', async () => cli(['--part', D.v3.part, 'write', cfg.images.a, '--no-verify']));
  await scenario('verify-read-v3', async () => {
    const verify = await cli(['--part', D.v3.part, 'verify', cfg.images.a]);
    const file = path.join(OUT, 'v3-read.bin');
    const read = await cli(['--part', D.v3.part, 'read', file, '--length', String(img('a').length)]);
    return { verify, read, readMatches: sameAs(file, 'a') };
  });
  await scenario('latency-v3', async () => usbProbe(['latency', '50']));
  await detach();
}

// --- A read-out protected chip ----------------------------------------------------------
if (wanted('rop')) {
  await attach(D.rop);
  await scenario('unlock', async () => {
    const unlock = await cli(['--part', D.rop.part, 'unlock', '--yes']);
    const after = await cli(['--part', D.rop.part, 'info']);
    return { unlock, after };
  });
  await detach();
}

// --- Unplugged in the middle of a write -------------------------------------------------
if (wanted('unplug')) {
  await attach(D.unplug);
  await scenario('unplug', async () => {
    // usbmon counts the bulk OUT URBs on the bus: a whole write of image a first, then the
    // write of b is cut (usbip detach) once it has sent half as many. No timing involved.
    const mon = bulkOutCounter();
    const first = await cli(['--part', D.unplug.part, 'write', cfg.images.a, '--no-verify']);
    const fullWriteOuts = mon.take();
    const ports = portsInUse();
    const writing = cli(['--part', D.unplug.part, 'write', cfg.images.b, '--no-verify']);
    await until(() => mon.count() >= fullWriteOuts / 2, 300_000, 'half of a write on the bus');
    const outsBeforeDetach = mon.count();
    mon.stop();
    await detachNow(ports);
    const cut = await writing;
    await attach(D.unplug);
    const file = path.join(OUT, 'unplug-read.bin');
    const read = await cli(['--part', D.unplug.part, 'read', file, '--length', String(img('a').length)]);
    const blocks = fs.existsSync(file) ? blocksOf(fs.readFileSync(file), img('a'), img('b')) : null;
    const again = await cli(['--part', D.unplug.part, 'write', cfg.images.b]);
    return { first: first.code, fullWriteOuts, outsBeforeDetach, cut, read: read.code, blocks, again };
  });
  await scenario('unplug-raw', async () => {
    let go;
    const ready = new Promise((r) => (go = r));
    const probe = run(cfg.node, [path.join(cfg.guestDir, 'usb-probe.mjs'), 'unplug'], {
      onStdout: (text, p) => {
        if (text.includes('"ready"')) go(p);
      },
    });
    const p = await Promise.race([ready, probe.then(() => null)]);
    if (!p) return { harnessError: `the probe script ended: ${JSON.stringify(await probe)}` };
    await sleep(300); // its IN transfer is pending now (the device NAKs)
    await detach();
    p.stdin.write('go\n');
    const r = await probe;
    return { lines: r.stdout.trim().split('\n').map(json) };
  });
  // the server exports the probe again: the detach above left nothing attached
}

// --- A probe that stops answering -------------------------------------------------------
if (wanted('hang')) {
  await attach(D.hang);
  await scenario('timeout', async () => cli(['--part', D.hang.part, 'info'], { timeoutMs: 120_000 }));
  await detach();
}
report('done', {});
process.exit(0); // nothing may keep the guest up (a stray child's stream)
