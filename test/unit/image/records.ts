/**
 * Record builders for the text formats, computing checksums the way the format
 * specifications define them (independently of the code under test). No test-runner
 * imports, so scripts (the bad-input corpus generator) can use them too.
 */
const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/** One Intel HEX record: checksum = two's complement of the byte sum. */
export function hexRecord(type: number, offset: number, data: ArrayLike<number> = []): string {
  const bytes = [data.length, (offset >> 8) & 0xff, offset & 0xff, type, ...Array.from(data)];
  const sum = bytes.reduce((s, b) => s + b, 0);
  return ':' + [...bytes, -sum & 0xff].map(hex2).join('');
}

/** One S-record: count covers address, data and checksum; checksum = ones' complement of the sum. */
export function srecRecord(type: number, address: number, data: ArrayLike<number> = []): string {
  const addressBytes = ({ 0: 2, 1: 2, 2: 3, 3: 4, 5: 2, 6: 3, 7: 4, 8: 3, 9: 2 } as Record<number, number>)[type] ?? 2;
  const addr: number[] = [];
  for (let i = addressBytes - 1; i >= 0; i--) addr.push(Math.floor(address / 256 ** i) & 0xff);
  const bytes = [addressBytes + data.length + 1, ...addr, ...Array.from(data)];
  const sum = bytes.reduce((s, b) => s + b, 0);
  return 'S' + type + [...bytes, ~sum & 0xff].map(hex2).join('');
}
