// Runs in the guest: talks to the attached ST-LINK through the real `usb` package (nusb on
// usbfs) with no project code in between, to record the library's own words and the
// kernel path's latency. One JSON line on stdout. Modes:
//   latency N     N GET_VERSION exchanges; per-exchange times in ms
//   open          open + claim interface 0; the error message, if any
//   hold          open + claim, print {"held":true}, keep it until killed (bounded: 60 s)
//   nak           an IN transfer with nothing to send: the device NAKs, the library times out
//   unplug        open + claim, start an IN (pending), print {"ready":true}, wait for a line
//                 on stdin (the device is gone by then), report the IN's error, then transfer
import { WebUSB } from 'usb';

const STLINK_VID = 0x0483;
const GET_VERSION = [0xf1]; // ST-LINK GET_VERSION (OpenOCD STLINK_GET_VERSION), 6-byte reply

function emit(o) {
  process.stdout.write(JSON.stringify(o) + '\n');
}

function message(e) {
  return e instanceof Error ? e.message : String(e);
}

async function device() {
  const devices = (await new WebUSB({ allowAllDevices: true }).getDevices()).filter((d) => d.vendorId === STLINK_VID);
  if (devices.length !== 1) throw new Error(`expected one ST-LINK, found ${devices.length}`);
  return devices[0];
}

/** Endpoint numbers of the command OUT and data IN pipes (OpenOCD: 0x02 on V2, 0x01 on V2-1/V3; 0x81). */
function endpoints(d) {
  return { out: d.productId === 0x3748 ? 2 : 1, in: 1 };
}

function command(bytes) {
  const c = new Uint8Array(16);
  c.set(bytes);
  return c;
}

async function opened() {
  const d = await device();
  await d.open();
  await d.claimInterface(0);
  return d;
}

const mode = process.argv[2];
try {
  if (mode === 'latency') {
    const n = Number(process.argv[3] ?? 50);
    const d = await opened();
    const ep = endpoints(d);
    const ms = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await d.transferOut(ep.out, command(GET_VERSION), 1000);
      const r = await d.transferIn(ep.in, 6, 1000);
      if (r.status !== 'ok' || r.data.byteLength !== 6) throw new Error(`GET_VERSION reply: ${r.status} ${r.data?.byteLength}`);
      ms.push(performance.now() - t);
    }
    await d.close();
    const sorted = [...ms].sort((a, b) => a - b);
    const at = (q) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2));
    emit({ ok: true, n, medianMs: at(0.5), p90Ms: at(0.9), minMs: at(0) });
  } else if (mode === 'open') {
    const d = await opened();
    await d.close();
    emit({ ok: true });
  } else if (mode === 'hold') {
    // Kept referenced: a collected device object would close and release the interface.
    globalThis.heldDevice = await opened();
    emit({ held: true });
    setTimeout(() => process.exit(0), 60_000);
  } else if (mode === 'nak') {
    const d = await opened();
    const t = performance.now();
    try {
      await d.transferIn(endpoints(d).in, 64, 300);
      emit({ ok: true, error: null });
    } catch (e) {
      emit({ ok: false, error: message(e), waitedMs: performance.now() - t });
    }
    // The device still answers after the unlinked URB: a GET_VERSION goes through.
    await d.transferOut(endpoints(d).out, command(GET_VERSION), 1000);
    const r = await d.transferIn(endpoints(d).in, 6, 1000);
    emit({ afterUnlink: r.data?.byteLength ?? 0 });
    await d.close();
  } else if (mode === 'unplug') {
    // Two cases: a transfer pending when the device leaves, and one started after that.
    const d = await opened();
    const pending = d.transferIn(endpoints(d).in, 64, 30_000).then(
      () => ({ inFlight: null }),
      (e) => ({ inFlight: message(e) }),
    );
    emit({ ready: true });
    await new Promise((resolve) => process.stdin.once('data', resolve));
    emit(await pending);
    try {
      await d.transferOut(endpoints(d).out, command(GET_VERSION), 1000);
      emit({ ok: true, error: null });
    } catch (e) {
      emit({ ok: false, error: message(e) });
    }
    process.exit(0);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  emit({ ok: false, error: message(e) });
  process.exitCode = 1;
}
