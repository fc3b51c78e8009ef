/** Real ST-LINKs on USB: listing and choosing one by serial or port path. */
import { AppError } from '#shared/errors';
import { STLINK_VID } from '../stlink/constants';
import { serialMatches } from '../stlink/serial';
import { NodeUsbTransport, deviceInfo, listUsbDevices, type NodeUsbDevice } from '../usb/node-usb';
import { toUsbAppError } from '../usb/errors';
import { STLINK_PIDS } from '../stlink/constants';
import type { ProbeSummary } from './types';
import { summarizeProbe } from './summary';

export function summarizeUsb(d: NodeUsbDevice): ProbeSummary {
  const info = deviceInfo(d);
  return summarizeProbe(info, `usb:${info.portPath}`);
}

/** ST-LINK devices on USB (every PID of docs/spec/stlink-swim.md §1.1). Throws TransportError without USB. */
export async function findUsbStlinks(): Promise<NodeUsbDevice[]> {
  const known = new Set(STLINK_PIDS.map((p) => p.pid));
  return (await listUsbDevices(STLINK_VID)).filter((d) => known.has(d.productId));
}

function describe(list: ProbeSummary[]): string {
  return list.map((p) => `${p.variantName} serial ${p.serial} at USB ${p.portPath}`).join('; ');
}

/**
 * Choose one real probe. `wanted` is a serial (hex or raw) or a port path. Several probes and
 * none chosen → 'probe-ambiguous'; clones sharing a serial → choose by port path.
 */
export async function chooseUsbProbe(wanted: string | undefined): Promise<NodeUsbTransport> {
  let devices: NodeUsbDevice[];
  try {
    devices = await findUsbStlinks();
  } catch (e) {
    const a = toUsbAppError(e, 'looking for probes');
    if (a.code === 'usb-unavailable') {
      throw new AppError('no-probe', 'No ST-LINK found: this machine has no usable USB subsystem.', 'Run where USB is available, or try a virtual probe (--virtual stlinkv3:stm8s103f3; in the app, a virtual probe from the probe list).', {
        cause: a.toData(),
      });
    }
    throw a;
  }
  const all = devices.map((d) => ({ item: d, summary: summarizeUsb(d) }));
  return new NodeUsbTransport(pickProbe(all, wanted));
}

/**
 * The choice itself, separate from USB so it can be tested: `wanted` is a USB port path or a
 * serial (hex or raw). None connected → 'no-probe'; no match → 'probe-not-found'; several
 * and none chosen, or clones sharing the serial → 'probe-ambiguous' listing them.
 */
export function pickProbe<T>(all: { item: T; summary: ProbeSummary }[], wanted: string | undefined): T {
  if (all.length === 0) {
    throw new AppError('no-probe', 'No ST-LINK is connected.', 'Plug in an ST-LINK/V2, V2-1 or V3; on Linux check the udev rules; on Windows the driver.');
  }
  let hits = all;
  if (wanted) {
    const byPort = all.filter((x) => x.summary.portPath === wanted);
    hits = byPort.length > 0 ? byPort : all.filter((x) => serialMatches(wanted, x.summary.serialRaw));
    if (hits.length === 0) {
      throw new AppError('probe-not-found', `No ST-LINK with serial or port "${wanted}".`, `Connected: ${describe(all.map((x) => x.summary))}.`, {
        probes: all.map((x) => x.summary),
      });
    }
    if (hits.length > 1) {
      throw new AppError(
        'probe-ambiguous',
        `${hits.length} ST-LINKs share the serial "${wanted}" (clones often do).`,
        `Choose by USB port path with --probe PORT: ${hits.map((x) => x.summary.portPath).join(', ')}.`,
        { probes: hits.map((x) => x.summary) },
      );
    }
  } else if (all.length > 1) {
    throw new AppError('probe-ambiguous', `${all.length} ST-LINKs are connected; choose one.`, `Use --probe SERIAL (or a USB port path): ${describe(all.map((x) => x.summary))}.`, {
      probes: all.map((x) => x.summary),
    });
  }
  return hits[0].item;
}
