/**
 * The guest's initramfs: a static busybox as the shell of /init, the kernel modules the
 * guest needs, and /init itself, which loads them, mounts the host's root (9p, read-only)
 * under a tmpfs overlay, chroots into it and runs one command. Its exit code comes back on
 * the serial console as a marker line. Written as a newc cpio archive (the format the
 * kernel unpacks; linux Documentation/driver-api/early-userspace/buffer-format.rst).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Printed by /init after the command: "<marker> <exit code>". */
export const EXIT_MARKER = '@@KU-EXIT';

interface Entry {
  name: string;
  mode: number;
  data?: Buffer;
  rdev?: [number, number];
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

function pad4(n: number): Buffer {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

function cpioEntry(e: Entry, ino: number): Buffer {
  const data = e.data ?? Buffer.alloc(0);
  const name = Buffer.from(`${e.name}\0`, 'latin1');
  const fields = [ino, e.mode, 0, 0, 1, 0, data.length, 0, 0, e.rdev?.[0] ?? 0, e.rdev?.[1] ?? 0, name.length, 0];
  const header = Buffer.from('070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join(''), 'latin1');
  return Buffer.concat([header, name, pad4(header.length + name.length), data, pad4(data.length)]);
}

export function cpioArchive(entries: Entry[]): Buffer {
  const parts = entries.map((e, i) => cpioEntry(e, i + 1));
  parts.push(cpioEntry({ name: 'TRAILER!!!', mode: 0 }, 0));
  return Buffer.concat(parts);
}

export function initScript(moduleNames: string[], command: string): string {
  return `#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
for m in ${moduleNames.join(' ')}; do $B insmod /lib/modules/$m || echo "@@KU-INIT insmod $m failed"; done
fail() { echo "@@KU-INIT $1"; echo "${EXIT_MARKER} 99"; $B reboot -f; }
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro hostroot /host || fail "9p mount failed"
$B mount -t tmpfs -o size=512m tmpfs /rw || fail "tmpfs failed"
$B mkdir -p /rw/upper /rw/work
$B mount -t overlay overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work /newroot || fail "overlay failed"
for d in dev proc sys; do $B mount --move /$d /newroot/$d; done
$B chroot /newroot ${command}
echo "${EXIT_MARKER} $?"
$B reboot -f
`;
}

/** Build the archive: `busybox` is a static busybox binary, `modules` in load order. */
export function buildInitramfs(out: string, busybox: string, modules: string[], command: string): void {
  const names = modules.map((m) => path.basename(m));
  const dirs = ['bin', 'dev', 'proc', 'sys', 'lib', 'lib/modules', 'host', 'rw', 'newroot'];
  const entries: Entry[] = [
    ...dirs.map((d) => ({ name: d, mode: S_IFDIR | 0o755 })),
    // The kernel opens /dev/console for /init before devtmpfs is mounted.
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: [5, 1] },
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: fs.readFileSync(busybox) },
    ...modules.map((m, i) => ({ name: `lib/modules/${names[i]}`, mode: S_IFREG | 0o644, data: fs.readFileSync(m) })),
    { name: 'init', mode: S_IFREG | 0o755, data: Buffer.from(initScript(names, command)) },
  ];
  fs.writeFileSync(out, cpioArchive(entries));
}
