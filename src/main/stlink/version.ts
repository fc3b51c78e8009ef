/**
 * Decoding of GET_VERSION (0xF1) and GET_VERSION_EX (0xFB) replies into one identity, and the
 * version string the way OpenOCD prints it (docs/spec/stlink-swim.md §2.1–2.3, OO `stlink_usb_version`).
 */
import { hexDigits } from '#shared/hex';
import { V21_SWAP_PIDS } from './constants';

export interface StlinkVersion {
  /** Hardware/probe major version: 1, 2, 3 (4 = V3PWR, printed "V3P" by OO). */
  stlink: number;
  jtag: number;
  swim: number;
  msd: number;
  bridge: number;
  /** VID and PID reported inside the version reply (may differ from the descriptor). */
  vid: number;
  pid: number;
  /** ST-LINK API generation: 1 (V1 before J11), 2 (V2/V2-1), 3 (V3 family). */
  apiVersion: number;
  /** e.g. "V2J37S7", "V2M25S7", "V3J10M3B5S1" (OO format). */
  versionString: string;
  /** True when the V2-1 MxSy decoding was applied (STM8-Nucleo firmware). */
  v21Swap: boolean;
  /** True when GET_VERSION_EX supplied the fields. */
  fromVersionEx: boolean;
}

/** Does GET_VERSION ask for GET_VERSION_EX? OO sends 0xFB only when V ≥ 3 and x == y == 0. */
export function needsVersionEx(reply: Uint8Array): boolean {
  const w = (reply[0] << 8) | reply[1];
  const v = (w >> 12) & 0x0f;
  const x = (w >> 6) & 0x3f;
  const y = w & 0x3f;
  return v >= 3 && x === 0 && y === 0;
}

/**
 * Decode the 6-byte GET_VERSION reply: bytes 0..1 big-endian (V:4, x:6, y:6), VID and PID
 * little-endian (OO, SO, PRS). The V2-1 swap (docs/spec/stlink-swim.md §2.2) applies when the PID inside the reply
 * is 0x374B or 0x3752: (x ≤ 22 and y == 7) or (x ≥ 25 and 7 ≤ y ≤ 12) → MxSy, else JxMy.
 */
export function decodeVersion(reply: Uint8Array, ex?: Uint8Array): StlinkVersion {
  if (reply.length < 6) throw new RangeError(`GET_VERSION reply has ${reply.length} bytes, expected 6`);
  const w = (reply[0] << 8) | reply[1];
  const v = (w >> 12) & 0x0f;
  const x = (w >> 6) & 0x3f;
  const y = w & 0x3f;
  const vid = reply[2] | (reply[3] << 8);
  const pid = reply[4] | (reply[5] << 8);
  let jtag = 0;
  let swim = 0;
  let msd = 0;
  let bridge = 0;
  let stlink = v;
  let v21Swap = false;
  let fromVersionEx = false;
  let rVid = vid;
  let rPid = pid;
  if (ex && ex.length >= 12 && v >= 3) {
    // GET_VERSION_EX layout: [0] hw version, [1] SWIM, [2] JTAG, [3] MSD, [4] bridge, [8..9] VID LE, [10..11] PID LE.
    stlink = ex[0];
    swim = ex[1];
    jtag = ex[2];
    msd = ex[3];
    bridge = ex[4];
    rVid = ex[8] | (ex[9] << 8);
    rPid = ex[10] | (ex[11] << 8);
    fromVersionEx = true;
  } else if (V21_SWAP_PIDS.includes(pid)) {
    if ((x <= 22 && y === 7) || (x >= 25 && y >= 7 && y <= 12)) {
      msd = x;
      swim = y;
      v21Swap = true;
    } else {
      jtag = x;
      msd = y;
    }
  } else {
    jtag = x;
    swim = y;
  }
  // API generation: OO switches V1 to API v2 from J11; V2 uses v2; V3 family uses v3.
  const apiVersion = stlink >= 3 ? 3 : stlink === 1 ? (jtag >= 11 ? 2 : 1) : 2;
  return {
    stlink,
    jtag,
    swim,
    msd,
    bridge,
    vid: rVid,
    pid: rPid,
    apiVersion,
    versionString: formatVersion(stlink, jtag, msd, bridge, swim),
    v21Swap,
    fromVersionEx,
  };
}

/**
 * OO's format: "V<v>" + "J<jtag>" if jtag≠0 or no MSD + "M<msd>" if msd≠0 + "B<bridge>" if ≠0
 * + "S<swim>" if swim≠0 or no MSD. V3PWR (hardware version 4) prints as "V3P".
 */
export function formatVersion(stlink: number, jtag: number, msd: number, bridge: number, swim: number): string {
  let s = stlink === 4 ? 'V3P' : `V${stlink}`;
  if (jtag !== 0 || msd === 0) s += `J${jtag}`;
  if (msd !== 0) s += `M${msd}`;
  if (bridge !== 0) s += `B${bridge}`;
  if (swim !== 0 || msd === 0) s += `S${swim}`;
  return s;
}

/** "STLINK V3J10M3B5S1 (API v3) VID:PID 0483:374F", as OO logs it. */
export function formatVersionLine(v: StlinkVersion): string {
  return `STLINK ${v.versionString} (API v${v.apiVersion}) VID:PID ${hexDigits(v.vid, 4)}:${hexDigits(v.pid, 4)}`;
}
