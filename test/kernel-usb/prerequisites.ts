/**
 * What the kernel-USB suite needs on the host. Where something is missing the suite skips
 * with one line saying what; under CI (CI=true) a missing prerequisite is a failure, since
 * .ci/run installs them all (.ci/apt-packages.txt).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { QBOOT } from './qemu';

const PROGRAMS: [string, string][] = [
  ['qemu-system-x86_64', 'qemu-system-x86'],
  ['socat', 'socat'],
  ['usbip', 'usbip'],
  ['openocd', 'openocd'],
  ['xz', 'xz-utils'],
  ['apt-get', 'apt'],
  ['dpkg-deb', 'dpkg'],
  ['setpriv', 'util-linux'],
  ['udevadm', 'udev'],
];

const FILES: [string, string][] = [
  [QBOOT, 'qemu-system-x86 (qboot)'],
  ['/bin/busybox', 'busybox-static'],
  ['/lib/systemd/systemd-udevd', 'udev'],
];

function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Null when everything is there, else one line naming what is missing. */
export function missingPrerequisites(root: string): string | null {
  const missing: string[] = [];
  for (const [p, pkg] of PROGRAMS) if (!onPath(p)) missing.push(`${p} (${pkg})`);
  for (const [f, pkg] of FILES) if (!fs.existsSync(f)) missing.push(`${f} (${pkg})`);
  if (!fs.existsSync(path.join(root, 'node_modules', '.bin', 'esbuild'))) missing.push('esbuild (npm install)');
  if (fs.existsSync('/bin/busybox')) {
    const head = fs.readFileSync('/bin/busybox').subarray(0, 4096).toString('latin1');
    if (head.includes('ld-linux')) missing.push('a static /bin/busybox (busybox-static)');
  }
  return missing.length ? `missing ${missing.join(', ')}` : null;
}
