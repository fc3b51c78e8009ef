import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceLeftBus, interfaceDriver } from '../../../src/main/usb/linux-sysfs';

let root: string | null = null;

function sysfs(entries: Record<string, string>): string {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sysfs-'));
  for (const [name, driver] of Object.entries(entries)) {
    fs.mkdirSync(path.join(root, name));
    fs.symlinkSync(`../../../bus/usb/drivers/${driver}`, path.join(root, name, 'driver'));
  }
  fs.mkdirSync(path.join(root, '1-1.2:1.1')); // an interface without a driver
  return root;
}

afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = null;
});

describe('interfaceDriver (Linux sysfs)', () => {
  it('names the driver bound to BUS-PORTS:CONFIG.IFACE, with the bus number as the usb package reports it', () => {
    const r = sysfs({ '1-1.2:1.0': 'usbfs', '3-4:1.0': 'cdc_acm' });
    expect(interfaceDriver({ bus: '001', ports: [1, 2] }, 0, 1, r)).toBe('usbfs');
    expect(interfaceDriver({ bus: '3', ports: [4] }, 0, 1, r)).toBe('cdc_acm');
  });

  it('null when no driver is bound, the device is unknown, or there is no port chain', () => {
    const r = sysfs({});
    expect(interfaceDriver({ bus: '001', ports: [1, 2] }, 1, 1, r)).toBeNull();
    expect(interfaceDriver({ bus: '002', ports: [9] }, 0, 1, r)).toBeNull();
    expect(interfaceDriver({ bus: '001', ports: [] }, 0, 1, r)).toBeNull();
    expect(interfaceDriver({ ports: [1] }, 0, 1, r)).toBeNull();
  });
});

describe('deviceLeftBus (Linux sysfs)', () => {
  it('true once the device directory is gone, false while it stays or where it cannot tell', async () => {
    const r = sysfs({ '1-1.2:1.0': 'usbfs' });
    fs.mkdirSync(path.join(r, '1-1.2'));
    expect(await deviceLeftBus({ bus: '001', ports: [1, 2] }, 60, r)).toBe(false);
    setTimeout(() => fs.rmSync(path.join(r, '1-1.2'), { recursive: true }), 20);
    expect(await deviceLeftBus({ bus: '001', ports: [1, 2] }, 2000, r)).toBe(true);
    expect(await deviceLeftBus({ bus: '001', ports: [] }, 60, r)).toBe(false);
    expect(await deviceLeftBus({ bus: '001', ports: [1, 2] }, 60, path.join(r, 'no-such-root'))).toBe(false);
  });
});
