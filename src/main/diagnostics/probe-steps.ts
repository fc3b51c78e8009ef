/**
 * Steps 3 and 4: open the probe and read its firmware (layer 2). A probe the engine refuses
 * (no SWIM, a loader, a V1) is still described: its version replies are decoded from the
 * trace, because the engine closes such a probe before anyone can ask it.
 */
import { AppError } from '#shared/errors';
import { RealClock } from '../clock';
import { StlinkProbe } from '../stlink/probe';
import { decodeVersion, formatVersionLine } from '../stlink/version';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { traceBytes, type TracingTransport } from './trace';
import { udevInstallCommands, udevRuleText, UDEV_RULE_FILE } from './udev';
import type { FirmwareFacts } from './types';
import { errorText, probeLostFinding } from './words';

function firmwareFacts(v: ReturnType<typeof decodeVersion>): FirmwareFacts {
  return {
    version: v.versionString,
    versionLine: formatVersionLine(v),
    stlink: v.stlink,
    jtag: v.jtag,
    swim: v.swim,
    msd: v.msd,
    bridge: v.bridge,
    supportsSwim: v.swim !== 0,
  };
}

/** Decode the version replies a refused probe gave (the engine closed it; the trace kept them). */
function versionFromTrace(t: TracingTransport): FirmwareFacts | null {
  const replies = t.replies();
  const v = replies.find((l) => l.length === 6);
  if (!v) return null;
  const ex = replies.find((l) => l.length === 12);
  try {
    return firmwareFacts(decodeVersion(traceBytes(v), ex ? traceBytes(ex) : undefined));
  } catch {
    return null;
  }
}

export async function openAndIdentify(run: RunState, traced: TracingTransport): Promise<StlinkProbe | null> {
  const name = run.probe?.name ?? 'The probe';
  run.start('probe-open');
  let probe: StlinkProbe;
  try {
    probe = await StlinkProbe.open(traced, { clock: run.clock ?? new RealClock() });
  } catch (e) {
    const a = e instanceof AppError ? e : new AppError('internal', String(e));
    const detail = String(a.details?.transportMessage ?? a.message);
    // A socket probe "opens" without asking the server; its busy answer comes with the first command.
    const openClass = a.code === 'probe-permission' || a.code === 'probe-no-driver' || a.code === 'probe-busy';
    if (!traced.opened || !traced.claimed || openClass) {
      const code = openClass || a.code === 'probe-unplugged' ? a.code : null;
      const f = code
        ? makeFinding(code, {
            vars: { probe: name, detail, during: 'probe-open' },
            evidence: errorText(a),
            ...(code === 'probe-permission'
              ? {
                  snippets: [
                    { title: `udev rule (${UDEV_RULE_FILE})`, language: 'udev' as const, text: udevRuleText() },
                    { title: 'Install it', language: 'shell' as const, text: udevInstallCommands() },
                  ],
                }
              : {}),
          })
        : makeFinding('internal-error', { vars: { during: 'probe-open', detail: errorText(a) }, evidence: errorText(a), step: 'probe-open' });
      run.add(f);
      run.fail('probe-open', errorText(a));
      run.skipRemaining('the probe could not be opened');
      return null;
    }
    run.pass('probe-open', 'Opened, interface 0 claimed.');
    run.start('firmware');
    run.firmware = versionFromTrace(traced);
    if (run.firmware) run.facts('firmware', { version: run.firmware.version, swim: run.firmware.swim });
    if (a.code === 'probe-no-swim') {
      run.add(makeFinding('probe-no-swim', { vars: { probe: name, version: run.firmware?.version }, evidence: run.firmware?.versionLine ?? errorText(a) }));
    } else if (a.code === 'probe-in-dfu') {
      run.add(makeFinding('probe-in-dfu', { vars: { probe: name }, evidence: errorText(a), step: 'firmware' }));
    } else if (a.code === 'probe-unsupported') {
      run.add(makeFinding('probe-v1-unsupported', { evidence: errorText(a), step: 'firmware' }));
    } else {
      run.add(probeLostFinding(a, 'firmware') ?? makeFinding('internal-error', { vars: { during: 'firmware', detail: errorText(a) }, evidence: errorText(a), step: 'firmware' }));
    }
    run.fail('firmware', run.firmware?.versionLine ?? errorText(a));
    run.skipRemaining('the probe cannot do SWIM');
    return null;
  }
  run.pass('probe-open', 'Opened, interface 0 claimed.');

  run.start('firmware');
  const id = probe.identity;
  run.firmware = firmwareFacts(id);
  run.facts('firmware', { version: id.versionString, swim: id.swim, jtag: id.jtag, msd: id.msd, api: id.apiVersion, usbResets: probe.stats.usbResets });
  if (probe.stats.usbResets > 0) {
    run.add(makeFinding('probe-recovered', { vars: { detail: 'The probe did not answer its first command and needed a USB reset.' }, evidence: `${probe.stats.usbResets} USB reset(s) before GET_VERSION answered` }));
  }
  // V2 before J13 cannot report the target voltage (OO `STLINK_F_HAS_TARGET_VOLT`).
  if (id.stlink === 2 && !id.v21Swap && id.jtag > 0 && id.jtag < 13) {
    run.add(makeFinding('firmware-old', { vars: { probe: id.variantName, version: id.versionString, why: 'Firmware before V2J13 cannot measure the target voltage.' } }));
  }
  run.conclude('firmware', `${id.versionLine}; SWIM version ${id.swim}`);
  return probe;
}

