/**
 * Debian's kernel for the guest, fetched at run time and kept in a cache folder (never in
 * the repository): `apt-get download` of the versioned linux-image package that
 * linux-image-amd64 depends on, `dpkg-deb -x`, then the uncompressed vmlinux cut out of
 * the bzImage (its PVH entry boots under TCG in a third of the bzImage's time) and the
 * kernel modules the guest needs, with their dependencies read from each module's
 * `depends=` field.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface GuestKernel {
  version: string;
  vmlinux: string;
  /** Module files in load order (dependencies first). */
  modules: string[];
}

/**
 * What the guest loads: virtio PCI + 9p for the host's root, overlay, a NIC for guestfwd,
 * vhci-hcd, and usbmon (the unplug scenario counts URBs to detach in the middle of a write).
 */
export const GUEST_MODULES = ['virtio_pci', 'virtio_net', '9pnet_virtio', '9p', 'overlay', 'vhci-hcd', 'usbmon'];

const norm = (name: string): string => name.replace(/-/g, '_');

/** "linux-image-6.1.0-57-amd64", the package linux-image-amd64 currently points at. */
export function kernelPackageName(): string {
  const out = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const m = /Depends:\s*(linux-image-\S+-amd64)/.exec(out);
  if (!m) throw new Error(`apt-cache does not say which kernel linux-image-amd64 depends on:\n${out}`);
  return m[1];
}

function moduleIndex(root: string): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) index.set(norm(e.name.slice(0, -3)), p);
    }
  };
  walk(root);
  return index;
}

/** The `depends=` field of a module's .modinfo section. */
function dependsOf(ko: string): string[] {
  const bytes = fs.readFileSync(ko);
  const at = bytes.indexOf('depends=');
  if (at < 0) return [];
  const end = bytes.indexOf(0, at);
  const list = bytes.subarray(at + 'depends='.length, end).toString('latin1');
  return list ? list.split(',').map(norm) : [];
}

export function resolveModules(root: string, wanted: string[]): string[] {
  const index = moduleIndex(root);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const n = norm(name);
    if (seen.has(n)) return;
    seen.add(n);
    const file = index.get(n);
    if (!file) return; // built into the kernel
    for (const d of dependsOf(file)) visit(d);
    order.push(file);
  };
  for (const w of wanted) visit(w);
  return order;
}

/** Cut the uncompressed kernel out of a bzImage (xz payload, as Debian's config has it). */
function extractVmlinux(bzImage: string, out: string): void {
  const img = fs.readFileSync(bzImage);
  const xzMagic = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
  const at = img.indexOf(xzMagic);
  if (at < 0) throw new Error(`${bzImage}: no xz payload found (is the kernel compressed otherwise?)`);
  const elf = execFileSync('xz', ['-dc', '--single-stream'], { input: img.subarray(at), maxBuffer: 1 << 30 });
  if (elf.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${bzImage}: the xz payload is not an ELF image`);
  fs.writeFileSync(out, elf);
}

/** Fetch (once) and unpack the guest kernel into `cacheDir`. */
export function prepareGuestKernel(cacheDir: string): GuestKernel {
  const pkg = kernelPackageName();
  const version = pkg.slice('linux-image-'.length);
  const dir = path.join(cacheDir, version);
  const vmlinux = path.join(dir, 'vmlinux');
  const tree = path.join(dir, 'tree');
  if (!fs.existsSync(vmlinux)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('apt-get', ['download', '-q', pkg], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const deb = fs.readdirSync(dir).find((f) => f.startsWith(pkg) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
    execFileSync('dpkg-deb', ['-x', path.join(dir, deb), tree]);
    fs.rmSync(path.join(dir, deb));
    extractVmlinux(path.join(tree, 'boot', `vmlinuz-${version}`), `${vmlinux}.tmp`);
    fs.renameSync(`${vmlinux}.tmp`, vmlinux);
  }
  const modules = resolveModules(path.join(tree, 'lib', 'modules', version), GUEST_MODULES);
  return { version, vmlinux, modules };
}
