/**
 * The Linux udev rule SWIM Studio ships (assets/udev/49-stlink-swim-studio.rules) and the
 * commands to install it. The text is generated from the engine's PID table so the rule can
 * never miss a probe the engine knows; a test keeps the asset file equal to it.
 *
 * Facts: every ST-LINK PID of docs/spec/stlink-swim.md §1.1 (OpenOCD interface/stlink.cfg lists 11 of
 * them, probe-rs adds 0x374A and 0x3742); MODE/GROUP/TAG as in docs/spec/anchors.md §6 U3 (OpenOCD's
 * 60-openocd.rules uses the same scheme). TAG+="uaccess" gives the logged-in user access on
 * systemd distributions and only works from a rules file numbered below 73, hence "49".
 */
import { STLINK_PIDS, STLINK_VID } from '../stlink/constants';

export const UDEV_RULE_FILE = '49-stlink-swim-studio.rules';

/** Where the file sits in the source tree and in packaged builds (electron-builder extraResources). */
export const UDEV_RULE_ASSET = `assets/udev/${UDEV_RULE_FILE}`;

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** The whole rules file. */
export function udevRuleText(): string {
  const lines = [
    '# SWIM Studio: let the logged-in user (uaccess) and the plugdev group open ST-LINK probes',
    '# without root. Install:',
    `#   sudo cp ${UDEV_RULE_FILE} /etc/udev/rules.d/`,
    '#   sudo udevadm control --reload-rules && sudo udevadm trigger',
    '# then unplug and replug the probe.',
    '# One line per ST-LINK USB product id (VID 0x0483): V1, V2, V2-1 variants, V3 family and',
    '# the V3 / V3PWR USB loaders (firmware-upgrade mode).',
  ];
  for (const p of STLINK_PIDS) {
    lines.push(`# ${p.name}`);
    lines.push(
      `SUBSYSTEMS=="usb", ATTRS{idVendor}=="${hex4(STLINK_VID)}", ATTRS{idProduct}=="${hex4(p.pid)}", MODE="0660", GROUP="plugdev", TAG+="uaccess"`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Shell lines that install the rule from any folder (the rule is written with tee, no file needed). */
export function udevInstallCommands(): string {
  return [
    `sudo tee /etc/udev/rules.d/${UDEV_RULE_FILE} > /dev/null <<'EOF'`,
    udevRuleText().trimEnd(),
    'EOF',
    'sudo udevadm control --reload-rules',
    'sudo udevadm trigger',
    '# if your distribution has a plugdev group and you log in remotely:',
    'sudo usermod -aG plugdev "$USER"   # then log out and back in',
  ].join('\n');
}
