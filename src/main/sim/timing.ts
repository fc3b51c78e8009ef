/**
 * The virtual probe's timing model, exactly as docs/spec/simulator.md §4 gives it.
 * Exported so that bench/ can compute the physical floor of a job from the same numbers
 * the simulator charges (docs/spec/simulator.md §5).
 */

/** One SWIM bit at low speed: 22 clocks of the 8 MHz SWIM clock (UM0470 p.12; docs/spec/simulator.md §4). */
export const SWIM_BIT_LS_MS = 0.00275;
/** One SWIM bit at high speed: 10 clocks of the 8 MHz SWIM clock (UM0470 p.11; docs/spec/simulator.md §4). */
export const SWIM_BIT_HS_MS = 0.00125;
/** ROTF/WOTF transfer N bytes at most per frame (N is an 8-bit field: docs/spec/stm8-target.md §6.2). */
export const SWIM_MAX_FRAME_BYTES = 255;
/** Header of one ROTF/WOTF: command 6 + N 11 + 24-bit address 33 bit slots (docs/spec/stm8-target.md §6.3). */
export const SWIM_FRAME_HEADER_BITS = 50;
/** Each data byte: header, 8 bits, parity, ack (docs/spec/stm8-target.md §6.2). */
export const SWIM_BITS_PER_BYTE = 11;

/** ENTER_SEQ on the wire (docs/spec/simulator.md §4). */
export const T_ENTER_SEQ_MS = 10;
/** ASSERT/DEASSERT reset and GEN_RST (docs/spec/simulator.md §4). */
export const T_RESET_MS = 0.1;
/** HSIT becomes 1 this long after NRST is released and option bytes are loaded (docs/spec/simulator.md §4). */
export const T_HSIT_AFTER_RESET_MS = 0.1;
/** Standard block program, word program, byte program, option byte (docs/spec/simulator.md §4). */
export const T_PROG_MS = 6;
/** Fast block program (FPRG) and block erase (docs/spec/simulator.md §4). */
export const T_FAST_MS = 3;
/**
 * Not in the spec table (CHOICES.md): SWIM communication reset = line held low 16 µs plus
 * the target's 128-clock sync answer (docs/spec/stm8-target.md §6.1), rounded up.
 */
export const T_RESYNC_MS = 0.05;
/** Not in the spec table (CHOICES.md): SPEED only reconfigures the probe's own line driver. */
export const T_SPEED_MS = 0.01;
/** Not in the spec table (CHOICES.md): a USB port reset and re-enumeration of the probe. */
export const T_USB_RESET_MS = 10;

/** Bulk transfer cost, full-speed probe (V2, V2-1): 0.5 ms + 0.8 µs per byte (docs/spec/simulator.md §4). */
export const USB_FS_BASE_MS = 0.5;
export const USB_FS_PER_BYTE_MS = 0.0008;
/** Bulk transfer cost, high-speed probe (V3): 0.0625 ms + 0.025 µs per byte (docs/spec/simulator.md §4). */
export const USB_HS_BASE_MS = 0.0625;
export const USB_HS_PER_BYTE_MS = 0.000025;

export type UsbSpeed = 'full' | 'high';

/** Time one bulk transfer of `bytes` takes on the USB side (docs/spec/simulator.md §4). */
export function usbTransferMs(bytes: number, speed: UsbSpeed): number {
  return speed === 'high' ? USB_HS_BASE_MS + USB_HS_PER_BYTE_MS * bytes : USB_FS_BASE_MS + USB_FS_PER_BYTE_MS * bytes;
}

/** SWIM bit time for the line speed in use. */
export function swimBitMs(highSpeed: boolean): number {
  return highSpeed ? SWIM_BIT_HS_MS : SWIM_BIT_LS_MS;
}

/** Bit slots of one ROTF/WOTF moving `bytes` bytes, split into 255-byte frames. */
export function swimWireBits(bytes: number): number {
  if (bytes <= 0) return 0;
  const frames = Math.ceil(bytes / SWIM_MAX_FRAME_BYTES);
  return frames * SWIM_FRAME_HEADER_BITS + bytes * SWIM_BITS_PER_BYTE;
}

/**
 * Wire time of moving `bytes` bytes over SWIM in ROTF/WOTF frames (docs/spec/simulator.md §4:
 * (50 + 11·N) bits per frame of N ≤ 255 bytes). This is what the floor in docs/spec/simulator.md §5 charges for
 * every written and every verified byte, at high speed.
 */
export function swimWireTimeMs(bytes: number, highSpeed: boolean): number {
  return swimWireBits(bytes) * swimBitMs(highSpeed);
}

/**
 * The physical floor of programming (docs/spec/simulator.md §5): t_prog per block that must change
 * (3 ms when it is already erased to 0x00, else 6 ms) plus moving every written byte once
 * and every verified byte once at high speed. USB latency is not part of it.
 */
export function programFloorMs(opts: {
  erasedBlocks: number;
  usedBlocks: number;
  writtenBytes: number;
  verifiedBytes: number;
}): number {
  return (
    opts.erasedBlocks * T_FAST_MS +
    opts.usedBlocks * T_PROG_MS +
    swimWireTimeMs(opts.writtenBytes, true) +
    swimWireTimeMs(opts.verifiedBytes, true)
  );
}
