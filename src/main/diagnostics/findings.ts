/**
 * Every conclusion the ladder can reach: a stable code, a severity, a title, the cause in
 * plain words and numbered remedies, most likely first. The wording follows the field-tested
 * rules of docs/spec/anchors.md §6 (each finding names the rules it answers in `rules`);
 * the text is ours. Findings are data, so the app renders them as cards and links actions.
 *
 * Texts take a few values from the run (probe name, volts, pairs ...) through `FindingVars`;
 * a value that is missing falls back to a neutral phrase, never to "undefined".
 */
import type { Finding, FindingAction, Severity, Snippet, StepId } from './types';

export type FindingVars = Record<string, string | undefined>;

interface FindingText {
  title: string;
  explanation: string;
  remedies: string[];
}

export interface FindingDefinition {
  code: string;
  severity: Severity;
  step: StepId;
  rules: string[];
  action?: FindingAction;
  text: (v: FindingVars) => FindingText;
}

const V3_MB1440 =
  'On an STLINK-V3SET the SWIM connector is on the MB1440 adapter board, not on the 14-pin STDC14 cable: wire SWIM, GND, NRST and VDD there.';

function or(v: string | undefined, fallback: string): string {
  return v && v.length > 0 ? v : fallback;
}

const DEFINITIONS: FindingDefinition[] = [
  // ------------------------------------------------------------------ 1. USB
  {
    code: 'usb-unavailable',
    severity: 'error',
    step: 'usb',
    rules: [],
    action: 'use-virtual-probe',
    text: (v) => ({
      title: 'No usable USB subsystem',
      explanation: `The USB library could not list devices on this machine (${or(v.detail, 'no USB subsystem')}). This happens in containers and virtual machines without USB pass-through, and on systems where the USB file system is not mounted.`,
      remedies: [
        'Run SWIM Studio directly on the machine the probe is plugged into.',
        'In Docker, pass the USB bus into the container (for example --device /dev/bus/usb) or run it privileged; in a VM, pass the ST-LINK through to the guest.',
        'To try SWIM Studio without hardware, use a virtual probe: --virtual stlinkv3:stm8s103f3.',
      ],
    }),
  },
  // ------------------------------------------------------------------ 2. probe present
  {
    code: 'no-probe',
    severity: 'error',
    step: 'probe-present',
    rules: ['U1', 'U7'],
    text: (v) => ({
      title: 'No ST-LINK found',
      explanation: `No USB device with ST's vendor id 0x0483 and a known ST-LINK product id is attached${v.detail ? ` (${v.detail})` : ''}. Messages from other tools about unrelated interfaces ("… MI_02 … is no longer connected") are enumeration noise, not the cause.`,
      remedies: [
        'Plug the probe in directly (no hub) and use a cable known to carry data: many USB cables only charge.',
        'Try another USB port and watch the probe\'s LED: if it stays dark, or the probe shows up with another vendor/product id, the probe itself may be faulty (cheap clones are sometimes dead on arrival).',
        'On a virtual machine, pass the ST-LINK through to the guest.',
      ],
    }),
  },
  {
    code: 'probe-not-found',
    severity: 'error',
    step: 'probe-present',
    rules: ['P4'],
    action: 'choose-probe',
    text: (v) => ({
      title: 'The chosen ST-LINK is not attached',
      explanation: `No attached ST-LINK has the serial number or USB port "${or(v.wanted, '?')}". Attached: ${or(v.probes, 'none')}.`,
      remedies: [
        'Choose one of the attached probes with --probe SERIAL (or its USB port path), or leave --probe out when only one is attached.',
        'Serial numbers are shown as hex of their bytes; clones often share one serial, then choose by USB port path.',
      ],
    }),
  },
  {
    code: 'probe-in-dfu',
    severity: 'error',
    step: 'probe-present',
    rules: ['P3'],
    text: (v) => ({
      title: 'The ST-LINK is in firmware-upgrade mode',
      explanation: `${or(v.probe, 'The probe')} enumerates with the product id of its USB loader (${or(v.pid, '0x374D / 0x3755')}), the mode used to update its firmware. In this mode no debug firmware runs, so there is nothing to talk SWIM to.`,
      remedies: [
        'Unplug the probe and plug it in again: it normally starts its debug firmware.',
        'If it comes back in the same mode, a firmware update was interrupted: finish it with ST\'s ST-LinkUpgrade (or STM32CubeProgrammer\'s firmware upgrade).',
      ],
    }),
  },
  {
    code: 'probe-v1-unsupported',
    severity: 'error',
    step: 'probe-present',
    rules: ['U5'],
    text: () => ({
      title: 'ST-LINK/V1 is not supported',
      explanation:
        'This is an ST-LINK/V1 (product id 0x3744), the probe on the old STM8S-Discovery, STM8L-Discovery and STM8SVLDISCOVERY boards. It wraps every command in USB mass-storage frames, which SWIM Studio does not speak. stm8flash and PlatformIO call this probe type "stlink". On Linux the usb-storage driver also claims it unless told to ignore it.',
      remedies: [
        'Use an ST-LINK/V2 (or a V2 clone), an STM8 Nucleo board\'s on-board probe, or an STLINK-V3SET with its MB1440 adapter.',
        'For other tools on Linux: load usb-storage with the option quirks=483:3744:i so it leaves the V1 alone.',
      ],
    }),
  },
  {
    code: 'several-probes',
    severity: 'info',
    step: 'probe-present',
    rules: ['P4'],
    action: 'choose-probe',
    text: (v) => ({
      title: 'Several ST-LINKs are attached',
      explanation: `${or(v.count, 'Several')} ST-LINKs are attached; this run tests ${or(v.probe, 'the first one')}. Attached: ${or(v.probes, '?')}.`,
      remedies: ['To test another one, run again with --probe SERIAL or --probe USB-PORT (or choose it in the probe list).'],
    }),
  },
  {
    code: 'duplicate-serials',
    severity: 'warning',
    step: 'probe-present',
    rules: ['P4'],
    action: 'choose-probe',
    text: (v) => ({
      title: 'Two probes report the same serial number',
      explanation: `More than one attached ST-LINK reports serial ${or(v.serial, '?')}. Old and clone firmware often do; tools that pick a probe by serial then cannot tell them apart.`,
      remedies: ['Choose the probe by its USB port path (--probe 1-4.2 style), which is unique.', 'Keep each probe in the same USB port, or label them.'],
    }),
  },
  {
    code: 'stm8flash-wrong-programmer',
    severity: 'warning',
    step: 'probe-present',
    rules: ['U6', 'U7', 'H1', 'H2'],
    text: (v) => ({
      title: v.asked ? `-c ${v.asked} names a probe that is not attached` : 'The stm8flash -c value names a probe that is not attached',
      explanation: `stm8flash opens exactly the product id its -c option names: -c ${or(v.asked, '?')} looks for ${or(v.askedName, 'another probe type')}, but the attached probe is ${or(v.found, 'another type')}. Real stm8flash then fails with "Could not open USB device"; on Windows the lines about "…&MI_02… is no longer connected" around it are libusb enumeration noise, and a crash or PlatformIO's "Error 4294967295" are only how that failure ends. SWIM Studio's stm8flash mode finds the probe by itself and uses the one attached.`,
      remedies: [
        `Pass -c ${or(v.suggest, 'the matching type')} instead (in platformio.ini: upload_protocol = ${or(v.suggest, 'the matching type')}).`,
        'Or use SWIM Studio as the upload tool: it detects the probe, treats -c as a hint and exits with small documented codes (0 ok, 1 failed, 2 usage, 3 no probe or target).',
        ...(v.v3Note ? [v.v3Note] : []),
      ],
    }),
  },
  // ------------------------------------------------------------------ 3. open
  {
    code: 'probe-permission',
    severity: 'error',
    step: 'probe-open',
    rules: ['U3'],
    action: 'show-udev-rule',
    text: (v) => ({
      title: 'No permission to open the ST-LINK',
      explanation: `The system refused to open ${or(v.probe, 'the probe')} for this user (${or(v.detail, 'access denied')}). On Linux, USB devices belong to root unless a udev rule grants access; this is why tools "work with sudo" only.`,
      remedies: [
        'Install SWIM Studio\'s udev rule (shown below, also shipped as assets/udev/49-stlink-swim-studio.rules): it covers every ST-LINK product id.',
        'Reload the rules: sudo udevadm control --reload-rules && sudo udevadm trigger.',
        'Unplug and replug the probe (the rule applies when the device appears).',
        'If you log in remotely (no seat), add yourself to the plugdev group and log in again.',
      ],
    }),
  },
  {
    code: 'probe-no-driver',
    severity: 'error',
    step: 'probe-open',
    rules: ['U2', 'U7'],
    text: (v) => ({
      title: 'No usable driver for the ST-LINK',
      explanation: `${or(v.probe, 'The probe')} is listed but its interface 0 cannot be opened because no WinUSB-compatible driver is bound to it (${or(v.detail, 'no driver')}). Lines about other interfaces (MI_01, MI_02) having "no driver" are harmless; interface 0 (MI_00) is the one that matters.`,
      remedies: [
        'Install ST\'s ST-LINK driver (STSW-LINK009, also installed with STM32CubeProgrammer), preferably before plugging the probe in, then replug it.',
        'Or bind interface 0 (MI_00) of the probe to WinUSB with Zadig.',
        'Do not bind libusb-win32 or libusbK to it: that breaks ST\'s own tools.',
      ],
    }),
  },
  {
    code: 'probe-busy',
    severity: 'error',
    step: 'probe-open',
    rules: ['U4'],
    text: (v) => ({
      title: 'The ST-LINK is in use by another program',
      explanation: `${or(v.probe, 'The probe')} is attached and allowed, but another program has it open (${or(v.detail, 'busy')}). Only one program can use an ST-LINK at a time.`,
      remedies: [
        'Close the program holding it: ST Visual Programmer (STVP), STM32CubeProgrammer, OpenOCD or an IDE debug session, a running PlatformIO upload, or another SWIM Studio window.',
        'If none is open, unplug and replug the probe.',
      ],
    }),
  },
  {
    code: 'probe-unplugged',
    severity: 'error',
    step: 'probe-open',
    rules: ['P3'],
    text: (v) => ({
      title: 'The ST-LINK disappeared during the checks',
      explanation: `The probe stopped being there (${or(v.detail, 'unplugged')}) while step "${or(v.during, '?')}" ran: it was unplugged, lost power, or reset itself.`,
      remedies: ['Plug it back in, directly into the computer, and run the diagnostics again.', 'If it happens again at the same step, try another cable and port.'],
    }),
  },
  {
    code: 'probe-not-answering',
    severity: 'error',
    step: 'firmware',
    rules: ['P3'],
    text: (v) => ({
      title: 'The ST-LINK does not answer',
      explanation: `The probe opened but did not answer a command (${or(v.detail, 'timeout')}), even after a USB reset. A previous program may have left it in a wedged state (for example stm8flash builds that sent short commands to a V3), or its firmware crashed.`,
      remedies: ['Unplug the probe, wait a second and plug it in again.', 'If it keeps happening, update its firmware with ST-LinkUpgrade.'],
    }),
  },
  // ------------------------------------------------------------------ 4. firmware
  {
    code: 'probe-no-swim',
    severity: 'error',
    step: 'firmware',
    rules: ['P1'],
    text: (v) => ({
      title: 'This ST-LINK has no SWIM, so it cannot program STM8',
      explanation: `${or(v.probe, 'The probe')} runs firmware ${or(v.version, '?')}, which reports SWIM version 0: it has no SWIM interface. This is the case for the STLINK-V3MINI and V3MINIE, V3E on-board probes, the STLINK-V3PWR, and STM32 Nucleo/Discovery on-board V2-1 probes with STM32 firmware. (On a V3 the SWIM version is in the extended version reply; tools that only read the plain one print "SWIM: v0" even for a V3SET that works.)`,
      remedies: [
        'Use a probe with SWIM: an ST-LINK/V2 (or a V2 clone), an STM8 Nucleo board\'s on-board probe, or an STLINK-V3SET with its MB1440 adapter board.',
        'If this is a V2-1 from an STM8 Nucleo that was flashed with STM32 firmware, put the STM8 firmware back with ST-LinkUpgrade.',
      ],
    }),
  },
  {
    code: 'firmware-old',
    severity: 'info',
    step: 'firmware',
    rules: ['P5'],
    text: (v) => ({
      title: 'Old probe firmware',
      explanation: `${or(v.probe, 'The probe')} runs ${or(v.version, 'old firmware')}. ${or(v.why, 'It is older than most firmware in use.')} Old firmware is often blamed but rarely the cause of SWIM failures.`,
      remedies: ['Finish the wiring and power checks first; update the firmware with ST-LinkUpgrade only when they pass and problems remain.'],
    }),
  },
  {
    code: 'probe-recovered',
    severity: 'info',
    step: 'firmware',
    rules: ['P3', 'H3'],
    text: (v) => ({
      title: 'The probe had to be brought back to a known state',
      explanation: `${or(v.detail, 'The probe was left in a mode by a previous program.')} SWIM Studio handled it, but it explains failures of tools that do not (they need the probe replugged).`,
      remedies: ['Nothing to do now. If another tool fails right after this one, replug the probe before using it.'],
    }),
  },
  // ------------------------------------------------------------------ 5. voltage
  {
    code: 'target-no-power',
    severity: 'error',
    step: 'target-voltage',
    rules: ['W1'],
    text: (v) => ({
      title: 'The target is not powered (or VDD is not wired to the probe)',
      explanation: `The probe measures ${or(v.volts, 'about 0 V')} on its target-voltage pin. Either the board has no power, or the board's VDD is not connected to the probe's VDD/VCC sense pin. An original ST-LINK/V2 does not power the target; it needs the target's VDD on that pin to drive the SWIM line at the right level.`,
      remedies: [
        'Power the board (its own supply or USB).',
        'Connect the board\'s VDD (3.3 V or 5 V) to the probe\'s VDD / VAPP / T_VCC pin, and GND to GND.',
        'On an STLINK-V3SET, use the MB1440 adapter\'s VDD pin.',
      ],
    }),
  },
  {
    code: 'target-low-voltage',
    severity: 'warning',
    step: 'target-voltage',
    rules: ['W1'],
    text: (v) => ({
      title: 'Target voltage is low',
      explanation: `The probe measures ${or(v.volts, 'a low voltage')}, below 1.5 V, too low for reliable SWIM. The supply may be weak, or VDD reaches the probe through a bad contact.`,
      // Operating ranges: STM8S103/105 datasheets 2.95–5.5 V, STM8L151 datasheet 1.8–3.6 V.
      remedies: ['Check the board\'s supply and the VDD wire to the probe.', 'An STM8S needs at least 2.95 V, an STM8L about 1.8 V.'],
    }),
  },
  {
    code: 'voltage-not-measured',
    severity: 'info',
    step: 'target-voltage',
    rules: ['W2'],
    text: (v) => ({
      title: 'This probe does not measure the target voltage',
      explanation: `${or(v.detail, 'The probe answered the voltage query with zeros.')} Many clones have no measuring circuit; this is not an error, and programming can still work. The next steps tell whether the target answers.`,
      remedies: ['Check with a meter that the target has its supply voltage between VDD and GND.'],
    }),
  },
  // ------------------------------------------------------------------ 6/7. SWIM entry, NRST
  {
    code: 'swim-no-response',
    severity: 'error',
    step: 'nrst',
    rules: ['W3', 'P2', 'H3', 'T5'],
    text: (v) => ({
      title: 'The target does not answer on SWIM',
      explanation: `The SWIM entry sequence got no answer (status ${or(v.status, '0x04')}), neither with the running firmware nor with NRST held low, although ${or(v.power, 'the target seems powered')}. The SWIM wire does not reach the chip's SWIM pin, or GND is missing, or the chip cannot enter SWIM at all.`,
      remedies: [
        // SWIM is the PD1 pin on STM8S (datasheet pinouts); clones with SWD and SWIM headers: sparklogic thread, SDU#74.
        'Check the SWIM wire: probe SWIM to the chip\'s SWIM pin (PD1 on STM8S). On clones with two headers, use the SWIM one, not SWDIO/SWCLK.',
        'Check GND between probe and board (some cheap boards leave the header\'s GND unconnected).',
        'Check that SWIM and GND are not swapped, and that wires sit firmly (worn jumper wires lose contact).',
        v.noNrstPin
          ? `${v.noNrstPin} has no NRST pin: if its firmware disables SWIM or reuses the SWIM pin, power-cycle the board and connect at once, before the firmware takes the pin.`
          : 'Connect NRST too: if the firmware disables SWIM or reuses the SWIM pin, entry only works while NRST is held low. Without NRST, power-cycle the board and connect at once.',
        ...(v.v3 ? [V3_MB1440] : []),
        'Power-cycle the target itself (not only the probe) and run the diagnostics again.',
      ],
    }),
  },
  {
    code: 'swim-line-fault',
    severity: 'error',
    step: 'nrst',
    rules: ['W4'],
    text: (v) => ({
      title: 'SWIM line fault: SWIM and GND may be swapped',
      explanation: `The probe reported status ${or(v.status, '0x10')} during SWIM entry. This status has been seen with the SWIM and GND wires swapped (older stm8flash printed it as "0x16").`,
      remedies: ['Check the pin order at both ends: SWIM to SWIM, GND to GND.', 'Then check VDD and NRST as well, and run the diagnostics again.'],
    }),
  },
  {
    code: 'swim-disabled-by-firmware',
    severity: 'warning',
    step: 'nrst',
    rules: ['T5', 'T6', 'W3'],
    action: 'enable-connect-under-reset',
    text: (v) => ({
      title: 'The firmware blocks SWIM: connect under reset',
      explanation: `SWIM entry fails while the chip runs its firmware (status ${or(v.status, '0x04')}) but works with NRST held low. The firmware on the chip disables SWIM (CFG_GCR.SWD), uses the SWIM pin as a normal I/O, sleeps in HALT/low-power mode, or slows the SWIM clock. Tools that attach to the running chip (OpenOCD by default) then report "unable to connect to the target".`,
      remedies: [
        'Enable "connect under reset" (CLI: swim-studio --connect-under-reset …; app: connection settings): SWIM Studio holds NRST low while it enters SWIM.',
        'For OpenOCD: reset_config srst_only srst_nogate connect_assert_srst.',
        'Keep NRST wired to the probe. On 8-pin parts without NRST, power-cycle and connect immediately; give your firmware a start-up delay of a few seconds before it reuses the SWIM pin (ST AN5047 recommends about 5 s).',
      ],
    }),
  },
  {
    code: 'nrst-not-connected',
    severity: 'warning',
    step: 'nrst',
    rules: ['W6', 'W7'],
    text: (v) => ({
      title: 'NRST does not reach the chip',
      explanation: `SWIM works, but pulling NRST low through the probe did not reset the chip (${or(v.detail, 'a register set before the reset kept its value')}). NRST is not wired, or something else on the board holds the line. Programming still works (the CPU is stalled over SWIM), but connect under reset cannot help if the firmware ever disables SWIM.`,
      remedies: [
        'Wire the probe\'s NRST (RST) pin to the chip\'s NRST pin.',
        'If it is wired: something else drives NRST (a USB-UART RTS line, a supervisor, a large capacitor). Disconnect it while programming or add a series resistor.',
      ],
    }),
  },
  {
    code: 'part-without-nrst',
    severity: 'info',
    step: 'nrst',
    rules: ['W7', 'T5'],
    text: (v) => ({
      title: 'This part has no NRST pin',
      explanation: `${or(v.part, 'This part')} comes in an 8-pin package without NRST. SWIM Studio connects "on the fly" and stalls the CPU over SWIM before it programs; connect under reset is not possible.`,
      remedies: ['If the firmware reuses the SWIM pin, power-cycle the chip and connect within its start-up delay.'],
    }),
  },
  // ------------------------------------------------------------------ 8. speed
  {
    code: 'low-speed-only',
    severity: 'warning',
    step: 'swim-speed',
    rules: ['W5'],
    text: (v) => ({
      title: 'SWIM stays at low speed',
      explanation: `The link could not switch to high speed: ${or(v.reason, 'HSIT never became 1')}. Everything works, about twice as slowly. HSIT has been seen stuck at 0 right after read-out protection was removed (a mass erase) until the next reset; a marginal link can also refuse high speed.`,
      remedies: ['Reset or power-cycle the target and run the diagnostics again.', 'If it stays at low speed: shorten the SWIM wires and check the 100 nF decoupling at the chip.'],
    }),
  },
  {
    code: 'unstable-link',
    severity: 'warning',
    step: 'swim-speed',
    rules: ['W5'],
    text: (v) => ({
      title: 'The SWIM link is unstable',
      explanation: `The link needed retries or gave different answers to the same read (${or(v.detail, 'retries were needed')}). Typical causes: loose jumper wires, long leads, missing decoupling at the chip, or a clone with marginal timing.`,
      remedies: [
        'Use short, firm wires and plug them fully (worn jumper wires lose contact).',
        // 100 nF at the chip: docs/spec/anchors.md §6 W5 (SF#119); VCAP 470 nF–3.3 µF: STM8S datasheets (C_EXT).
        'Check for a 100 nF capacitor between VDD and GND close to the chip, and on STM8S the VCAP capacitor (470 nF to 3.3 µF).',
        'Try another probe if it persists.',
      ],
    }),
  },
  // ------------------------------------------------------------------ 9. identity
  {
    code: 'part-mismatch',
    severity: 'warning',
    step: 'chip-identity',
    rules: ['T7', 'T8'],
    action: 'choose-part',
    text: (v) => ({
      title: `The chip does not look like the selected ${or(v.selected, 'part')}`,
      explanation: `You selected ${or(v.selected, '?')}, but the chip answers like ${or(v.identified, 'another part')} (${or(v.differences, 'memory layout differs')}). With the wrong part selected, tools give misleading errors ("device is protected", "out of range", "Tries exceeded") and may write option bytes at the wrong places. ${v.used ? `The following checks used ${v.used}.` : 'The following checks were skipped.'}`,
      remedies: [
        `Select the part printed on the chip; it matches: ${or(v.candidates, 'see the identified family')}.`,
        'Similar markings are easy to confuse (STM8S003F3 / STM8S103F3 / STM8S103F2); read the chip with a magnifier.',
        'A firmware file with EEPROM (0x4000…) or option-byte (0x4800…) records is not an error: SWIM Studio programs each region separately.',
      ],
    }),
  },
  {
    code: 'part-identified',
    severity: 'info',
    step: 'chip-identity',
    rules: ['T7'],
    action: 'choose-part',
    text: (v) => ({
      title: 'No part selected: this is what the chip says it is',
      explanation: `No part was selected. The chip answers like ${or(v.identified, 'an STM8')}; matching parts: ${or(v.candidates, '?')}.`,
      remedies: ['Select the part printed on the chip (--part NAME) so programming and option bytes use its exact memory map.'],
    }),
  },
  {
    code: 'chip-unidentified',
    severity: 'info',
    step: 'chip-identity',
    rules: ['T7'],
    text: (v) => ({
      title: 'The chip could not be matched to a known part',
      explanation: `What the chip answered (${or(v.identified, '?')}) fits no part of the catalogue exactly. ${v.selected ? `The checks used the selected ${v.selected}.` : ''}`,
      remedies: ['Make sure the selected part is the one printed on the chip.'],
    }),
  },
  // ------------------------------------------------------------------ 10. option bytes
  {
    code: 'option-complement-broken',
    severity: 'error',
    step: 'option-bytes',
    rules: ['T3', 'T4'],
    action: 'restore-factory-option-bytes',
    text: (v) => ({
      title: 'Option bytes are corrupted (complement mismatch)',
      explanation: `On this chip every option byte is stored with its bitwise complement, and ${or(v.pairs, 'a pair')} ${v.count === '1' ? 'does' : 'do'} not match. The chip may reset repeatedly or ignore the option, and STVP stops with "Error while reading option bytes". Typical cause: a tool wrote an option-byte file that holds only the primary bytes (as STVP saves them) and left zeros in the complements.`,
      remedies: [
        'Restore the factory option bytes (app: Option bytes → Restore factory values; CLI: swim-studio opt factory). SWIM Studio writes complements itself.',
        'Then set the options you need again; when loading an option file saved by STVP, SWIM Studio fills in the complements.',
      ],
    }),
  },
  // ------------------------------------------------------------------ 11. protection
  {
    code: 'rop-active',
    severity: 'error',
    step: 'protection',
    rules: ['T1'],
    action: 'open-unlock-wizard',
    text: (v) => ({
      title: 'The chip is read-out protected',
      explanation: `Read-out protection is on (ROP byte ${or(v.rop, '?')} at 0x4800${v.style ? `; ${v.style}` : ''}). The program memory and data EEPROM cannot be read (reads return ${or(v.pattern, 'filler bytes')}) and writes are refused (WR_PG_DIS, "device is protected", "Tries exceeded"). Cheap boards often ship protected with a demo program.`,
      remedies: [
        'Run the unlock wizard (CLI: swim-studio unlock). Removing protection erases the program memory and the data EEPROM and resets the option bytes; the old firmware cannot be recovered.',
        'After the unlock, program your firmware as usual.',
      ],
    }),
  },
  {
    code: 'ubc-active',
    severity: 'warning',
    step: 'protection',
    rules: ['T2'],
    action: 'clear-ubc',
    text: (v) => ({
      title: 'Part of the flash is write-protected (UBC)',
      explanation: `The user boot code option (UBC = ${or(v.value, '?')}) write-protects ${or(v.range, 'the start of the flash')}. Writes there fail with WR_PG_DIS even though read-out protection is off; STVP calls this "Device is write protected. Check by values".`,
      remedies: [
        'If you do not use a boot loader there, set UBC to 0 in the option bytes (needs SWIM, which you have), then program.',
        'If the protected pages hold a boot loader you need, program only above them.',
      ],
    }),
  },
  // ------------------------------------------------------------------ 12. flash controller
  {
    code: 'flash-keys-refused',
    severity: 'error',
    step: 'flash-controller',
    rules: ['T1'],
    text: (v) => ({
      title: 'The flash controller refused its keys',
      explanation: `Writing the unlock keys did not unlock ${or(v.area, 'the memory')} (${or(v.detail, 'IAPSR did not show it unlocked')}). After one wrong key the memory stays locked until the next reset; firmware that writes wrong keys (or a tool interrupted mid-unlock) leaves it so.`,
      remedies: ['Reset the target (power-cycle it) and run the diagnostics again.', 'If it persists with connect under reset, check the selected part (the key registers differ between STM8S and STM8L).'],
    }),
  },
  {
    code: 'flash-not-relocked',
    severity: 'warning',
    step: 'flash-controller',
    rules: [],
    text: (v) => ({
      title: 'The flash did not lock again',
      explanation: `After the test the memories stayed unlocked (${or(v.detail, 'IAPSR still shows PUL/DUL')}). A reset locks them; until then firmware bugs could write flash.`,
      remedies: ['Reset the target. SWIM Studio resets it at the end of every session.'],
    }),
  },
  // ------------------------------------------------------------------ summary / general
  {
    code: 'all-good',
    severity: 'ok',
    step: 'flash-controller',
    rules: ['T9', 'T10'],
    text: (v) => ({
      title: 'Probe and target are fine',
      explanation: `Every check passed: ${or(v.summary, 'the probe, the wiring, the chip and its flash controller work')}.`,
      remedies: [
        'Program your firmware (app: Program; CLI: swim-studio write FILE).',
        'If the board does not run after another tool read it, that tool left the CPU stalled; SWIM Studio resets the chip at the end of every session.',
        'Erased STM8 flash reads 0x00, not 0xFF: a blank check that expects 0xFF fails on a fresh chip.',
      ],
    }),
  },
  {
    code: 'diagnostics-cancelled',
    severity: 'info',
    step: 'usb',
    rules: [],
    text: (v) => ({
      title: 'Diagnostics cancelled',
      explanation: `The run was cancelled during "${or(v.during, '?')}"; the later checks did not run.`,
      remedies: ['Run the diagnostics again to see the full picture.'],
    }),
  },
  {
    code: 'internal-error',
    severity: 'error',
    step: 'usb',
    rules: ['H1'],
    text: (v) => ({
      title: 'An unexpected error stopped the checks',
      explanation: `Step "${or(v.during, '?')}" failed in a way the diagnostics do not know: ${or(v.detail, 'unknown error')}.`,
      remedies: ['Run the diagnostics again.', 'If it repeats, open an issue and paste this report; the trace below shows the last USB exchanges.'],
    }),
  },
];

