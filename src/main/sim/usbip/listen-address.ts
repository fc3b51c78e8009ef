/**
 * Where `sim serve --usbip` listens: a Unix socket, or a TCP port on 127.0.0.1. Never any
 * other address: the server hands out a programmer that can erase a chip, with no
 * authentication (USB/IP has none), so it must not be reachable from another machine.
 */
import { AppError } from '#shared/errors';

/** The USB/IP TCP port (IANA "usbip", the kernel tools' default). */
export const USBIP_PORT = 3240;

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: '127.0.0.1'; port: number };

function refuse(spec: string, why: string): AppError {
  return new AppError(
    'usage',
    `--usbip-listen "${spec}": ${why}`,
    `Give unix:PATH or 127.0.0.1:PORT (default 127.0.0.1:${USBIP_PORT}); to reach it from elsewhere, tunnel it (e.g. ssh -L or socat), see docs/usbip.md.`,
  );
}

export function parseListenAddress(spec: string): ListenAddress {
  if (spec.startsWith('unix:')) {
    const path = spec.slice('unix:'.length);
    if (!path) throw refuse(spec, 'the Unix socket path is empty.');
    return { kind: 'unix', path };
  }
  const colon = spec.lastIndexOf(':');
  const host = colon < 0 ? spec : spec.slice(0, colon);
  const portText = colon < 0 ? '' : spec.slice(colon + 1);
  if (host !== '127.0.0.1') throw refuse(spec, `the server listens on 127.0.0.1 or a Unix socket only, never on "${host}".`);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw refuse(spec, `"${portText}" is not a TCP port number (0-65535).`);
  return { kind: 'tcp', host, port: Number(portText) };
}

export function formatListenAddress(a: ListenAddress): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `${a.host}:${a.port}`;
}
