/**
 * One qemu guest: Debian's kernel, one vCPU, the host's root read-only over 9p, user-mode
 * networking with restrict=on (nothing leaves qemu) and guestfwd rules whose targets are
 * commands (qemu spawns one per guest connection; a chardev target would carry only the
 * first). The serial console is the guest's only output; the run is killed when it exceeds
 * its time bound.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { EXIT_MARKER } from './initramfs';

export const QBOOT = '/usr/share/qemu/qboot.rom';

export interface Accelerator {
  args: string[];
  name: string;
}

/**
 * KVM only where /dev/kvm is a plain KVM: on a PVM hypervisor (module kvm_pvm) Debian's
 * kernel stops with an emulation failure, so TCG it is there.
 */
export function chooseAccelerator(): Accelerator {
  let kvmUsable: boolean;
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
    kvmUsable = !fs.existsSync('/sys/module/kvm_pvm');
  } catch {
    kvmUsable = false;
  }
  return kvmUsable ? { name: 'kvm', args: ['-accel', 'kvm', '-cpu', 'host'] } : { name: 'tcg', args: ['-accel', 'tcg', '-cpu', 'max'] };
}

export interface GuestForward {
  /** Guest-side address, e.g. 10.0.2.100 (port 3240). */
  ip: string;
  /** One-word executable that bridges stdin/stdout to the server. */
  command: string;
}

export interface BootOptions {
  vmlinux: string;
  initrd: string;
  forwards: GuestForward[];
  timeoutMs: number;
  memoryMb?: number;
  /** Every console line, as it arrives. */
  onLine?: (line: string) => void;
}

export interface GuestRun {
  lines: string[];
  /** The guest command's exit code, or null when no marker line came. */
  exitCode: number | null;
  timedOut: boolean;
  wallMs: number;
  accelerator: string;
}

export function bootGuest(o: BootOptions): Promise<GuestRun> {
  const accel = chooseAccelerator();
  const fwd = o.forwards.map((f) => `guestfwd=tcp:${f.ip}:3240-cmd:${f.command}`).join(',');
  const args = [
    '-M', 'q35', '-bios', QBOOT, '-nodefaults', '-display', 'none', '-no-reboot',
    '-m', String(o.memoryMb ?? 1024), '-smp', '1', ...accel.args,
    '-kernel', o.vmlinux, '-initrd', o.initrd,
    '-append', 'console=ttyS0 rdinit=/init panic=-1 loglevel=3 mitigations=off',
    '-serial', 'stdio',
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-netdev', `user,id=n0,restrict=on${fwd ? ',' + fwd : ''}`,
    '-device', 'virtio-net-pci,netdev=n0',
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    const q = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let exitCode: number | null = null;
    let rest = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      q.kill('SIGKILL');
    }, o.timeoutMs);
    const take = (chunk: Buffer): void => {
      const text = rest + chunk.toString('utf8').replace(/\r/g, '');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        o.onLine?.(line);
        const m = new RegExp(`^${EXIT_MARKER} (\\d+)`).exec(line);
        if (m) exitCode = Number(m[1]);
      }
    };
    q.stdout.on('data', take);
    q.stderr.on('data', take);
    q.on('close', () => {
      clearTimeout(timer);
      if (rest) lines.push(rest);
      resolve({ lines, exitCode, timedOut, wallMs: performance.now() - started, accelerator: accel.name });
    });
  });
}