export const FINDINGS: ReadonlyMap<string, FindingDefinition> = new Map(DEFINITIONS.map((d) => [d.code, d]));

/** Codes every build must have (the issue's list). */
export const REQUIRED_FINDING_CODES = [
  'usb-unavailable',
  'no-probe',
  'probe-permission',
  'probe-no-driver',
  'probe-busy',
  'probe-in-dfu',
  'probe-no-swim',
  'target-no-power',
  'swim-no-response',
  'swim-disabled-by-firmware',
  'nrst-not-connected',
  'low-speed-only',
  'option-complement-broken',
  'rop-active',
  'ubc-active',
  'part-mismatch',
  'all-good',
] as const;

export interface MakeFindingOptions {
  vars?: FindingVars;
  evidence?: string;
  /** Overrides the definition's step (e.g. internal-error raised in step 9). */
  step?: StepId;
  snippets?: Snippet[];
}

/** A finding from the catalogue, with the run's values filled in. */
export function makeFinding(code: string, opts: MakeFindingOptions = {}): Finding {
  const d = FINDINGS.get(code);
  if (!d) throw new Error(`unknown diagnostics finding ${code}`);
  const t = d.text(opts.vars ?? {});
  const f: Finding = {
    code: d.code,
    severity: d.severity,
    title: t.title,
    explanation: t.explanation,
    remedies: t.remedies,
    step: opts.step ?? d.step,
    rules: [...d.rules],
  };
  if (opts.evidence) f.evidence = opts.evidence;
  if (d.action) f.action = d.action;
  if (opts.snippets && opts.snippets.length > 0) f.snippets = opts.snippets;
  return f;
}
