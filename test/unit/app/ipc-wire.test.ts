import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeFrame, encodeFrame } from '#shared/ipc-wire';

function pseudoRandom(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('bridge wire codec', () => {
  it('base64 matches Node for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 257, 131072]) {
      const bytes = pseudoRandom(n, n + 7);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      // Buffer.equals: a deep toEqual over 128 KB costs seconds.
      expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('rejects text that is not base64', () => {
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid base64/);
    expect(() => base64ToBytes('abcde')).toThrow(/invalid base64/);
  });

  it('carries Uint8Array values nested anywhere in a frame', () => {
    const data = pseudoRandom(1000);
    const text = encodeFrame({ t: 'req', id: 7, name: 'program', arg: { segments: [{ region: 'flash', address: 0x8000, data }] } });
    expect(text).not.toMatch(/"0":/); // not the index-keyed object JSON makes of a typed array
    const back = decodeFrame(text) as { arg: { segments: { data: Uint8Array }[] } };
    expect(back.arg.segments[0].data).toBeInstanceOf(Uint8Array);
    expect(back.arg.segments[0].data).toEqual(data);
  });

  it('leaves ordinary objects that merely have a $bytes key among others alone', () => {
    const back = decodeFrame('{"a":{"$bytes":"AQI=","x":1}}') as { a: Record<string, unknown> };
    expect(back.a).toEqual({ $bytes: 'AQI=', x: 1 });
  });
});
