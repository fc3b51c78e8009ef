import { describe, expect, it } from 'vitest';
import { classifyUsbError } from '../../../src/main/usb/library-errors';
import { toUsbAppError } from '../../../src/main/usb/errors';
import { COMPOSED_ERROR_STRINGS, LIBRARY_ERROR_STRINGS } from '../../fixtures/usb-error-strings';

const appCode = (m: string): string => toUsbAppError(classifyUsbError(new Error(m))).code;

describe("the usb package's errors, as a real Linux kernel produced them", () => {
  const L = LIBRARY_ERROR_STRINGS.linux;
  it.each([
    [L.permission, 'probe-permission'],
    [L.busy, 'probe-busy'],
    [L.unplugged, 'probe-unplugged'],
    [L.unpluggedInFlight, 'probe-unplugged'],
    [L.timeout, 'usb-timeout'],
  ])('%s → %s', (message, code) => {
    expect(appCode(message)).toBe(code);
  });

  it('the permission error carries the udev remedy', () => {
    expect(toUsbAppError(classifyUsbError(new Error(L.permission))).remedy).toMatch(/udev/);
  });

  it('keeps the library message for diagnostics', () => {
    expect(classifyUsbError(new Error(L.timeout)).message).toBe(L.timeout);
  });
});

describe('the same cases on Windows and macOS (composed from the shipped words and nusb code formats)', () => {
  const W = COMPOSED_ERROR_STRINGS.windows;
  const M = COMPOSED_ERROR_STRINGS.macos;
  it.each([
    [W.busy, 'probe-busy'],
    [W.unplugged, 'probe-unplugged'],
    [W.gone, 'probe-unplugged'],
    [W.timeout, 'usb-timeout'],
    [W.stall, 'usb-io'],
    [W.noDriver, 'probe-no-driver'],
    [M.busy, 'probe-busy'],
    [M.permission, 'probe-permission'],
    [M.unplugged, 'probe-unplugged'],
    [M.gone, 'probe-unplugged'],
    [M.timeout, 'usb-timeout'],
  ])('%s → %s', (message, code) => {
    expect(appCode(message)).toBe(code);
  });
});

describe('the transfer kinds and OS codes decide before the words', () => {
  it.each([
    ['transferIn error: Stall', 'pipe'],
    ['transferOut error: Fault', 'io'],
    ['transferIn error: Unknown(71)', 'io'],
    ['claimInterface error: interface is busy (errno 16)', 'busy'],
    ['open error: failed to open device (errno 19)', 'no-device'],
    ['open error: failed to open device (error 0xe00002c5)', 'busy'],
    ['getDevices error: /sys/bus/usb/devices/ not found (errno 2)', 'not-supported'],
  ])('%s → %s', (message, code) => {
    expect(classifyUsbError(new Error(message)).code).toBe(code);
  });
});
