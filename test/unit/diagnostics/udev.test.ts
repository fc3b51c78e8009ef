/** The udev rule shipped in assets/udev covers every ST-LINK product id and matches the code. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UDEV_RULE_ASSET, udevInstallCommands, udevRuleText } from '../../../src/main/diagnostics/udev';

const asset = fileURLToPath(new URL(`../../../${UDEV_RULE_ASSET}`, import.meta.url));

/** docs/spec/stlink-swim.md §1.1, every row of the PID table. */
const SPEC_PIDS = ['3744', '3748', '374b', '3752', '374a', '3742', '374d', '374e', '374f', '3753', '3754', '3755', '3757'];

describe('udev rule', () => {
  it('the shipped file is exactly the generated rule', () => {
    expect(readFileSync(asset, 'utf8')).toBe(udevRuleText());
  });

  it('grants access to every ST-LINK PID of the spec, loaders included', () => {
    const rules = udevRuleText()
      .split('\n')
      .filter((l) => l.startsWith('SUBSYSTEMS'));
    const pids = rules.map((l) => /ATTRS\{idProduct\}=="([0-9a-f]{4})"/.exec(l)?.[1]);
    expect(new Set(pids)).toEqual(new Set(SPEC_PIDS));
    for (const l of rules) {
      expect(l).toMatch(/ATTRS\{idVendor\}=="0483"/);
      expect(l).toMatch(/MODE="0660"/);
      expect(l).toMatch(/GROUP="plugdev"/);
      expect(l).toMatch(/TAG\+="uaccess"/);
    }
  });

  it('the install commands write the rule, reload udev and trigger it', () => {
    const c = udevInstallCommands();
    expect(c).toMatch(/sudo tee \/etc\/udev\/rules\.d\/49-stlink-swim-studio\.rules/);
    expect(c).toContain(udevRuleText().trimEnd());
    expect(c).toMatch(/udevadm control --reload-rules/);
    expect(c).toMatch(/udevadm trigger/);
  });
});
